package web_test

import "testing"

// TestEnforceScenarios: the enforcement pages and API as their users call
// them on the demo — the checklist by category, the year's overview, the
// demo's plan and draws, the cap table, and what others may not do.
func TestEnforceScenarios(t *testing.T) {
	t.Parallel()
	runScenarios(t, newEnv(t), []scenario{
		{Name: "a 危化 checklist starts with the standard's items", URL: "/api/v1/enforce/checklist?categories=hazchem&major=1", As: "officer",
			Status: 200, Want: []string{`"key":"hg121-1"`, `"violation":"a101-2"`, `"major":true`}},
		{Name: "an unknown category is named", URL: "/api/v1/enforce/checklist?categories=hazchem,nosuch", As: "officer",
			Status: 422, Want: []string{"未知的监管类别「nosuch」"}},
		{Name: "the office sees the department's year", URL: "/api/v1/enforce/overview", As: "office",
			Status: 200, Want: []string{"济南市天桥区应急管理局", `"state":"published"`}},
		{Name: "the department's plan page shows its verdict", URL: "/enforce", As: "member", Status: 200, Want: []string{"已公示", "双随机抽查 (2)"}},
		{Name: "an enterprise has no enforcement pages", URL: "/enforce", As: "enterprise", Status: 403},
		{Name: "a department may not set the caps", Method: "PUT", URL: "/api/v1/enforce/caps", As: "member",
			Body: `{"rows":[],"frequent_cases":4,"supervisory":3}`, Status: 403},
		{Name: "the caps default to 山西 2025's", URL: "/api/v1/enforce/caps", As: "office", Status: 200, Want: []string{`"supervisory":3`, "山西省 2025"}},
		{Name: "an unknown commitment is not found, signed out", URL: "/public/draws/" + "0000000000000000000000000000000000000000000000000000000000000000", Status: 404},
	})
}
