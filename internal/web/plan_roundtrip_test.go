package web_test

import (
	"strings"
	"testing"
)

// TestPlanRoundTrips: the plan GET answers is a body PUT takes back
// unchanged, and with its cadence changed sets the cadence (issue 14.1 for
// the plan's one writable type); a department may not. The plan page and
// the department's 我的任务 list 四.20 once, and the API's duties too
// (issue 14.8); the forms state their limits (issue 14.5).
func TestPlanRoundTrips(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		id := fmtID(e.lookup(t, "plan", "济天安发〔2026〕2号"))
		office, member := e.login("office"), e.login("member")
		code, before := e.do(office, "GET", "/api/v1/plans/"+id, "")
		if code != 200 || !strings.Contains(before, `"cadence":"quarter"`) {
			t.Fatalf("GET: %d %s", code, before)
		}
		if code, body := e.do(office, "PUT", "/api/v1/plans/"+id, before); code != 200 || !sameRecord(t, before, body) {
			t.Fatalf("PUT of what GET answered: %d %s", code, body)
		}
		// The demo plan reports quarterly, 5 working days after; monthly, 3 days after:
		changed := strings.Replace(strings.Replace(before, `"cadence":"quarter"`, `"cadence":"month"`, 1), `"cadence_days":5`, `"cadence_days":3`, 1)
		code, after := e.do(office, "PUT", "/api/v1/plans/"+id, changed)
		if code != 200 || !strings.Contains(after, `"cadence":"month"`) || !strings.Contains(after, `"cadence_days":3`) {
			t.Fatalf("PUT with the cadence changed: %d %s", code, after)
		}
		if code, body := e.do(office, "PUT", "/api/v1/plans/"+id, after); code != 200 || !sameRecord(t, after, body) {
			t.Errorf("PUT back of the changed plan: %d %s", code, body)
		}
		if code, body := e.do(member, "PUT", "/api/v1/plans/"+id, after); code != 403 {
			t.Errorf("a department PUTs the plan: %d %s", code, body)
		}
		if code, body := e.do(office, "PUT", "/api/v1/plans/"+id, `{"cadence":"quarter","cadence_days":30}`); code != 422 || !strings.Contains(body, "cadence_days") {
			t.Errorf("30 working days: %d %s", code, body)
		}
		if code, body := e.do(office, "PUT", "/api/v1/plans/"+id, before); code != 200 || !sameRecord(t, before, body) {
			t.Errorf("PUT back of the quarterly plan: %d %s", code, body)
		}
		_, page := e.do(office, "GET", "/plans/"+id, "")
		if n := strings.Count(page, `data-ref="四.20"`); n != 1 || !strings.Contains(page, "每季度，季后5个工作日内报送") {
			t.Errorf("the plan page: 四.20 %d times, cadence shown %v", n, strings.Contains(page, "季后5个工作日"))
		}
		_, tasks := e.do(member, "GET", "/tasks", "")
		if n := strings.Count(tasks, `data-ref="四.20"`); n != 1 || !strings.Contains(tasks, `maxlength="2000"`) {
			t.Errorf("the department's tasks: 四.20 %d times, evidence limited %v", n, strings.Contains(tasks, `maxlength="2000"`))
		}
		_, duties := e.do(member, "GET", "/api/v1/duties?plan_id="+id+"&limit=500", "")
		if n := strings.Count(duties, `"item_ref":"四.20"`); n != 1 || !strings.Contains(duties, `"role":"lead"`) {
			t.Errorf("GET /api/v1/duties: 四.20 %d times in %.300s", n, duties)
		}
	})
}
