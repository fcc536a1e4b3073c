package web_test

import (
	"context"
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"

	"anwei/internal/store"
)

// TestUnitSearchIsScoped: the unit pickers' search (GET /api/v1/units?q=
// with several kinds) answers each actor exactly the matching units of its
// jurisdiction — computed here from the tables, not through org's scope:
// the office and the street their region's subtree, a department the
// enterprises it supervises, an enterprise only itself — with the total
// counted alike (issue 14.2).
func TestUnitSearchIsScoped(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		const q = "济南"
		sizes := map[string]int{}
		for _, c := range []struct {
			user, kinds string
			region      bool // sees its region's subtree
			grants      bool // sees what it supervises or was granted
		}{
			{"office", "enterprise,street", true, true},
			{"street", "enterprise,street", true, true},
			{"member", "enterprise,department", false, true},
			{"enterprise", "enterprise,department", false, false},
		} {
			var unit int64
			var region string
			if err := e.app.DB.QueryRow(ctx, "SELECT u.id, u.region_code FROM users us JOIN units u ON u.id = us.unit_id WHERE us.username = ?",
				c.user).Scan(&unit, &region); err != nil {
				t.Fatal(err)
			}
			kinds := strings.Split(c.kinds, ",")
			sql := "SELECT u.id FROM units u WHERE u.kind IN (?, ?) AND (u.name LIKE ? OR u.short_name LIKE ? OR " +
				"EXISTS (SELECT 1 FROM unit_aliases al WHERE al.unit_id = u.id AND al.alias LIKE ?)) AND (u.id = ?"
			args := []any{kinds[0], kinds[1], "%" + q + "%", "%" + q + "%", "%" + q + "%", unit}
			if c.region {
				sql += " OR u.region_code LIKE ?"
				args = append(args, region+"%")
			}
			if c.grants {
				sql += " OR u.id IN (SELECT enterprise_id FROM supervisions WHERE dept_id = ?) OR u.id IN (SELECT object_id FROM scope_grants WHERE unit_id = ? AND object_kind = 'unit')"
				args = append(args, unit, unit)
			}
			rows, err := e.app.DB.Query(ctx, sql+")", args...)
			want, err := store.Collect(rows, err, store.Value[int64])
			if err != nil {
				t.Fatal(err)
			}
			code, body := e.do(e.login(c.user), "GET", "/api/v1/units?limit=500&q="+url.QueryEscape(q)+"&kind="+c.kinds, "")
			var got struct {
				Items []struct {
					ID   int64  `json:"id"`
					Kind string `json:"kind"`
				} `json:"items"`
				Total int `json:"total"`
			}
			if err := json.Unmarshal([]byte(body), &got); code != 200 || err != nil {
				t.Fatalf("%s: %d %v %.300s", c.user, code, err, body)
			}
			var ids []int64
			for _, it := range got.Items {
				ids = append(ids, it.ID)
				if !slices.Contains(kinds, it.Kind) {
					t.Errorf("%s: a unit of kind %s among %s", c.user, it.Kind, c.kinds)
				}
			}
			slices.Sort(ids)
			slices.Sort(want)
			if !slices.Equal(ids, want) || got.Total != len(want) {
				t.Errorf("%s searching %q among %s: %d units (total %d), want %d: got %v, want %v", c.user, q, c.kinds, len(ids), got.Total, len(want), ids, want)
			}
			sizes[c.user] = len(want)
		}
		// The cases mean something: the office sees more than its street,
		// the street more than the enterprise, which sees itself.
		if !(sizes["office"] > sizes["street"] && sizes["street"] > 1 && sizes["member"] > 1 && sizes["enterprise"] == 1) {
			t.Errorf("the jurisdictions searched: %v", sizes)
		}
	})
}
