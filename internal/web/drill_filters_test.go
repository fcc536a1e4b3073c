package web_test

import (
	"strings"
	"testing"
)

// TestDrillFiltersSayWhatDoesNotRead: a drill-down number that does not
// read (year=abc, dept=x) is a 422 naming the field, not a silent 0 that
// lists everything; a year out of 2000–2100 likewise (on PostgreSQL it
// reached the timestamp arithmetic).
func TestDrillFiltersSayWhatDoesNotRead(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	office := e.login("office")
	for _, c := range []struct{ query, field string }{
		{"year=abc", "year"}, {"year=99999", "year"}, {"dept=x", "dept"}, {"enterprise=-3", "enterprise"},
	} {
		code, body := e.do(office, "GET", "/api/v1/hazards?"+c.query, "")
		if code != 422 || !strings.Contains(body, `"field":"`+c.field+`"`) {
			t.Errorf("GET /api/v1/hazards?%s: %d %.300s", c.query, code, body)
		}
		if code, page, _ := e.get(office, "/hazards?"+c.query); code != 422 {
			t.Errorf("GET /hazards?%s: %d %.300s", c.query, code, page)
		}
	}
	if code, body := e.do(office, "GET", "/api/v1/hazards?year=2026&dept=", ""); code != 200 {
		t.Errorf("a good year and an empty department: %d %.300s", code, body)
	}
}
