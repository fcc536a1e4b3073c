package web_test

import (
	"encoding/json"
	"strconv"
	"testing"
)

// TestTodoAPI (issue 16.1): the expert's 待办 holds the demo's request with
// its live state, through the API and on its page and home page; once
// answered, it has left all three.
func TestTodoAPI(t *testing.T) {
	t.Parallel()
	body := `{"level":"general","reasoning":"距离满足要求"}`
	runScenarios(t, newEnv(t), []scenario{
		{Name: "the expert's 待办", URL: "/api/v1/todo", As: "expert", Status: 200,
			Want: []string{`"total":1`, `"link":"/hazard-requests/`, `"state":"待答复；隐患 YH`, `"todo":true`},
			After: func(t *testing.T, e *env, a *answer) {
				var l struct {
					Items []struct {
						Link string `json:"link"`
					}
				}
				if err := json.Unmarshal([]byte(a.Body), &l); err != nil || len(l.Items) != 1 {
					t.Fatalf("待办 %q: %v", a.Body, err)
				}
				id, err := strconv.ParseInt(l.Items[0].Link[len("/hazard-requests/"):], 10, 64)
				if err != nil {
					t.Fatal(err)
				}
				e.vars["req"] = strconv.FormatInt(id, 10)
			}},
		{Name: "the 待办 page", URL: "/todo", As: "expert", Status: 200, Want: []string{`id="todo"`, "现状: 待答复"}},
		{Name: "the home page leads with it", URL: "/", As: "expert", Status: 200, Want: []string{`id="home-todo"`, "现状: 待答复"}},
		{Name: "the expert answers", Method: "POST", URL: "/api/v1/hazard-requests/{var:req}/answer", As: "expert", Body: body, Status: 201},
		{Name: "it has left the 待办", URL: "/api/v1/todo", As: "expert", Status: 200, Want: []string{`"total":0`}},
		{Name: "and the home page", URL: "/", As: "expert", Status: 200, Want: []string{"没有待办事项"}, NotWant: []string{"现状: 待答复"}},
	})
}
