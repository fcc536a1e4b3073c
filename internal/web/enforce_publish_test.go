package web_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"anwei/internal/enforce"
	"anwei/internal/web"
)

// pubAt prepares a decided case of the member's department (caseAt) and
// saves its publication's id as name, published (and its decision revoked,
// so that it may be withdrawn) when publish.
func pubAt(name string, publish bool) func(t *testing.T, e *env) {
	return func(t *testing.T, e *env) {
		t.Helper()
		ctx := context.Background()
		caseAt(name+"c", "decided")(t, e)
		var id int64
		if err := e.app.DB.QueryRow(ctx, "SELECT id FROM enforce_publications WHERE case_id = ?", e.vars[name+"c"]).Scan(&id); err != nil {
			t.Fatal(err)
		}
		if publish {
			a, err := e.app.Org.ActorByUsername(ctx, "officer")
			if err != nil {
				t.Fatal(err)
			}
			if err := e.app.Enforce.Publish(ctx, a, id, enforce.PublishInput{}); err != nil {
				t.Fatal(err)
			}
			head, err := e.app.Org.ActorByUsername(ctx, "head")
			if err != nil {
				t.Fatal(err)
			}
			caseID, _ := strconv.ParseInt(e.vars[name+"c"], 10, 64)
			if err := e.app.Enforce.Revise(ctx, head, caseID, enforce.ReviseInput{Kind: "revoked", Reason: "复议撤销"}); err != nil { // a decision in force is not withdrawn
				t.Fatal(err)
			}
		}
		e.vars[name] = fmtID(id)
	}
}

// flagAt opens an accident case with a death (the officer's department)
// and saves its 移送司法 flag's id as name.
func flagAt(name string) func(t *testing.T, e *env) {
	return func(t *testing.T, e *env) {
		t.Helper()
		ctx := context.Background()
		caseAt(name+"c", "filed")(t, e) // finds the firm and the crew; the flag comes from an accident case
		var firm int64
		if err := e.app.DB.QueryRow(ctx, "SELECT enterprise_id FROM enforce_cases WHERE id = ?", e.vars[name+"c"]).Scan(&firm); err != nil {
			t.Fatal(err)
		}
		o, err := e.app.Org.ActorByUsername(ctx, "officer")
		if err != nil {
			t.Fatal(err)
		}
		o2, err := e.app.Org.ActorByUsername(ctx, "officer2")
		if err != nil {
			t.Fatal(err)
		}
		c, err := e.app.Enforce.OpenCase(ctx, o, enforce.CaseInput{Source: "accident", EnterpriseID: firm, Article: 114, Grade: "一般", Facts: "高处坠落 1 人死亡",
			Officers: []int64{o.UserID, o2.UserID}, Deaths: 1})
		if err != nil {
			t.Fatal(err)
		}
		var id int64
		if err := e.app.DB.QueryRow(ctx, "SELECT id FROM enforce_escalations WHERE case_id = ?", c.ID).Scan(&id); err != nil {
			t.Fatal(err)
		}
		e.vars[name] = fmtID(id)
	}
}

// caseSheet is a one-row sheet of a past case of the officer's department
// (the demo firm the department supervises), as CSV.
func caseSheet(number string) func(t *testing.T, e *env) []byte {
	return func(t *testing.T, e *env) []byte {
		t.Helper()
		var name, code string
		if err := e.app.DB.QueryRow(context.Background(), `SELECT en.name, en.credit_code FROM supervisions s JOIN enterprises en ON en.unit_id = s.enterprise_id
			JOIN users u ON u.unit_id = s.dept_id WHERE u.username = 'officer' AND en.status = 'operating' ORDER BY en.unit_id LIMIT 1`).Scan(&name, &code); err != nil {
			t.Fatal(err)
		}
		return []byte(strings.Join(enforce.CaseSheetHeader, ",") + "\n" + strings.Join([]string{number, name, code, "", "99", "", "未设置警示标志", "",
			"2026-01-05", "2026-01-20", "", "", "10000", "", "", "", ""}, ",") + "\n")
	}
}

func init() {
	uploadRoutes["POST /enforce/cases/import"] = uploadRoute{"officer", web.CaseSheetBody, 0}
	uploadRoutes["POST /api/v1/enforce/cases/import"] = uploadRoute{"officer", web.CaseSheetAPIBody, 0}
	massWrites = append(massWrites, []massWrite{
		{Route: "POST /enforce/cases/import", As: "officer", URL: "/enforce/cases/import", Status: 200, FileName: "案件.csv", File: caseSheet("历史立〔2025〕1号"),
			After: sqlIs("SELECT COUNT(*) FROM enforce_cases WHERE number = '历史立〔2025〕1号'", "1")},
		{Route: "POST /api/v1/enforce/cases/import", As: "officer", URL: "/api/v1/enforce/cases/import?name=a.csv", Status: 201, File: caseSheet("历史立〔2025〕2号"),
			After: sqlIs("SELECT COUNT(*) FROM enforce_cases WHERE number = '历史立〔2025〕2号'", "1")},
		{Route: "POST /enforce/publications/{id}/publish", As: "officer", URL: "/enforce/publications/{var:pp1}/publish", Status: 303, Before: pubAt("pp1", false),
			After: sqlIs("SELECT state FROM enforce_publications WHERE id = {var:pp1}", "published")},
		{Route: "POST /api/v1/enforce/publications/{id}/publish", As: "officer", URL: "/api/v1/enforce/publications/{var:pp2}/publish", Status: 204, Before: pubAt("pp2", false),
			Body: `{}`, After: sqlIs("SELECT state FROM enforce_publications WHERE id = {var:pp2}", "published")},
		{Route: "POST /enforce/publications/{id}/withdraw", As: "officer", URL: "/enforce/publications/{var:pw1}/withdraw", Status: 303, Before: pubAt("pw1", true),
			Body: "reason=决定已被撤销", After: sqlIs("SELECT state FROM enforce_publications WHERE id = {var:pw1}", "withdrawn")},
		{Route: "POST /api/v1/enforce/publications/{id}/withdraw", As: "officer", URL: "/api/v1/enforce/publications/{var:pw2}/withdraw", Status: 204, Before: pubAt("pw2", true),
			Body: `{"reason":"决定已被撤销"}`, After: sqlIs("SELECT state FROM enforce_publications WHERE id = {var:pw2}", "withdrawn")},
		{Route: "POST /enforce/escalations/{id}", As: "head", URL: "/enforce/escalations/{var:x1}", Status: 303, Before: flagAt("x1"),
			Body: "action=dismiss&note=经查不涉嫌犯罪", After: sqlIs("SELECT state FROM enforce_escalations WHERE id = {var:x1}", "dismissed")},
		{Route: "POST /api/v1/enforce/escalations/{id}", As: "head", URL: "/api/v1/enforce/escalations/{var:x2}", Status: 204, Before: flagAt("x2"),
			Body: `{"action":"done","to_whom":"天桥公安分局","note":"案卷 1 册"}`, After: sqlIs("SELECT state FROM enforce_escalations WHERE id = {var:x2}", "done")},
	}...)
}

// TestThePublicPageRevalidates: /public/enforce is the same for everyone,
// signed in or not, kept by caches and revalidated by its ETag: the same
// page answers 304, a publication changes it, htmx's fragment is another
// page (Vary), and a withdrawal changes it again.
func TestThePublicPageRevalidates(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	etag := func(name string) func(t *testing.T, e *env, a *answer) {
		return func(t *testing.T, e *env, a *answer) {
			if a.Header.Get("ETag") == "" {
				t.Fatal("no ETag")
			}
			e.vars[name] = a.Header.Get("ETag")
		}
	}
	differs := func(from string) func(t *testing.T, e *env, a *answer) {
		return func(t *testing.T, e *env, a *answer) {
			if a.Header.Get("ETag") == e.vars[from] {
				t.Errorf("the page changed, its ETag did not: %s", e.vars[from])
			}
		}
	}
	cache := map[string]string{"Cache-Control": "public, no-cache", "Vary": "HX-Request, HX-Boosted"}
	runScenarios(t, e, []scenario{
		{Name: "signed out", URL: "/public/enforce", Status: 200, Want: []string{"执法信息公示"}, WantHeader: cache, After: etag("e1")},
		{Name: "signed in, the same page", URL: "/public/enforce", As: "office", Status: 200, NotWant: []string{"王建国"}, After: func(t *testing.T, e *env, a *answer) {
			if a.Header.Get("ETag") != e.vars["e1"] {
				t.Errorf("a signed-in user's page differs: %s, %s", a.Header.Get("ETag"), e.vars["e1"])
			}
		}},
		{Name: "unchanged", URL: "/public/enforce", Header: map[string]string{"If-None-Match": "{var:e1}"}, Status: 304},
		{Name: "htmx's fragment", URL: "/public/enforce", Header: map[string]string{"If-None-Match": "{var:e1}", "HX-Request": "true"}, Status: 200},
		{Name: "published", URL: "/public/enforce", Header: map[string]string{"If-None-Match": "{var:e1}"}, Before: pubAt("pv", true), Status: 200, After: differs("e1")},
	})
}
