package web_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
)

// TestASecondReminderIsAskedFor: choosing a duty that already has an
// unanswered 提醒函 brings the form back with that 提醒函 named, the
// chosen boxes still ticked and a box to issue it anyway; ticked, it goes
// out (issue 16.2). The API says the same with 409 and takes "again".
func TestASecondReminderIsAskedFor(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	office := e.login("office")
	code, body := e.do(office, "GET", "/api/v1/notices?limit=50", "")
	var l struct {
		Items []struct {
			ID     int64  `json:"id"`
			Kind   string `json:"kind"`
			Status string `json:"status"`
			Number string `json:"doc_number"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(body), &l); code != 200 || err != nil {
		t.Fatalf("notices: %d %v", code, err)
	}
	var id int64
	var number string
	for _, n := range l.Items {
		if n.Kind == "reminder" && n.Status != "answered" {
			id, number = n.ID, n.Number
		}
	}
	if id == 0 {
		t.Fatalf("no unanswered 提醒函 in the demo: %.500s", body)
	}
	_, body = e.do(office, "GET", "/api/v1/notices/"+fmtID(id), "")
	var n struct {
		Items []struct {
			InstanceID int64 `json:"instance_id"`
			Done       bool  `json:"done"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(body), &n); err != nil || len(n.Items) == 0 {
		t.Fatalf("the notice's duties: %v %.300s", err, body)
	}
	inst := fmtID(n.Items[0].InstanceID)
	form := url.Values{"kind": {"reminder"}, "answer_by": {"2099-12-31"}, "instance": {inst}}
	code, page, _ := e.post(office, "/notices", form)
	if code != 409 || !strings.Contains(page, number) || !strings.Contains(page, `name="again" value="1"`) ||
		!strings.Contains(page, `value="`+inst+`" aria-label="选择" checked`) {
		t.Errorf("a second reminder unasked: %d %.3000s", code, page)
	}
	code, body = e.do(office, "POST", "/api/v1/notices", `{"kind":"reminder","answer_by":"2099-12-31","instance_ids":[`+inst+`]}`)
	if code != 409 || !strings.Contains(body, number) {
		t.Errorf("API, unasked: %d %s", code, body)
	}
	form.Set("again", "1")
	if code, page, _ := e.post(office, "/notices", form); code != 303 && code != 200 {
		t.Errorf("issued anyway: %d %.500s", code, page)
	}
}
