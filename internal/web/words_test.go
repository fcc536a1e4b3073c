package web_test

import (
	"context"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"anwei/internal/audit"
	"anwei/internal/enterprise"
	"anwei/internal/web"
)

// The A–D class rule is edited as a form with Chinese labels (issue 16.3):
// the form sent back as shown with one number changed changes that number
// and nothing else.
func TestClassRuleIsAForm(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.login("office")
	_, page := e.do(c, "GET", "/enterprises/duties", "")
	form := between(page, `id="class-rule-form"`, "</form>")
	if form == "" || strings.Contains(form, "JSON") || strings.Contains(form, "category_points") {
		t.Fatalf("the class rule is not a form: %.300s", form)
	}
	if !strings.Contains(form, "危险化学品") || !strings.Contains(form, "年检查频次") {
		t.Fatalf("the form's labels are not in Chinese: %.300s", form)
	}
	v := url.Values{}
	for _, m := range regexp.MustCompile(`name="([^"]+)" value="([^"]*)"`).FindAllStringSubmatch(form, -1) {
		v.Set(m[1], m[2])
	}
	before, err := e.app.Ents.ClassRule(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	v.Set("cat_hazchem", "5")
	if code, body := e.do(c, "POST", "/enterprises/class-rule", v.Encode()); code != 303 {
		t.Fatalf("saving the form: %d %.400s", code, body)
	}
	after, err := e.app.Ents.ClassRule(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if after.CategoryPoints["hazchem"] != 5 {
		t.Errorf("hazchem points %d, want 5", after.CategoryPoints["hazchem"])
	}
	after.CategoryPoints["hazchem"] = before.CategoryPoints["hazchem"]
	if !sameRule(before, after) {
		t.Errorf("the form changed more than the one number:\n%+v\n%+v", before, after)
	}
	v.Set("class_min_1", "四")
	if code, body := e.do(c, "POST", "/enterprises/class-rule", v.Encode()); code != 422 || !strings.Contains(body, "类别 B 的分数下限须为整数") {
		t.Errorf("a wrong number: %d %s", code, between(body, "<main", "</form>"))
	}
}

func sameRule(a, b enterprise.ClassRule) bool {
	return strings.EqualFold(ruleString(a), ruleString(b))
}

func ruleString(r enterprise.ClassRule) string {
	var b strings.Builder
	for _, c := range enterprise.Categories {
		b.WriteString(c.Key + ":" + fmtID(int64(r.CategoryPoints[c.Key])) + ",")
	}
	for _, g := range []string{"一级", "二级", "三级", "四级"} {
		b.WriteString(g + fmtID(int64(r.GradePoints[g])))
	}
	for _, l := range []string{"1", "2", "3", ""} {
		b.WriteString(l + fmtID(int64(r.StdLevelPoints[l])))
	}
	b.WriteString(fmtID(int64(r.OpenMajorPoints)) + fmtID(int64(r.BlacklistPoints)))
	for _, s := range r.ViolationPoints {
		b.WriteString(fmtID(int64(s.AtLeast)) + "/" + fmtID(int64(s.Points)))
	}
	for _, c := range r.Classes {
		b.WriteString(c.Class + c.Name + fmtID(int64(c.Min)) + fmtID(int64(c.Inspections)))
	}
	return b.String()
}

// The 责任人 of a supervising department is picked by name: the picker
// searches the department's people (GET /api/v1/users), and a name typed
// without scripts is read as the person of that name (issue 16.3).
func TestOfficerIsPickedByName(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		member, err := e.app.Org.ActorByUsername(ctx, "member")
		if err != nil {
			t.Fatal(err)
		}
		c, lk := e.login("member"), e.expand(t, luokou)
		_, page := e.do(c, "GET", "/enterprises/"+lk+"?tab=duty", "")
		if strings.Contains(page, "用户编号") || !strings.Contains(page, `data-picker-api="/api/v1/users"`) {
			t.Fatalf("the 责任人 is not picked by name: %s", between(page, `id="supervisors"`, "</form>"))
		}
		dept := fmtID(member.Unit.ID)
		code, body := e.do(c, "POST", "/enterprises/"+lk+"/supervisors", "dept_id="+dept+"&officer_id="+url.QueryEscape("无此人"))
		if code != 422 || !strings.Contains(body, "本部门没有名为“无此人”的在岗人员") {
			t.Errorf("an unknown name: %d %s", code, between(body, `id="supervisors"`, "</form>"))
		}
		if code, body := e.do(c, "POST", "/enterprises/"+lk+"/supervisors", "dept_id="+dept+"&officer_id="+url.QueryEscape("赵明")); code != 303 {
			t.Fatalf("officer by name: %d %.300s", code, body)
		}
		sv, err := e.app.Ents.Supervisors(ctx, member, mustID(t, lk))
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, s := range sv {
			found = found || s.DeptID == member.Unit.ID && s.OfficerName == "赵明"
		}
		if !found {
			t.Errorf("赵明 is not the 责任人: %+v", sv)
		}
	})
}

func mustID(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// The API keeps its codes and adds the word beside each as *_name (issue
// 16.3).
func TestAPIAddsNamesBesideCodes(t *testing.T) {
	t.Parallel()
	runScenarios(t, newEnv(t), []scenario{
		{Name: "an enterprise", As: "office", URL: "/api/v1/enterprises/" + luokou, Status: 200,
			Want: []string{`"region_code":"370105015"`, `"region_name":"泺口街道"`, `"status":"operating"`, `"status_name":"在营"`,
				`"categories":["hazchem"`, `"category_names":["危险化学品"`}},
		{Name: "the enterprise list", As: "office", URL: "/api/v1/enterprises?q=泺口精细", Status: 200, Want: []string{`"region_name":"泺口街道"`}},
		{Name: "hazards", As: "office", URL: "/api/v1/hazards?level=major", Status: 200,
			Want: []string{`"level":"major"`, `"level_name":"重大"`, `"state_name":"`, `"source_name":"`}},
		{Name: "risk points", As: "office", URL: "/api/v1/risks", Status: 200, Want: []string{`"colour_name":"`, `"control_level_name":"`, `"region_name":"`}},
		// Validation before lookups: an empty body is told what it lacks.
		{Name: "an empty risk point", As: "office", Method: "POST", URL: "/api/v1/risks", Body: "{}", Status: 422,
			Want: []string{`"field":"name"`, "请填写风险点名称"}, NotWant: []string{"企业不存在"}},
		{Name: "a risk point without its enterprise", As: "office", Method: "POST", URL: "/api/v1/risks", Status: 422,
			Body: `{"name":"液氯储罐","factors":"泄漏","accidents":"中毒和窒息","measures":"巡检","responsible":"张三"}`,
			Want: []string{`"field":"enterprise_id"`, "请选择企业"}},
	})
}

func TestAuditChangesReadAsWords(t *testing.T) {
	t.Parallel()
	got := map[string]string{}
	for _, l := range web.ChangeLinesForTest(`{"colour":"red","colour_name":"红","category_names":["危险化学品","有限空间"],"categories":["hazchem","confined"],"created_at":"2026-04-16T02:00:00Z","region_code":"370105015","session":"ab"}`) {
		got[l[0]] = l[1]
	}
	if len(got) != 5 {
		t.Errorf("the words beside the codes are lines of their own: %v", got)
	}
	for label, want := range map[string]string{"风险颜色": "红", "监管类别": "危险化学品、有限空间", "创建时间": "2026-04-16 10:00", "行政区划": "泺口街道（370105015）", "会话": "ab"} {
		if got[label] != want {
			t.Errorf("%s = %q, want %q (all: %v)", label, got[label], want, got)
		}
	}
}

// Every action the demo records has its Chinese name in audit.ActionNames
// (a new action without one would read 其他操作 on the audit pages).
func TestEveryRecordedActionHasAName(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		rows, err := e.app.DB.Query(context.Background(), "SELECT DISTINCT action FROM audit_events")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		n := 0
		for rows.Next() {
			var a string
			if err := rows.Scan(&a); err != nil {
				t.Fatal(err)
			}
			n++
			if _, ok := audit.ActionNames[a]; !ok {
				t.Errorf("action %q has no Chinese name (audit.ActionNames)", a)
			}
		}
		if n < 10 {
			t.Errorf("only %d actions recorded", n)
		}
	})
}

// A step's answer names the state it left the hazard in, not the one before.
func TestHazardStepAnswersItsNewStateName(t *testing.T) {
	t.Parallel()
	runScenarios(t, newEnv(t), []scenario{
		{Name: "report", As: "office", Method: "POST", URL: "/api/v1/hazards", Status: 201,
			Body:  `{"enterprise_id":` + luokou + `,"place":"仓库","description":"灭火器过期","source":"inspection"}`,
			Want:  []string{`"state":"reported"`, `"state_name":"已上报"`},
			After: func(t *testing.T, e *env, a *answer) { e.vars["h"] = between(a.Body, `"id":`, `,`) }},
		{Name: "judge", As: "office", Method: "POST", URL: "/api/v1/hazards/{var:h}/actions", Status: 201,
			Body: `{"action":"judge","level":"general"}`, Want: []string{`"state":"judged"`, `"state_name":"已判定"`, `"level_name":"一般"`}},
	})
}
