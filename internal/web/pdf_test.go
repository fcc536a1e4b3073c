package web_test

import (
	"encoding/json"
	"html"
	"strings"
	"testing"
)

// A writ whose text has a character no embedded face prints is refused
// with the character and the place named (422, on the error page), never
// sent with a blank; a rare character a fallback face has prints.
func TestPDFWithUnprintableCharacterIsRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ent := e.login("enterprise")
	var me struct {
		Unit struct{ ID int64 } `json:"unit"`
	}
	if _, body := e.do(ent, "GET", "/api/v1/me", ""); json.Unmarshal([]byte(body), &me) != nil || me.Unit.ID == 0 {
		t.Fatalf("me: %s", body)
	}
	card := func(responsible string) (int, string) {
		in, _ := json.Marshal(map[string]any{"enterprise_id": me.Unit.ID, "name": "液氯储罐区", "activity": "液氯装卸", "factors": "液氯泄漏",
			"accidents": "中毒和窒息", "measures": "紧急切断、泄漏报警", "responsible": responsible, "inputs": map[string]float64{"l": 6, "e": 6, "c": 7}})
		code, body := e.do(ent, "POST", "/api/v1/risks", string(in))
		var p struct{ ID int64 }
		if code != 201 && code != 200 || json.Unmarshal([]byte(body), &p) != nil || p.ID == 0 {
			t.Fatalf("risk: %d %s", code, body)
		}
		return e.do(ent, "GET", "/risks/"+fmtID(p.ID)+"/card.pdf", "")
	}
	if code, body := card("储运车间主任 刘䶮"); code != 200 || !strings.HasPrefix(body, "%PDF") {
		t.Errorf("䶮: %d %.200s", code, body)
	}
	code, body := card("储运车间主任 王𠮷")
	body = html.UnescapeString(body)
	if code != 422 || !strings.Contains(body, "“责任人”栏") || !strings.Contains(body, "“𠮷”（U+20BB7）") || strings.HasPrefix(body, "%PDF") {
		t.Errorf("𠮷: %d %.600s", code, body)
	}
}
