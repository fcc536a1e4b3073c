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
// every page of Routes() without a path parameter (and a plan's figures,
// whose chart data names units) shows it escaped — in the HTML, in
// attributes and in the JSON data blocks (<script type="application/json">,
// which must still parse) — as the office and as an enterprise.
func TestStoredTextIsEscapedOnEveryPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.exec(`UPDATE units SET name = name || ?, short_name = short_name || ?`, poison, poison)
	e.exec(`UPDATE enterprises SET name = name || ?`, poison)
	e.exec(`UPDATE hazards SET place = place || ?, description = description || ?`, poison, poison)
	e.exec(`UPDATE plan_tasks SET text = text || ?`, poison)
	var planID string
	if err := e.app.DB.QueryRow(t.Context(), "SELECT CAST(MIN(id) AS TEXT) FROM plans").Scan(&planID); err != nil {
		t.Fatal(err)
	}
	paths := []string{"/plans/" + planID + "/figures", "/plans/" + planID}
	for _, rt := range e.app.Web.Routes() {
		if rt.Method == "GET" && !rt.API && !strings.Contains(rt.Path, "{") && !strings.HasSuffix(rt.Path, "/") &&
			!strings.HasSuffix(rt.Path, ".xlsx") && !strings.HasSuffix(rt.Path, ".pdf") && !strings.HasSuffix(rt.Path, ".docx") {
			paths = append(paths, rt.Path)
		}
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
}
