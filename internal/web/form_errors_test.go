package web_test

import (
	"net/url"
	"strings"
	"testing"
)

// TestEveryFieldIsToldAtOnce: an empty hazard report is told every field
// it lacks in one answer — the API lists them under "fields", the page
// lists them above the form and says each next to its field — and no
// longer "企业不存在" before the fields are looked at (issue 16.2, 16.3).
func TestEveryFieldIsToldAtOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	office := e.login("office")
	code, body := e.do(office, "POST", "/api/v1/hazards", `{}`)
	if code != 422 || !strings.Contains(body, `"fields":[{"field":"enterprise_id"`) || !strings.Contains(body, `"field":"description"`) {
		t.Errorf("POST /api/v1/hazards {}: %d %s", code, body)
	}
	code, page, _ := e.post(office, "/hazards/new", url.Values{"source": {"inspection"}, "enterprise_name": {""}})
	if code != 422 || !strings.Contains(page, "请修改以下 3 处后再提交") ||
		!strings.Contains(page, `<span class="field-err">请填写隐患部位 (如 液氯储罐区)</span>`) ||
		!strings.Contains(page, `<span class="field-err">请描述隐患情况</span>`) ||
		!strings.Contains(page, `<span class="field-err">请选择隐患所在的企业</span>`) {
		t.Errorf("the empty form: %d %.2000s", code, page)
	}
}
