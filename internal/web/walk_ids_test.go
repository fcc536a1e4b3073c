package web_test

import (
	"database/sql"
	"errors"
	"strings"
	"testing"
)

// walkIDs are, by the path segment before a parameter ("/hazards/{id}",
// "/api/v1/hazards/{id}/opinions": "hazards"), a query for one object of
// the seeded demo the office may see, so that a walk of Routes() reaches
// the object's page — and its own headers (PDFs, .xlsx, stored files) —
// instead of a 404. A segment not here, or a table the demo leaves empty,
// keeps fill's id that no record has.
var walkIDs = map[string]string{
	"regions":         `SELECT MAX(code) FROM regions`,
	"units":           `SELECT CAST(MIN(id) AS TEXT) FROM units WHERE kind = 'department'`,
	"committees":      `SELECT CAST(MIN(id) AS TEXT) FROM units WHERE kind = 'committee'`,
	"users":           `SELECT CAST(MIN(id) AS TEXT) FROM users`,
	"events":          `SELECT CAST(MAX(seq) AS TEXT) FROM audit_events`,
	"plans":           `SELECT CAST(MIN(id) AS TEXT) FROM plans`,
	"tasks":           `SELECT CAST(MIN(id) AS TEXT) FROM plan_tasks`,
	"attachments":     `SELECT CAST(MIN(id) AS TEXT) FROM plan_attachments`,
	"notices":         `SELECT CAST(MIN(id) AS TEXT) FROM plan_notices`,
	"enterprises":     `SELECT CAST(MIN(unit_id) AS TEXT) FROM enterprises`,
	"hazards":         `SELECT CAST(MIN(id) AS TEXT) FROM hazards`,
	"hazard-requests": `SELECT CAST(MIN(id) AS TEXT) FROM hazard_opinions`,
	"hazard-photos":   `SELECT CAST(MIN(id) AS TEXT) FROM hazard_photos`,
	"hazard-listings": `SELECT CAST(MIN(id) AS TEXT) FROM hazard_listings`,
	"risks":           `SELECT CAST(MIN(id) AS TEXT) FROM risk_points`,
}

// realPath is path with each parameter filled by walkIDs (fill where it
// has none); ids caches the answers across routes.
func (e *env) realPath(t *testing.T, path string, ids map[string]string) string {
	t.Helper()
	segs := strings.Split(path, "/")
	for i, s := range segs {
		if !strings.HasPrefix(s, "{") || i == 0 {
			continue
		}
		prev := segs[i-1]
		q, ok := walkIDs[prev]
		if !ok {
			continue
		}
		id, seen := ids[prev]
		if !seen {
			var v sql.NullString
			if err := e.app.DB.QueryRow(t.Context(), q).Scan(&v); err != nil && !errors.Is(err, sql.ErrNoRows) {
				t.Fatalf("%s: %v", q, err)
			}
			id = v.String
			ids[prev] = id
		}
		if id != "" {
			segs[i] = id
		}
	}
	return fill(strings.Join(segs, "/"))
}
