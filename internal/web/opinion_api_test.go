package web_test

import (
	"encoding/json"
	"strconv"
	"testing"
)

// TestExpertOpinionAPI: the expert finds the demo's pending request through
// the API and answers it once; only the named expert may; the department
// reads the opinion, lists the experts it may ask and asks again; the pages
// show the request to the expert and the opinions to the department, never
// to the enterprise.
func TestExpertOpinionAPI(t *testing.T) {
	t.Parallel()
	body := `{"level":"major","criterion":"hg121-3","reasoning":"仓库属人员密集场所，距一级重大危险源液氯储罐区40米，小于外部安全防护距离"}`
	runScenarios(t, newEnv(t), []scenario{
		{Name: "the expert's pending requests", URL: "/api/v1/hazard-requests?status=pending", As: "expert", Status: 200,
			Want: []string{"厂区东侧围墙外", `"total":1`},
			After: func(t *testing.T, e *env, a *answer) {
				var l struct {
					Items []struct {
						ID       int64 `json:"id"`
						HazardID int64 `json:"hazard_id"`
					}
				}
				if err := json.Unmarshal([]byte(a.Body), &l); err != nil || len(l.Items) != 1 {
					t.Fatalf("requests %q: %v", a.Body, err)
				}
				e.vars["req"], e.vars["hazard"] = strconv.FormatInt(l.Items[0].ID, 10), strconv.FormatInt(l.Items[0].HazardID, 10)
			}},
		{Name: "the enterprise may not read it", URL: "/api/v1/hazard-requests/{var:req}", As: "enterprise", Status: 403},
		{Name: "the department may not answer", Method: "POST", URL: "/api/v1/hazard-requests/{var:req}/answer", As: "member", Body: body, Status: 403},
		{Name: "an answer names a level", Method: "POST", URL: "/api/v1/hazard-requests/{var:req}/answer", As: "expert",
			Body: `{"level":"","reasoning":"x"}`, Status: 422, Want: []string{"建议等级"}},
		{Name: "the expert answers", Method: "POST", URL: "/api/v1/hazard-requests/{var:req}/answer", As: "expert", Body: body,
			Status: 201, Want: []string{`"answered_at"`, `"level":"major"`}},
		{Name: "once", Method: "POST", URL: "/api/v1/hazard-requests/{var:req}/answer", As: "expert", Body: body, Status: 409},
		{Name: "the department reads the opinion", URL: "/api/v1/hazards/{var:hazard}/opinions", As: "member", Status: 200,
			Want: []string{`"criterion":"hg121-3"`, "外部安全防护距离"}},
		{Name: "experts the department may ask", URL: "/api/v1/experts", As: "member", Status: 200, Want: []string{"陈工", "天桥区安全生产专家库"}},
		{Name: "the enterprise asks nobody", URL: "/api/v1/experts", As: "enterprise", Status: 403},
		{Name: "the department asks again", Method: "POST", URL: "/api/v1/hazards/{var:hazard}/opinions", As: "member",
			Body: `{"expert_ids":[{user:expert}],"question":"请复核防护距离的测量"}`, Status: 201, Want: []string{"请复核防护距离的测量"}},
		{Name: "the expert's page", URL: "/hazard-requests", As: "expert", Status: 200, Want: []string{"判定请求", "厂区东侧围墙外", "待答复"}},
		{Name: "the opinions beside the judge form", URL: "/hazards/{var:hazard}", As: "member", Status: 200,
			Want: []string{"专家判定意见", "外部安全防护距离", `id="ask-experts"`, `id="act-judge"`}},
		{Name: "the expert reads the hazard, no step", URL: "/hazards/{var:hazard}", As: "expert", Status: 200,
			Want: []string{"厂区东侧围墙外"}, NotWant: []string{`id="act-judge"`, `id="ask-experts"`}},
		{Name: "the enterprise sees no opinion", URL: "/hazards/{var:hazard}", As: "enterprise", Status: 200, NotWant: []string{"专家判定意见"}},
	})
}
