package web_test

import (
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// poison is stored text that would run as script, close a data block or
// break an attribute if a page put it in unescaped.
const poison = `"'></script><script>alert(1)</script>&amp;`

// TestStoredTextIsEscapedOnEveryPage: with the names of every unit and
// enterprise and the text of every hazard and plan task carrying poison,
// every page of Routes() — those with a path parameter on a real object of
// the demo (walkIDs: a hazard, an enterprise, a task, a notice, a plan…) —
// shows it escaped — in the HTML, in attributes and in the JSON data blocks
// (<script type="application/json">, which must still parse) — as the
// office and as an enterprise.
func TestStoredTextIsEscapedOnEveryPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.exec(`UPDATE units SET name = name || ?, short_name = short_name || ?`, poison, poison)
	e.exec(`UPDATE enterprises SET name = name || ?`, poison)
	e.exec(`UPDATE hazards SET place = place || ?, description = description || ?`, poison, poison)
	e.exec(`UPDATE plan_tasks SET text = text || ?`, poison)
	var paths []string
	ids := map[string]string{}
	for _, rt := range e.app.Web.Routes() {
		if rt.Method != "GET" || rt.API || strings.Contains(rt.Path, "{$}") || strings.HasSuffix(rt.Path, "/") || binary(rt.Path) {
			continue
		}
		if p := e.realPath(t, rt.Path, ids); !strings.Contains(p, "999999") {
			paths = append(paths, p)
		}
	}
	// The pages of one object that show stored text must be walked and
	// show the poison to the office.
	mustShow := map[string]bool{}
	for _, p := range []string{"/hazards/{id}", "/enterprises/{id}", "/tasks/{id}", "/notices/{id}", "/plans/{id}", "/plans/{id}/figures"} {
		mustShow[e.realPath(t, p, ids)] = true
	}
	block := regexp.MustCompile(`(?s)<script type="application/json"[^>]*>(.*?)</script>`)
	seen, blocks := 0, 0
	for _, user := range []string{"office", "enterprise"} {
		c := e.login(user)
		for _, p := range paths {
			resp, err := c.Get(e.srv.URL + p)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			body := string(b)
			if resp.StatusCode >= 500 {
				t.Errorf("%s as %s: %d", p, user, resp.StatusCode)
			}
			if strings.Contains(body, "<script>alert(1)") || strings.Contains(body, `"'></script>`) {
				t.Errorf("%s as %s: stored text unescaped", p, user)
			}
			if resp.StatusCode == http.StatusOK && strings.Contains(body, "alert(1)") {
				seen++
				if user == "office" {
					delete(mustShow, p)
				}
			}
			for _, m := range block.FindAllStringSubmatch(body, -1) {
				blocks++
				var v any
				if err := json.Unmarshal([]byte(m[1]), &v); err != nil {
					t.Errorf("%s as %s: a data block is not JSON: %v", p, user, err)
				}
			}
		}
	}
	if seen < 5 || blocks < 2 {
		t.Errorf("the poison was shown on %d pages, %d data blocks read: the walk checks nothing", seen, blocks)
	}
	for p := range mustShow {
		t.Errorf("%s was not walked or did not show the stored text to the office", p)
	}
}

// binary reports whether a route answers with a file, not a page: a
// download, a stored photo or attachment.
func binary(path string) bool {
	for _, suffix := range []string{".xlsx", ".pdf", ".docx", "/pdf", "/docx"} {
		if strings.HasSuffix(path, suffix) {
			return true
		}
	}
	return strings.HasPrefix(path, "/hazard-photos/") || strings.HasPrefix(path, "/attachments/")
}
