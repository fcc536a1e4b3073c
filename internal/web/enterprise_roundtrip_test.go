package web_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestEnterpriseRecordRoundTrips: the record GET answers is a body PUT takes
// back unchanged — categories come as an array and go back as one — for the
// enterprise's own record and for the office; and the edit form offers the
// enterprise the streets of its county, its own selected (issue 14.1: the
// list held only "请选择", so the browser refused the form).
func TestEnterpriseRecordRoundTrips(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		id := fmtID(e.lookup(t, "enterprise", "济南泺口精细化工有限公司"))
		for _, user := range []string{"enterprise", "office"} {
			c := e.login(user)
			code, before := e.do(c, "GET", "/api/v1/enterprises/"+id, "")
			if code != 200 || !strings.Contains(before, `"categories":["`) {
				t.Fatalf("%s GET: %d %.300s", user, code, before)
			}
			code, body := e.do(c, "PUT", "/api/v1/enterprises/"+id, before)
			if code != 200 {
				t.Fatalf("%s PUT of what GET answered: %d %s", user, code, body)
			}
			var reply struct {
				ChangeRequest int64 `json:"change_request"`
			}
			if err := json.Unmarshal([]byte(body), &reply); err != nil || reply.ChangeRequest != 0 {
				t.Errorf("%s PUT of an unchanged record: change request %d (%v) in %s", user, reply.ChangeRequest, err, body)
			}
			if _, after := e.do(c, "GET", "/api/v1/enterprises/"+id, ""); !sameRecord(t, before, after) {
				t.Errorf("%s: the record changed by a PUT of itself:\n before %s\n after  %s", user, before, after)
			}
		}
		code, form := e.do(e.login("enterprise"), "GET", "/enterprises/"+id+"/edit", "")
		if code != 200 || strings.Count(form, `<option value="370105`) < 10 || !strings.Contains(form, `<option value="370105015" selected>`) {
			t.Errorf("the enterprise's edit form: %d, streets offered %d, its own selected %v", code,
				strings.Count(form, `<option value="370105`), strings.Contains(form, `<option value="370105015" selected>`))
		}
	})
}

// sameRecord compares two GET answers without the update time.
func sameRecord(t *testing.T, a, b string) bool {
	t.Helper()
	var ma, mb map[string]any
	if err := json.Unmarshal([]byte(a), &ma); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(b), &mb); err != nil {
		t.Fatal(err)
	}
	delete(ma, "updated_at")
	delete(mb, "updated_at")
	ja, _ := json.Marshal(ma)
	jb, _ := json.Marshal(mb)
	return string(ja) == string(jb)
}
