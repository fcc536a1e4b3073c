package web_test

import (
	"encoding/json"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// fieldsOf are the fields a 422 answer's error lists (error.fields).
func fieldsOf(t *testing.T, body string) []string {
	t.Helper()
	var v struct {
		Error struct {
			Fields []struct{ Field, Message string }
		}
	}
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("not JSON: %v %.300s", err, body)
	}
	var out []string
	for _, f := range v.Error.Fields {
		out = append(out, f.Field)
	}
	return out
}

// wantFields checks that one answer names every field of want (issue 16.2:
// every fault of a form at once, not one per submission).
func wantFields(t *testing.T, what string, code int, body string, want ...string) {
	t.Helper()
	if code != 422 {
		t.Errorf("%s: %d %.400s", what, code, body)
		return
	}
	got := fieldsOf(t, body)
	for _, w := range want {
		if !slices.Contains(got, w) {
			t.Errorf("%s: error.fields %v lacks %q (%.400s)", what, got, w, body)
		}
	}
}

// TestEveryFormFamilyToldAtOnce: a form of each family with several bad
// fields is told all of them in one answer, before any lookup (a missing
// enterprise or unit is one of the fields, not 不存在).
func TestEveryFormFamilyToldAtOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin, office, ent := e.login("admin"), e.login("office"), e.login("enterprise")

	t.Run("org", func(t *testing.T) {
		code, body := e.do(admin, "POST", "/api/v1/users", `{"username":"X","display_name":"","phone":"12","roles":[]}`)
		wantFields(t, "a user", code, body, "username", "display_name", "unit_id", "phone", "roles")
		code, body = e.do(admin, "POST", "/api/v1/units", `{"name":"","kind":"nonsense"}`)
		wantFields(t, "a unit", code, body, "name", "kind")
		code, body = e.do(admin, "POST", "/api/v1/regions", `{"code":"12x","name":""}`)
		wantFields(t, "a region", code, body, "code", "name")
	})
	t.Run("enterprise", func(t *testing.T) {
		code, body := e.do(office, "POST", "/api/v1/enterprises/999999/certificates", `{"person":"","post":"x","number":"","issued_on":"soon"}`)
		wantFields(t, "a certificate", code, body, "person", "post", "number", "issued_on")
		code, body = e.do(office, "POST", "/api/v1/enterprises/999999/credit", `{"reason":"","basis":"","listed_on":"2099-01-01"}`)
		wantFields(t, "a credit listing", code, body, "reason", "basis", "listed_on")
		code, body = e.do(office, "POST", "/api/v1/enterprises/999999/installations", `{"name":"","kind":"x","people":-1}`)
		wantFields(t, "an installation", code, body, "name", "kind", "people")
		// The page: the certificate's faults next to its fields, what was
		// typed kept there, and neither in the licence form beside it.
		var me struct{ Unit struct{ ID int64 } }
		_, mb := e.do(ent, "GET", "/api/v1/me", "")
		if err := json.Unmarshal([]byte(mb), &me); err != nil || me.Unit.ID == 0 {
			t.Fatalf("me: %.200s", mb)
		}
		code, page := e.do(ent, "POST", "/enterprises/"+fmtID(me.Unit.ID)+"/certificates",
			url.Values{"form": {"certificate"}, "person": {"张三"}, "post": {"special"}, "number": {""}, "issued_on": {"昨天"}}.Encode())
		cert := between(page, `action="/enterprises/`+fmtID(me.Unit.ID)+`/certificates"`, "</form>")
		lic := between(page, `action="/enterprises/`+fmtID(me.Unit.ID)+`/licences"`, "</form>")
		if code != 422 || !strings.Contains(cert, `value="张三"`) || !strings.Contains(cert, `<span class="field-err">请填写证书编号</span>`) ||
			!strings.Contains(cert, `<span class="field-err">特种作业人员请填写作业类别`) || !strings.Contains(cert, `<span class="field-err">发证日期「昨天」`) {
			t.Errorf("the certificate form: %d %s", code, cert)
		}
		if lic == "" || strings.Contains(lic, "field-err") || strings.Contains(lic, `class="bad"`) {
			t.Errorf("the licence form shows the certificate's faults: %s", lic)
		}
		// The class rule form: blank numbers are 请填写 (not 0), a bad one is named, all at once.
		_, page = e.do(office, "GET", "/enterprises/duties", "")
		v := formValues(between(page, `id="class-rule-form"`, "</form>"))
		v.Set("cat_hazchem", "")
		v.Set("blacklist", "三")
		v.Set("class_min_1", "99")
		code, page = e.do(office, "POST", "/enterprises/class-rule", v.Encode())
		for _, m := range []string{"请填写危险化学品的分值", "严重失信的分值须为整数", "类别 B 的分数下限应低于 A"} {
			if code != 422 || !strings.Contains(page, `<span class="field-err">`+m+`</span>`) {
				t.Errorf("the class rule form: %d, %q not next to its field: %s", code, m, between(page, "<main", "</form>"))
			}
		}
	})
	t.Run("hazard", func(t *testing.T) {
		code, body := e.do(office, "POST", "/api/v1/hazards/999999/opinions", `{"expert_ids":[],"question":""}`)
		wantFields(t, "an expert request", code, body, "expert_ids", "question")
		var hs struct{ Items []struct{ ID int64 } }
		_, list := e.do(office, "GET", "/api/v1/hazards?state=reported", "")
		_ = json.Unmarshal([]byte(list), &hs)
		if len(hs.Items) == 0 {
			t.Fatalf("no reported hazard in the demo: %.300s", list)
		}
		id := fmtID(hs.Items[0].ID)
		code, body = e.do(office, "POST", "/api/v1/hazards/"+id+"/actions", `{"action":"judge","level":"severe","reasoning":"`+strings.Repeat("理", 3000)+`"}`)
		wantFields(t, "a judgement", code, body, "level", "reasoning")
	})
	t.Run("risk", func(t *testing.T) {
		code, body := e.do(ent, "POST", "/api/v1/risks", `{"name":"","factors":"","accidents":"飞碟","measures":"","responsible":""}`)
		wantFields(t, "a risk point", code, body, "name", "factors", "accidents", "measures", "responsible")
	})
	t.Run("plan", func(t *testing.T) {
		code, body := e.do(office, "POST", "/api/v1/notices", `{"kind":"x","instance_ids":[],"answer_by":"soon"}`)
		wantFields(t, "a notice", code, body, "instance_ids", "kind", "answer_by")
		var ps struct{ Items []struct{ ID int64 } }
		_, list := e.do(office, "GET", "/api/v1/plans", "")
		if err := json.Unmarshal([]byte(list), &ps); err != nil || len(ps.Items) == 0 {
			t.Fatalf("no plan in the demo: %.300s", list)
		}
		code, body = e.do(office, "PUT", "/api/v1/plans/"+fmtID(ps.Items[0].ID), `{"cadence":"weekly","cadence_days":99}`)
		wantFields(t, "a cadence", code, body, "cadence", "cadence_days")
		code, page, _ := e.post(office, "/plans/review", url.Values{"text": {""}, "year": {"明年"}})
		if code != 422 || !strings.Contains(page, "请上传工作要点文件") || !strings.Contains(page, `<span class="field-err">计划年度「明年」应为四位年份`) {
			t.Errorf("the plan import form: %d %s", code, between(page, "<main", "</form>"))
		}
	})
}

var nameValue = regexp.MustCompile(`name="([^"]+)" value="([^"]*)"`)

// formValues are the named inputs of a form's HTML with their values.
func formValues(form string) url.Values {
	v := url.Values{}
	for _, m := range nameValue.FindAllStringSubmatch(form, -1) {
		v.Set(m[1], m[2])
	}
	return v
}
