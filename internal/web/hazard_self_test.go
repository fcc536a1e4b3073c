package web_test

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"testing"
)

// fixForm is a multipart 即查即改 report: fields, a photo before and one
// after unless after is false.
func fixForm(t *testing.T, after bool) (string, string) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for k, v := range map[string]string{"place": "机修车间", "description": "砂轮机防护罩缺失", "handling": "fix", "measures": "已加装防护罩"} {
		if err := w.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	files := []string{"files"}
	if after {
		files = append(files, "after_files")
	}
	for _, f := range files {
		part, err := w.CreateFormFile(f, f+".jpg")
		if err != nil {
			t.Fatal(err)
		}
		part.Write([]byte("\xff\xd8\xff\xe0 " + f))
	}
	w.Close()
	return b.String(), w.FormDataContentType()
}

// TestOwnHazardsThroughTheAPIAndTheForm: an enterprise's 即查即改 and 自行整改
// through the JSON API (the fix as multipart, with its photos) and the
// page's form; the list filters by 整改方式.
func TestOwnHazardsThroughTheAPIAndTheForm(t *testing.T) {
	e := newEnv(t)
	withPhotos, mp := fixForm(t, true)
	noAfter, mp2 := fixForm(t, false)
	id := func(name string) func(t *testing.T, e *env, a *answer) {
		return func(t *testing.T, e *env, a *answer) {
			var h struct{ ID int64 }
			if err := json.Unmarshal([]byte(a.Body), &h); err != nil || h.ID == 0 {
				t.Fatalf("%s: %v %s", name, err, a.Body)
			}
			e.vars[name] = fmtID(h.ID)
		}
	}
	runScenarios(t, e, []scenario{
		{Name: "self-rectification by JSON", Method: "POST", URL: "/api/v1/hazards", As: "enterprise",
			Body:   `{"place":"仓库","description":"货架未固定","handling":"self","deadline":"2099-12-31","responsible":"仓储主管 刘洋","measures":"货架与墙体固定"}`,
			Status: 201, Want: []string{`"state":"self_rectifying"`, `"handling":"self"`, `"level":"general"`}, After: id("self")},
		{Name: "self-rectification without a deadline", Method: "POST", URL: "/api/v1/hazards", As: "enterprise",
			Body:   `{"place":"仓库","description":"货架未固定","handling":"self","responsible":"刘洋","measures":"固定"}`,
			Status: 422, Want: []string{"请填写整改期限"}},
		{Name: "its own acceptance", Method: "POST", URL: "/api/v1/hazards/{var:self}/actions", As: "enterprise",
			Body: `{"action":"accept","evidence":"已固定，经安全科验收合格"}`, Status: 201, Want: []string{`"state":"closed"`, `"handling":"self"`}},
		{Name: "a fix by JSON has no photo after", Method: "POST", URL: "/api/v1/hazards", As: "enterprise",
			Body: `{"place":"车间","description":"防护罩缺失","handling":"fix","measures":"已加装"}`, Status: 422, Want: []string{"after_files", "整改后照片"}},
		{Name: "a fix as multipart", Method: "POST", URL: "/api/v1/hazards", As: "enterprise", Body: withPhotos, ContentType: mp,
			Status: 201, Want: []string{`"state":"closed"`, `"handling":"fix"`}, After: id("fix")},
		{Name: "its photos", URL: "/api/v1/hazards/{var:fix}", As: "member", Status: 200,
			Want: []string{`"stage":"report"`, `"stage":"rectified"`, `"action":"fix"`}},
		{Name: "a department cannot fix its finding", Method: "POST", URL: "/api/v1/hazards", As: "member",
			Body:   `{"enterprise_id":{enterprise:济南泺口精细化工有限公司},"place":"车间","description":"防护罩缺失","source":"inspection","handling":"self","deadline":"2099-12-31","responsible":"x","measures":"x"}`,
			Status: 422, Want: []string{"监管部门发现的隐患须判定交办"}},
		{Name: "the page's form without a photo after", Method: "POST", URL: "/hazards/new", As: "enterprise", Header: sameOrigin,
			Body: noAfter, ContentType: mp2, Status: 422, Want: []string{"即查即改须附整改后照片"}},
		{Name: "the page's form", Method: "POST", URL: "/hazards/new", As: "enterprise", Header: sameOrigin,
			Body: withPhotos, ContentType: mp, Status: 303, WantHeader: map[string]string{}},
		{Name: "the list of fixed hazards", URL: "/hazards?handling=fix", As: "member", Status: 200, Want: []string{"即查即改", "机修车间"}, NotWant: []string{"货架未固定"}},
		{Name: "the API's list of self-rectified", URL: "/api/v1/hazards?handling=self", As: "office", Status: 200,
			Want: []string{"货架未固定", `"handling":"self"`}, NotWant: []string{"机修车间", `"handling":"fix"`, `"handling":"department"`}},
	})
}
