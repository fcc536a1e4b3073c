package web_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestEveryAPIReadAnswersJSON: every GET route of the API table without a
// path parameter answers the office and an enterprise with a status below
// 500 and, when it is 200, a body that is one whole JSON value — an empty
// 200 (as GET /api/v1/risks/scheme gave while its bands held NaN, which JSON
// cannot encode) fails here.
func TestEveryAPIReadAnswersJSON(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	routes, _ := e.app.Web.APIRoutes()
	checked := 0
	for _, user := range []string{"office", "enterprise"} {
		c := e.login(user)
		for _, rt := range routes {
			if rt[0] != "GET" || strings.Contains(rt[1], "{") || strings.HasSuffix(rt[1], "/export") {
				continue
			}
			code, body := e.do(c, "GET", rt[1], "")
			if code >= 500 {
				t.Errorf("%s GET %s: %d %s", user, rt[1], code, body)
				continue
			}
			if code == 200 {
				checked++
				if !json.Valid([]byte(body)) || strings.TrimSpace(body) == "" {
					t.Errorf("%s GET %s: 200 with a body that is not JSON: %.200q", user, rt[1], body)
				}
			}
		}
	}
	if checked < 20 {
		t.Fatalf("only %d reads answered 200", checked)
	}
}
