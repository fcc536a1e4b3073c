package web_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"anwei/internal/docs"
)

// sortedRows is a page of a listing's API: each item's id and the value
// of the field it was sorted by.
func sortedRows(t *testing.T, e *env, as, path, field string) (ids []float64, vals []any) {
	t.Helper()
	code, body := e.do(e.login(as), "GET", path, "")
	if code != 200 {
		t.Fatalf("%s: %d %s", path, code, body)
	}
	var l struct{ Items []map[string]any }
	if err := json.Unmarshal([]byte(body), &l); err != nil {
		t.Fatal(err)
	}
	for _, it := range l.Items {
		ids = append(ids, it["id"].(float64))
		vals = append(vals, it[field])
	}
	return ids, vals
}

// TestListsSortByTheirColumns: every sortable listing (enterprises,
// hazards, risk points, users, units, dated tasks) sorts by a whitelisted key both ways, in an
// order other than its own, with a stable tiebreak, and refuses a key it
// does not have with a Chinese 422 naming sort (issue 16.4); on both
// databases.
func TestListsSortByTheirColumns(t *testing.T) {
	t.Parallel()
	lists := []struct {
		name, as, path, key, field string
		numeric                    bool // the values compare as numbers (else as strings of one format)
	}{
		{"enterprises", "office", "/api/v1/enterprises?limit=100", "staff", "staff", true},
		{"hazards", "office", "/api/v1/hazards?limit=100", "deadline", "deadline", false},
		{"risks", "office", "/api/v1/risks?limit=100", "value", "value", true},
		{"users", "office", "/api/v1/users?limit=100", "username", "username", false},
		{"units", "office", "/api/v1/units?limit=100", "level", "level", true},
		{"tasks", "office", "/api/v1/instances?limit=100", "unit", "unit_name", false},
	}
	eachDB(t, func(t *testing.T, e *env) {
		for _, l := range lists {
			t.Run(l.name, func(t *testing.T) {
				own, _ := sortedRows(t, e, l.as, l.path, l.field)
				if len(own) < 3 {
					t.Fatalf("%s lists %d rows", l.path, len(own))
				}
				asc, av := sortedRows(t, e, l.as, l.path+"&sort="+l.key, l.field)
				desc, dv := sortedRows(t, e, l.as, l.path+"&sort="+l.key+"&desc=1", l.field)
				if slices.Equal(asc, own) {
					t.Errorf("sort=%s lists in the listing's own order", l.key)
				}
				less := func(a, b any) bool {
					if l.numeric {
						return a.(float64) < b.(float64)
					}
					return fmt.Sprint(a) < fmt.Sprint(b)
				}
				for i := 1; i < len(av); i++ {
					if less(av[i], av[i-1]) {
						t.Fatalf("sort=%s: %v before %v", l.key, av[i-1], av[i])
					}
				}
				for i := 1; i < len(dv); i++ {
					if less(dv[i-1], dv[i]) {
						t.Fatalf("sort=%s&desc=1: %v before %v", l.key, dv[i-1], dv[i])
					}
				}
				// Equal values keep one order (the id's, turned with the rest):
				// when every row is on the page, desc is asc backwards.
				if len(asc) < 100 {
					back := slices.Clone(desc)
					slices.Reverse(back)
					if !slices.Equal(asc, back) {
						t.Errorf("sort=%s: desc is not asc backwards", l.key)
					}
				}
				code, body := e.do(e.login(l.as), "GET", l.path+"&sort=password", "")
				if code != 422 || !strings.Contains(body, `"field":"sort"`) || !strings.Contains(body, "排序") {
					t.Errorf("an unknown sort key: %d %.200s", code, body)
				}
			})
		}
	})
}

// TestListsCarryStreetTradeAndDepartments: the enterprise list and the
// hazard list and ledger show each enterprise's street (by name), trade and
// supervising departments, on the page, in the API and in Excel (issue 16.4).
func TestListsCarryStreetTradeAndDepartments(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	office := e.login("office")
	const name = "济南泺口精细化工有限公司"
	_, body := e.do(office, "GET", "/api/v1/enterprises?q="+name, "")
	var l struct {
		Items []struct {
			Name, StreetName, IndustryName, RegionCode string
			DeptNames                                  []string
		}
	}
	if err := json.Unmarshal([]byte(strings.NewReplacer(`"street_name"`, `"StreetName"`, `"industry_name"`, `"IndustryName"`,
		`"dept_names"`, `"DeptNames"`, `"region_code"`, `"RegionCode"`).Replace(body)), &l); err != nil || len(l.Items) != 1 {
		t.Fatalf("%v %s", err, body)
	}
	ent := l.Items[0]
	if ent.StreetName == "" || strings.ContainsAny(ent.StreetName, "0123456789") || ent.IndustryName == "" || len(ent.DeptNames) == 0 {
		t.Fatalf("the API's enterprise: %+v", ent)
	}
	depts := strings.Join(ent.DeptNames, "、")
	_, page := e.do(office, "GET", "/enterprises?q="+name, "")
	for _, w := range []string{">街道<", ">行业<", "<th>监管部门</th>", ent.StreetName, ent.IndustryName, depts} {
		if !strings.Contains(page, w) {
			t.Errorf("the enterprise list lacks %q", w)
		}
	}
	_, hz := e.do(office, "GET", "/api/v1/hazards?limit=100", "")
	if !strings.Contains(hz, `"street_name":"`+ent.StreetName+`"`) || !strings.Contains(hz, `"dept_names":[`) {
		t.Errorf("the API's hazards carry no street or departments")
	}
	_, page = e.do(office, "GET", "/hazards?q=", "")
	for _, w := range []string{">街道<", "<th>行业</th>", "<th>监管部门</th>", ent.StreetName, depts} {
		if !strings.Contains(page, w) {
			t.Errorf("the hazard list lacks %q", w)
		}
	}
	for _, x := range []struct{ path, col, want string }{
		{"/hazards/ledger.xlsx", "街道", ent.StreetName},
		{"/hazards/ledger.xlsx", "监管部门", depts},
		{"/enterprises.xlsx", "监管部门", depts},
		{"/enterprises.xlsx", "行业", ent.IndustryName},
	} {
		code, data := e.do(office, "GET", x.path, "")
		if code != 200 {
			t.Fatalf("%s: %d", x.path, code)
		}
		rows, err := docs.Open(docs.File{Name: "x.xlsx", Data: []byte(data)}, 100000)
		if err != nil {
			t.Fatal(err)
		}
		col := slices.Index(rows.Header(), x.col)
		found := false
		for {
			_, cells, err := rows.Next()
			if err != nil {
				break
			}
			if slices.Contains(cells, name) && col >= 0 && col < len(cells) && cells[col] == x.want {
				found = true
			}
		}
		rows.Close()
		if !found {
			t.Errorf("%s: no row of %s with %s %q (columns %v)", x.path, name, x.col, x.want, rows.Header())
		}
	}
	// The headings sort: the current one shows its arrow and turns the
	// order, the others sort ascending; each keeps the filters and the page
	// size and goes back to the first page; the filter form keeps the order.
	_, page = e.do(office, "GET", "/enterprises?class=C&size=50&page=2&sort=street&desc=1", "")
	for _, w := range []string{
		`aria-sort="descending"><a class="sort" href="?class=C&amp;size=50&amp;sort=street">街道 <span class="arrow">↓</span>`,
		`<a class="sort" href="?class=C&amp;size=50&amp;sort=name">企业名称</a>`,
		`<input type="hidden" name="sort" value="street"><input type="hidden" name="desc" value="1">`,
	} {
		if !strings.Contains(page, w) {
			t.Errorf("the sorted enterprise list lacks %s", w)
		}
	}
}
