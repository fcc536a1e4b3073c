package web_test

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

// TestReassessmentStartsFromTheCurrentValues: a risk point's re-assessment
// form starts from its current L, E and C — not from the first option of
// each list (issue 16.2), so a person changes only what changed.
func TestReassessmentStartsFromTheCurrentValues(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ent := e.login("enterprise")
	code, body := e.do(ent, "GET", "/api/v1/risks?limit=1", "")
	var l struct {
		Items []struct {
			ID     int64  `json:"id"`
			Method string `json:"method"`
			Inputs string `json:"inputs"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(body), &l); code != 200 || err != nil || len(l.Items) == 0 || l.Items[0].Method != "lec" {
		t.Fatalf("the enterprise's risk points: %d %v %.300s", code, err, body)
	}
	p := l.Items[0]
	_, page := e.do(ent, "GET", "/risks/"+fmtID(p.ID), "")
	for _, f := range strings.Fields(p.Inputs) { // L=6 E=6 C=7
		k, v, _ := strings.Cut(f, "=")
		sel := regexp.MustCompile(`(?s)<select name="` + strings.ToLower(k) + `">.*?</select>`).FindString(page)
		if !strings.Contains(sel, `<option value="`+v+`" selected>`) {
			t.Errorf("%s starts at %.200q, want %s selected", k, sel, v)
		}
	}
}
