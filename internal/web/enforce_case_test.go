package web_test

import (
	"context"
	"testing"

	"anwei/internal/app/apptest"
	"anwei/internal/org"
	"anwei/internal/web"
)

// caseAt prepares a 行政处罚案件 (issue 24) of the member's department in
// state, its id saved as name.
func caseAt(name, state string) func(t *testing.T, e *env) {
	return func(t *testing.T, e *env) {
		t.Helper()
		ctx := context.Background()
		actor := func(u string) *org.Actor {
			a, err := e.app.Org.ActorByUsername(ctx, u)
			if err != nil {
				t.Fatal(err)
			}
			return a
		}
		crew := apptest.Crew{Planner: actor("member"), Approver: actor("head"), Team: []*org.Actor{actor("officer"), actor("officer2")}}
		var firm int64
		if err := e.app.DB.QueryRow(ctx, `SELECT MIN(s.enterprise_id) FROM supervisions s JOIN enterprises en ON en.unit_id = s.enterprise_id
			WHERE s.dept_id = ? AND en.status = 'operating'`, crew.Planner.Unit.ID).Scan(&firm); err != nil {
			t.Fatal(err)
		}
		id, err := apptest.Case(ctx, e.app.Enforce, crew, firm, state)
		if err != nil {
			t.Fatal(err)
		}
		e.vars[name] = fmtID(id)
	}
}

// caseOpened: the party and the team the officer names, each checked.
const caseOpened = "the party of a tip or an accident (looked up among the enterprises the department supervises) and the officers the department names (each checked against its 名录库)"

func init() {
	uploadRoutes["POST /enforce/cases/{id}/evidence"] = uploadRoute{"officer", filesBody, web.MaxFiles}
	realIDs["POST /enforce/cases/{id}/evidence"] = `SELECT MIN(c.id) FROM enforce_cases c JOIN users u ON u.unit_id = c.unit_id
		WHERE u.username = 'officer' AND c.state IN ('filed', 'noticed')`
	massWrites = append(massWrites, []massWrite{
		{Route: "POST /api/v1/enforce/cases", As: "officer", URL: "/api/v1/enforce/cases", Status: 201,
			Body:  `{"source":"tip","enterprise_id":{enterprise:济南泺口精细化工有限公司},"violation":"a99-1","facts":"未设置安全警示标志","officers":[{user:officer},{user:officer2}]}`,
			Takes: map[string]string{"enterprise_id": caseOpened, "officers": caseOpened, "grade": "the accident grade the investigation found (安全生产法 Art. 95, 114), of an accident case"}},
		{Route: "POST /enforce/cases", As: "officer", URL: "/enforce/cases", Status: 303,
			Body:  "source=tip&enterprise_id={enterprise:济南泺口精细化工有限公司}&violation=a99-1&facts=未设置安全警示标志&officers={user:officer}&officers={user:officer2}",
			Takes: map[string]string{"enterprise_id": caseOpened, "grade": "the accident grade the investigation found (安全生产法 Art. 95, 114), of an accident case"}},
		{Route: "POST /api/v1/enforce/cases/spot", As: "officer", URL: "/api/v1/enforce/cases/spot", Status: 201,
			Body:  `{"enterprise_id":{enterprise:济南泺口精细化工有限公司},"violation":"a99-1","facts":"未设置安全警示标志","fine":1000,"officers":[{user:officer2}]}`,
			Takes: map[string]string{"enterprise_id": caseOpened, "officers": caseOpened}},
		{Route: "POST /enforce/cases/spot", As: "officer", URL: "/enforce/cases/spot", Status: 303,
			Body: "enterprise_id={enterprise:济南泺口精细化工有限公司}&violation=a99-1&facts=未设置安全警示标志&fine=1000&officers={user:officer2}", Takes: map[string]string{"enterprise_id": caseOpened}},
		{Route: "POST /enforce/cases/{id}/evidence", As: "officer", URL: "/enforce/cases/{var:ev}/evidence", Status: 303, Before: caseAt("ev", "filed"),
			Body: "kind=interview&note=问：为何未设警示标志？答：疏忽。"},
		{Route: "POST /enforce/cases/{id}/{step}", As: "officer", URL: "/enforce/cases/{var:n1}/notice", Status: 303, Before: caseAt("n1", "filed"),
			Body: "tier=一般&proposed=20000", After: sqlIs("SELECT state FROM enforce_cases WHERE id = {var:n1}", "noticed")},
		{Route: "POST /api/v1/enforce/cases/{id}/{step}", As: "officer", URL: "/api/v1/enforce/cases/{var:n2}/notice", Status: 201, Before: caseAt("n2", "filed"),
			Body: `{"tier":"一般","proposed":20000}`, After: sqlIs("SELECT state FROM enforce_cases WHERE id = {var:n2}", "noticed")},
		{Route: "POST /enforce/case-rules", As: "office", URL: "/enforce/case-rules", Status: 303,
			Body:  "hearing_unit=60000&hearing_person=20000&statement_days=5&extension_days=30&review_from=60000&collective_from=100000&draw_publish_days=20&discretion=99,否,较轻,0,10000,初次违法",
			After: sqlIs("SELECT COUNT(*) FROM settings WHERE key LIKE 'enforce.cases:%'", "1")},
		{Route: "PUT /api/v1/enforce/case-rules", As: "office", URL: "/api/v1/enforce/case-rules", Status: 204,
			Body: `{"hearing_unit":50000,"hearing_person":20000,"statement_days":3,"extension_days":30,"review_from":50000,"collective_from":50000,"daily_day_before":true,"draw_publish_days":20}`},
	}...)
}
