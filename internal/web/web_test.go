package web_test

import (
	"context"
	"encoding/json"
	"html"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"anwei/internal/app"
	"anwei/internal/app/apptest"
	"anwei/internal/calendar"
	"anwei/internal/demo"
	"anwei/internal/org"
)

type env struct {
	t        *testing.T
	app      *app.App
	srv      *httptest.Server
	clock    *calendar.Fixed
	sessions map[string]*http.Client // signed-in clients by username (as)
	vars     map[string]string       // values scenarios saved for later ones ({var:name})
}

func newEnv(t *testing.T) *env {
	t.Helper()
	return newEnvWith(t, nil)
}

// newEnvOn is newEnv on dialect (apptest.SQLite or apptest.Postgres).
func newEnvOn(t *testing.T, dialect string) *env {
	t.Helper()
	return newEnvIn(t, dialect, nil)
}

// newEnvWith is newEnv with the configuration changed by set.
func newEnvWith(t *testing.T, set func(*app.Config)) *env {
	t.Helper()
	return newEnvIn(t, apptest.SQLite, set)
}

// newEnvIn is newEnv on dialect with the configuration changed by set (which
// may not change the demo's settings: the deployment is a copy of one
// loaded once for the package, apptest.Seeded).
func newEnvIn(t *testing.T, dialect string, set func(*app.Config)) *env {
	t.Helper()
	clock := calendar.NewFixed(time.Date(2026, 5, 6, 2, 0, 0, 0, time.UTC))
	// 100 generated enterprises beside the demo's own: the registry's
	// listings page and search as with 2,000, at a twentieth of the set-up.
	cfg := app.Config{Demo: true, DemoEnterprises: 100, Clock: clock, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if set != nil {
		set(&cfg)
	}
	a, err := app.New(context.Background(), apptest.Seeded(t, dialect, cfg))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	srv := httptest.NewServer(a.Web.Handler())
	t.Cleanup(srv.Close)
	return &env{t: t, app: a, srv: srv, clock: clock, sessions: map[string]*http.Client{}, vars: map[string]string{}}
}

// client returns a browser-like client with a cookie jar, not following
// redirects.
func (e *env) client() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func (e *env) do(c *http.Client, method, path, body string, hdr ...string) (int, string) {
	e.t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	if strings.HasPrefix(body, "{") {
		req.Header.Set("Content-Type", "application/json")
	} else if body != "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func (e *env) login(user string) *http.Client {
	e.t.Helper()
	c := e.client()
	code, body := e.do(c, "POST", "/api/v1/session", `{"username":"`+user+`","password":"`+demo.Password+`"}`)
	if code != 200 {
		e.t.Fatalf("login %s: %d %s", user, code, body)
	}
	return c
}

func errCode(t *testing.T, body string) string {
	t.Helper()
	var v struct {
		Error struct{ Code, Message string }
	}
	if err := json.Unmarshal([]byte(body), &v); err != nil || v.Error.Message == "" {
		t.Fatalf("not an error body: %s", body)
	}
	return v.Error.Code
}

func TestHealthz(t *testing.T) {
	t.Parallel()
	runScenarios(t, newEnv(t), []scenario{{Name: "healthz", URL: "/healthz", Status: 200,
		After: func(t *testing.T, e *env, a *answer) {
			if a.Body != "ok" {
				t.Errorf("healthz: %q, want ok", a.Body)
			}
		}}})
}

func TestLoginAndMe(t *testing.T) {
	t.Parallel()
	runScenarios(t, newEnv(t), []scenario{
		{Name: "me without a session", URL: "/api/v1/me", Status: 401, Want: []string{`"code":"unauthenticated"`}},
		{Name: "the cookie is HttpOnly and SameSite", Method: "POST", URL: "/api/v1/session",
			Body: `{"username":"office","password":"` + demo.Password + `"}`, Status: 200,
			After: func(t *testing.T, e *env, a *answer) {
				if sc := a.Header.Get("Set-Cookie"); !strings.Contains(sc, "HttpOnly") || !strings.Contains(sc, "SameSite=Lax") {
					t.Errorf("cookie flags: %s", sc)
				}
			}},
		{Name: "me", URL: "/api/v1/me", As: "office", Status: 200, After: func(t *testing.T, e *env, a *answer) {
			var me struct {
				Username string
				Unit     struct{ Name string }
				Roles    []string
				Scope    struct{ Regions []string }
			}
			if err := json.Unmarshal([]byte(a.Body), &me); err != nil {
				t.Fatal(err)
			}
			if me.Username != "office" || me.Unit.Name != "济南市天桥区安全生产委员会办公室" || !slices.Equal(me.Roles, []string{"office"}) ||
				!slices.Equal(me.Scope.Regions, []string{"370105"}) {
				t.Errorf("me = %+v", me)
			}
		}},
		{Name: "logout", Method: "DELETE", URL: "/api/v1/session", As: "office", Status: 204},
		{Name: "me after logout", URL: "/api/v1/me", As: "office", Status: 401},
	})
}

// TestLockoutAnswersLikeAWrongPassword: five wrong passwords lock the
// account from that address; the lock answers exactly like a wrong
// password, and ends after 15 minutes.
func TestLockoutAnswersLikeAWrongPassword(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	var first string
	for i := 1; i <= 5; i++ {
		code, body := e.do(c, "POST", "/api/v1/session", `{"username":"member","password":"wrong1234"}`)
		if code != 401 || (first != "" && body != first) {
			t.Fatalf("attempt %d: %d %s", i, code, body)
		}
		first = body
	}
	for _, in := range []string{`{"username":"member","password":"` + demo.Password + `"}`, `{"username":"nosuchuser","password":"wrong1234"}`} {
		if code, body := e.do(c, "POST", "/api/v1/session", in); code != 401 || body != first {
			t.Fatalf("%s: %d %s, want 401 %s", in, code, body, first)
		}
	}
	form := url.Values{"username": {"member"}, "password": {demo.Password}}.Encode()
	if code, body := e.do(c, "POST", "/login", form); code != 401 || !strings.Contains(body, "用户名或密码错误") || strings.Contains(body, "锁定") {
		t.Fatalf("login page while locked: %d", code)
	}
	e.clock.Advance(16 * time.Minute)
	e.login("member")
}

// TestLockIsPerSourceBehindProxy: behind a trusted proxy the client's
// address comes from X-Forwarded-For; an attacker's address locking admin
// does not lock admin out from the office, and the office's admin lifts
// the lock (API and page).
func TestLockIsPerSourceBehindProxy(t *testing.T) {
	t.Parallel()
	e := newEnvWith(t, func(c *app.Config) { c.TrustProxy = true })
	attacker := []string{"X-Forwarded-For", "203.0.113.66"}
	office := []string{"X-Forwarded-For", "10.1.2.3"}
	for range 5 {
		if code, _ := e.do(e.client(), "POST", "/api/v1/session", `{"username":"admin","password":"wrong1234"}`, attacker...); code != 401 {
			t.Fatalf("guess: %d", code)
		}
	}
	right := `{"username":"admin","password":"` + demo.Password + `"}`
	if code, _ := e.do(e.client(), "POST", "/api/v1/session", right, attacker...); code != 401 {
		t.Fatalf("admin from the attacker's address: %d, want 401", code)
	}
	admin := e.client()
	if code, body := e.do(admin, "POST", "/api/v1/session", right, office...); code != 200 {
		t.Fatalf("admin from the office: %d %s", code, body)
	}
	uid, err := e.app.Org.UserIDByName(context.Background(), "admin")
	if err != nil {
		t.Fatal(err)
	}
	if code, body := e.do(admin, "GET", "/org/users/"+fmtID(uid)+"/edit", ""); code != 200 || !strings.Contains(body, "解除锁定") {
		t.Fatalf("edit page of a locked user: %d, want the unlock button", code)
	}
	if code, body := e.do(e.login("office"), "POST", "/api/v1/users/"+fmtID(uid)+"/unlock", ""); code != 403 {
		t.Fatalf("office unlocks admin: %d %s", code, body)
	}
	if code, _ := e.do(admin, "POST", "/org/users/"+fmtID(uid)+"/unlock", "", "Origin", e.srv.URL); code != 303 {
		t.Fatalf("unlock from the page: %d", code)
	}
	if code, body := e.do(e.client(), "POST", "/api/v1/session", right, attacker...); code != 200 {
		t.Fatalf("admin after the unlock: %d %s", code, body)
	}
	for range 5 {
		e.do(e.client(), "POST", "/api/v1/session", `{"username":"admin","password":"wrong1234"}`, attacker...)
	}
	if code, body := e.do(admin, "POST", "/api/v1/users/"+fmtID(uid)+"/unlock", ""); code != 204 {
		t.Fatalf("unlock by API: %d %s", code, body)
	}
	if code, body := e.do(e.client(), "POST", "/api/v1/session", right, attacker...); code != 200 {
		t.Fatalf("admin after the API unlock: %d %s", code, body)
	}
}

func TestSessionIdleExpiry(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.login("office")
	e.clock.Advance(90 * time.Minute)
	if code, _ := e.do(c, "GET", "/api/v1/me", ""); code != 200 {
		t.Fatalf("after 90 min: %d", code)
	}
	e.clock.Advance(2*time.Hour + time.Minute)
	stale := e.login("office") // opened while the first session is idle past its limit
	if code, body := e.do(c, "GET", "/api/v1/me", ""); code != 401 || !strings.Contains(body, "过期") {
		t.Fatalf("after 2 h idle: %d %s", code, body)
	}
	if code, _ := e.do(stale, "GET", "/api/v1/me", ""); code != 200 {
		t.Fatalf("the new session: %d", code)
	}
	var n int
	if err := e.app.DB.QueryRow(context.Background(), "SELECT COUNT(*) FROM sessions").Scan(&n); err != nil || n != 1 {
		t.Fatalf("%d sessions stored (err %v), want only the live one", n, err)
	}
}

func TestCrossOriginPostIsRefused(t *testing.T) {
	t.Parallel()
	form := url.Values{"name": {"济南市天桥区测试局"}, "kind": {"department"}, "region_code": {"370105"}}.Encode()
	runScenarios(t, newEnv(t), []scenario{
		{Name: "cross-site form post", Method: "POST", URL: "/org/units/new", As: "admin", Body: form,
			Header: map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}, Status: 403},
		{Name: "same-origin form post", Method: "POST", URL: "/org/units/new", As: "admin", Body: form,
			Header: map[string]string{"Origin": "{origin}", "Sec-Fetch-Site": "same-origin"}, Status: 303},
	})
}

func TestBearerToken(t *testing.T) {
	t.Parallel()
	runScenarios(t, newEnv(t), []scenario{
		{Name: "create a token", Method: "POST", URL: "/api/v1/tokens", As: "member",
			Body: `{"name":"数据对接","area":"org","password":"` + demo.Password + `"}`, Status: 201, Want: []string{`"token":"anw_`},
			After: func(t *testing.T, e *env, a *answer) {
				var created struct{ Token string }
				if err := json.Unmarshal([]byte(a.Body), &created); err != nil || created.Token == "" {
					t.Fatalf("created token %q: %v", a.Body, err)
				}
				e.vars["token"] = created.Token
			}},
		{Name: "me with the token", URL: "/api/v1/me", Header: map[string]string{"Authorization": "Bearer {var:token}"},
			Status: 200, Want: []string{`"username":"member"`}},
		{Name: "me with a made-up token", URL: "/api/v1/me", Header: map[string]string{"Authorization": "Bearer anw_nonsense"}, Status: 401},
	})
}

// TestTokenCreationNeedsThePassword: a script holding only the session
// cookie cannot mint a token; the API and the page both ask for the
// current password.
func TestTokenCreationNeedsThePassword(t *testing.T) {
	t.Parallel()
	runScenarios(t, newEnv(t), []scenario{
		{Name: "API without the password", Method: "POST", URL: "/api/v1/tokens", As: "member", Body: `{"name":"窃取"}`,
			Status: 422, Want: []string{`"field":"password"`, "密码"}},
		{Name: "API with a wrong password", Method: "POST", URL: "/api/v1/tokens", As: "member", Body: `{"name":"窃取","area":"hazard","password":"wrong1234"}`,
			Status: 422, Want: []string{`"field":"password"`, "密码"}},
		{Name: "page without the password", Method: "POST", URL: "/account/tokens", As: "member", Header: sameOrigin,
			Body: url.Values{"name": {"窃取"}}.Encode(), Status: 422, Want: []string{"密码"}, NotWant: []string{"anw_"}},
		{Name: "the tokens page asks for the password", URL: "/account/tokens", As: "member", Status: 200, Want: []string{`name="password"`}},
		{Name: "page with the password", Method: "POST", URL: "/account/tokens", As: "member", Header: sameOrigin,
			Body: url.Values{"name": {"对接"}, "area": {"hazard"}, "password": {demo.Password}}.Encode(), Status: 200, Want: []string{"anw_"}},
		{Name: "no token was made without it", URL: "/api/v1/tokens", As: "member", Status: 200, Want: []string{"对接"}, NotWant: []string{"窃取"}},
	})
}

func TestValidationKeepsInputAndNamesField(t *testing.T) {
	t.Parallel()
	runScenarios(t, newEnv(t), []scenario{
		{Name: "duplicate unit keeps the typed value", Method: "POST", URL: "/org/units/new", As: "admin", Header: sameOrigin,
			Body:   url.Values{"name": {"济南市天桥区人民政府"}, "short_name": {"我输入的简称"}, "kind": {"government"}, "region_code": {"370105"}}.Encode(),
			Status: 422, Want: []string{"已有名为「济南市天桥区人民政府」的单位", "我输入的简称"}},
		{Name: "API names the field", Method: "POST", URL: "/api/v1/units", As: "admin", Body: `{"name":"","kind":"department","region_code":"370105"}`,
			Status: 422, Want: []string{`"field":"name"`, "单位名称不能为空"}},
		{Name: "unknown region", Method: "POST", URL: "/api/v1/units", As: "admin", Body: `{"name":"某局","kind":"department","region_code":"999999"}`,
			Status: 422, Want: []string{"999999"}},
	})
}

func TestPermissionsAreCheckedInServices(t *testing.T) {
	t.Parallel()
	runScenarios(t, newEnv(t), []scenario{
		{Name: "member creates a unit", Method: "POST", URL: "/api/v1/units", As: "member", Body: `{"name":"某局","kind":"department","region_code":"370105"}`,
			Status: 403, Want: []string{`"code":"forbidden"`}},
		{Name: "member reads the audit log", URL: "/api/v1/audit/events", As: "member", Status: 403},
		{Name: "member opens the audit page", URL: "/audit", As: "member", Status: 403},
		// The audit log never holds password hashes.
		{Name: "office reads the audit log", URL: "/api/v1/audit/events?action=unit.create&limit=5", As: "office",
			Status: 200, Want: []string{`"total"`, "unit.create", `"action_name":"新增单位"`, `"object_kind_name":"单位"`}, NotWant: []string{"argon2id"}},
	})
}

// The demo's plan and its first notice, as the pages name them (the
// deployment's clock is in 2026).
const (
	demoPlan   = "{plan:济天安发〔2026〕2号}"
	demoNotice = "{notice:天安办提〔2026〕1号}"
	luokou     = "{enterprise:济南泺口精细化工有限公司}"
)

func TestPagesRender(t *testing.T) {
	t.Parallel()
	page := func(as, path, want string) scenario {
		return scenario{Name: as + " " + path, As: as, URL: path, Status: 200, Want: []string{want}}
	}
	scenarios := []scenario{
		{Name: "anonymous is sent to the login", URL: "/org/units", Status: 303, WantHeader: map[string]string{"Location": "/login?next=%2Forg%2Funits"}},
		page("admin", "/", "管辖范围内概况"),
		page("admin", "/org/regions", "新增区划"),
		page("admin", "/org/regions?parent=370105", "无影山街道"),
		page("admin", "/org/units?q=区应急局", "济南市天桥区应急管理局"),
		page("admin", "/org/committees", "济南市天桥区安全生产委员会"),
		page("admin", "/org/users", "王建国"),
		page("admin", "/org/units/new", "单位全称"),
		page("admin", "/account/tokens", "创建令牌"),
		page("admin", "/inbox", "收到的逾期提醒"),
		page("office", "/supervise", "逾期任务"),
		page("office", "/notices", "天安办提〔"),
		page("office", "/notices/"+demoNotice, "所列任务"),
		page("office", "/plans/"+demoPlan+"/figures", "按单位"),
		page("office", "/scorecard", "任务完成得分卡"),
		// Sums by department and industry may exceed the total: the page says so.
		page("office", "/hazards/figures", "各行之和可能大于合计"),
		page("office", "/tasks/{task:一.1}", "进展与汇总报告"),
		page("office", "/plans/"+demoPlan, "导出任务分工表"),
		page("street", "/plans/"+demoPlan, "天桥区安委会2026年工作要点"),
		page("street", "/plans", "天桥区安委会2026年工作要点"),
		page("office", "/enterprises", "严重失信"),
		page("office", "/enterprises?q=泺口精细", "泺口精细化工"),
		page("office", "/enterprises?q=泺口", "泺口精细化工"),
		page("office", "/enterprises?major=1&class=A", "济南泺口精细化工有限公司"),
		{Name: "office /enterprises?unsupervised=1", URL: "/enterprises?unsupervised=1", As: "office", Status: 200,
			Want: []string{"在营"}, NotWant: []string{"济南泺口精细化工有限公司"}},
		page("office", "/enterprises/new", "统一社会信用代码"),
		page("office", "/enterprises/import", "批量导入企业"),
		page("office", "/enterprises/changes", "企业信息变更审核"),
		page("office", "/enterprises/duties", "危险化学品"),
		page("office", "/enterprises/expiring?days=60", "三项岗位人员证书"),
		{Name: "the API finds 泺口精细 once", URL: "/api/v1/enterprises?q=泺口精细", As: "office", Status: 200,
			Want: []string{`"total":1`, `"id":` + luokou + `,`}},
	}
	// The 一企一档 of 泺口化工, every tab.
	for tab, want := range map[string]string{"basic": "监管分类", "duty": "区应急局", "sources": "三级", "papers": "特种作业", "credit": "严重失信主体名单",
		"hazards": "导出台账", "risks": "四色分布", "inspections": "入企码", "accidents": "将在相应模块上线后"} {
		scenarios = append(scenarios, page("office", "/enterprises/"+luokou+"?tab="+tab, want))
	}
	const xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	for path, ct := range map[string]string{"/notices/" + demoNotice + "/pdf": "application/pdf", "/plans/" + demoPlan + "/sheet.xlsx": xlsx,
		"/enterprises.xlsx?category=hazchem": xlsx} {
		scenarios = append(scenarios, scenario{Name: "office " + path, As: "office", URL: path, Status: 200, WantHeader: map[string]string{"Content-Type": ct}})
	}
	// Navigation shows what the role does, and nothing that is always
	// empty for it (issue 14.7).
	scenarios = append(scenarios,
		scenario{Name: "the enterprise's navigation", URL: "/", As: "enterprise", Status: 200,
			Want:    []string{`href="/enterprises/` + luokou + `"`, `href="/hazards/new"`, `href="/risks"`, `href="/inbox"`},
			NotWant: []string{`href="/audit"`, `href="/org/regions"`, `href="/org/committees"`, `href="/plans"`, `href="/hazards/figures"`, "管辖范围内概况"}},
		scenario{Name: "the expert's navigation", URL: "/", As: "expert", Status: 200,
			Want: []string{`href="/inbox"`, `href="/hazard-requests"`}, NotWant: []string{`href="/plans"`, `href="/enterprises"`, `href="/org/regions"`, `href="/hazards/new"`}},
		scenario{Name: "the administrator's navigation", URL: "/", As: "admin", Status: 200,
			Want: []string{`href="/org/regions"`, `href="/org/users"`}, NotWant: []string{`href="/plans"`, `href="/hazards"`, `href="/enterprises"`}},
		scenario{Name: "the street's navigation", URL: "/", As: "street", Status: 200,
			Want: []string{`href="/plans"`, `href="/tasks"`, `href="/hazards/new"`}, NotWant: []string{`href="/supervise"`, `href="/enterprises/duties"`, `href="/audit"`}},
		scenario{Name: "one entry is current", URL: "/hazards/new", As: "member", Status: 200,
			Want: []string{`<a href="/hazards/new" class="current" aria-current="page">`}, NotWant: []string{`<a href="/hazards" class="current"`}})
	runScenarios(t, newEnv(t), scenarios)
}

func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	code, body := e.do(e.client(), "GET", "/api/v1/openapi.json", "")
	if code != 200 {
		t.Fatalf("openapi: %d", code)
	}
	var doc struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("openapi version %q", doc.OpenAPI)
	}
	// Every route of the API table is documented with its method, and the
	// document has no operation the table lacks.
	routes, public := e.app.Web.APIRoutes()
	if len(routes) < 40 {
		t.Fatalf("the API table has %d routes", len(routes))
	}
	documented := 0
	for _, ops := range doc.Paths {
		documented += len(ops)
	}
	if documented != len(routes) {
		t.Errorf("the document has %d operations, the API table %d routes", documented, len(routes))
	}
	for _, rt := range routes {
		op, _ := doc.Paths[rt[1]][strings.ToLower(rt[0])].(map[string]any)
		if op == nil || op["operationId"] == nil || op["responses"] == nil {
			t.Errorf("%s %s not documented (methods there: %v)", rt[0], rt[1], slices.Sorted(maps.Keys(doc.Paths[rt[1]])))
		}
		// and it is served: without a session a route answers 401, not the
		// unknown path's 404 (public routes: anything but that 404).
		code, body := e.do(e.client(), rt[0], regexp.MustCompile(`\{[a-z_]+\}`).ReplaceAllString(rt[1], "1"), "")
		if public[rt[0]+" "+rt[1]] {
			if code == 404 && strings.Contains(body, "接口不存在") {
				t.Errorf("%s %s is not served: %d %s", rt[0], rt[1], code, body)
			}
		} else if code != 401 {
			t.Errorf("%s %s without a session: %d %s, want 401", rt[0], rt[1], code, body)
		}
	}
	if code, body := e.do(e.client(), "GET", "/api/v1/nope", ""); code != 404 || errCode(t, body) != "not_found" {
		t.Fatalf("unknown API path: %d %s", code, body)
	}
}

// The same HTTP flow on PostgreSQL when it is available.
func TestLoginOnPostgres(t *testing.T) {
	t.Parallel()
	runScenarios(t, newEnvOn(t, apptest.Postgres), []scenario{
		{Name: "units on postgres", URL: "/api/v1/units?q=区应急局", As: "office", Status: 200, Want: []string{"济南市天桥区应急管理局"}},
	})
}

func TestRegionAddRenameAbolish(t *testing.T) {
	t.Parallel()
	add := func(body, want string) scenario {
		return scenario{Name: "refused: " + body, Method: "POST", URL: "/api/v1/regions", As: "admin", Body: body, Status: 422, Want: []string{want}}
	}
	runScenarios(t, newEnv(t), []scenario{
		{Name: "the office adds a region", Method: "POST", URL: "/api/v1/regions", As: "office", Body: `{"code":"370105099","name":"新设街道"}`, Status: 403},
		{Name: "admin adds a region", Method: "POST", URL: "/api/v1/regions", As: "admin", Body: `{"code":"370105099","name":"新设街道"}`,
			Status: 201, Want: []string{`"level":4`}},
		add(`{"code":"370105099","name":"重复"}`, "已存在"),
		add(`{"code":"3701059","name":"七位"}`, "2、4、6 或 9 位"),
		add(`{"code":"370199001","name":"无上级"}`, "上级区划 370199"),
		add(`{"code":"370105098","name":""}`, "区划名称不能为空"),
		{Name: "rename", Method: "PUT", URL: "/api/v1/regions/370105099", As: "admin", Body: `{"name":"新城街道"}`, Status: 200, Want: []string{"新城街道"}},
		// 无影山街道 has an active street office: it cannot be abolished.
		{Name: "abolish a region with units", Method: "PUT", URL: "/api/v1/regions/370105001/active", As: "admin", Body: `{"active":false}`,
			Status: 409, Want: []string{"在用单位"}},
		{Name: "abolish an empty region", Method: "PUT", URL: "/api/v1/regions/370105099/active", As: "admin", Body: `{"active":false}`, Status: 204},
		// An abolished region takes no new units.
		{Name: "unit in an abolished region", Method: "POST", URL: "/api/v1/units", As: "admin",
			Body: `{"name":"济南市天桥区新城街道办事处","kind":"street","region_code":"370105099"}`, Status: 422, Want: []string{"370105099"}},
		{Name: "the page shows it", URL: "/org/regions?parent=370105", As: "admin", Status: 200, Want: []string{"新城街道", "已撤销"}},
	})
}

// TestPlanUploadReviewImport: the office pastes a plan, sees an unmatched
// name on the review page, is refused until it maps it, then imports; the
// member unit sees its task.
func TestPlanUploadReviewImport(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	office := e.login("office")
	text := "天桥区2024年消防工作要点\n一、总则\n1.开展消防检查。每季度至少检查1次。(责任单位:区应急管理局、区城管局)\n"
	form := url.Values{"text": {text}}.Encode()
	code, body := e.do(office, "POST", "/plans/review", form, "Origin", e.srv.URL)
	if code != 200 || !strings.Contains(body, "区城管局") || !strings.Contains(body, "未识别") || !strings.Contains(body, "精确") {
		t.Fatalf("review: %d", code)
	}
	// Names sort: 区城管局 (0), 区应急管理局 (1).
	units, _, err := e.app.Org.ListUnits(context.Background(), org.System, orgFilter("区应急局"))
	if err != nil || len(units) != 1 {
		t.Fatalf("区应急局: %v %v", units, err)
	}
	yj := units[0].ID
	post := url.Values{"text": {text}, "year": {"2024"}, "name_0": {"区城管局"}, "name_1": {"区应急管理局"}, "units_1": {fmtID(yj)}}
	code, body = e.do(office, "POST", "/plans/import", post.Encode(), "Origin", e.srv.URL)
	if code != 422 || !strings.Contains(body, "「区城管局」尚未对应到单位") {
		t.Fatalf("import with an unmapped name: %d", code)
	}
	post.Set("units_0", fmtID(yj))
	code, _ = e.do(office, "POST", "/plans/import", post.Encode(), "Origin", e.srv.URL)
	if code != 303 {
		t.Fatalf("import: %d", code)
	}
	code, body = e.do(e.login("member"), "GET", "/tasks", "")
	if code != 200 || !strings.Contains(body, "开展消防检查") || !strings.Contains(body, "牵头") {
		t.Fatalf("member's tasks: %d", code)
	}
	// The member reports one of its dated duties done, through the page.
	member := e.login("member")
	code, body = e.do(member, "GET", "/api/v1/instances?status=overdue&limit=1", "")
	if code != 200 || !strings.Contains(body, `"status":"overdue"`) {
		t.Fatalf("instances API: %d %s", code, body)
	}
	var list struct{ Items []struct{ ID int64 } }
	if err := json.Unmarshal([]byte(body), &list); err != nil || len(list.Items) == 0 {
		t.Fatalf("instances %q: %v", body, err)
	}
	path := "/tasks/instances/" + fmtID(list.Items[0].ID) + "/complete"
	if code, body := e.do(member, "POST", path, "evidence=", "Origin", e.srv.URL); code != 422 || !strings.Contains(body, "请填写完成情况") {
		t.Fatalf("empty evidence: %d", code)
	}
	if code, _ := e.do(member, "POST", path, "evidence="+url.QueryEscape("已开展第一季度检查"), "Origin", e.srv.URL); code != 303 {
		t.Fatalf("complete: %d", code)
	}
	if _, body := e.do(member, "GET", "/tasks?status=done", ""); !strings.Contains(body, "已开展第一季度检查") {
		t.Fatal("the done duty is not listed as done")
	}
	code, body = e.do(office, "GET", "/api/v1/plans", "")
	if code != 200 || !strings.Contains(body, `"total":2`) {
		t.Fatalf("plans API: %d %s", code, body)
	}
}

// TestReviewEditsItemsAndObligations: the office renames an item, drops
// another, turns a quarterly duty into a monthly one, adds a deadline and
// retypes a lead unit; 重新核对 shows the result, and the import stores it.
func TestReviewEditsItemsAndObligations(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	office := e.login("office")
	text := "天桥区2026年燃气工作要点\n一、总则\n1.开展燃气检查。每季度至少检查1次。(责任单位:区应急局)\n2.误识别的一段。(责任单位:区应急局)\n"
	code, body := e.do(office, "POST", "/plans/review", url.Values{"text": {text}}.Encode(), "Origin", e.srv.URL)
	if code != 200 || !strings.Contains(body, `name="i0_h"`) || !strings.Contains(body, `name="i0_0_o_period"`) {
		t.Fatalf("review page lacks the edit fields: %d", code)
	}
	parsed := between(body, `name="parsed" value="`, `"`)
	form := url.Values{"text": {text}, "parsed": {html.UnescapeString(parsed)}, "year": {"2026"}, "action": {"recheck"},
		"i0_h": {"开展燃气安全检查"}, "i0_0_lead": {"区住建局"}, "i0_0_support": {""},
		"i0_0_o_kind": {"recurring"}, "i0_0_o_period": {"month"}, "i0_0_o_times": {"2"}, "i0_0_o_due": {""},
		"i0_new_cue": {"6月底前完成排查"}, "i0_new_kind": {"deadline"}, "i0_new_period": {"year"}, "i0_new_times": {"1"}, "i0_new_due": {"2026-06-30"},
		"i1_h": {"误识别的一段"}, "i1_drop": {"1"}}
	code, body = e.do(office, "POST", "/plans/import", form.Encode(), "Origin", e.srv.URL)
	if code != 200 || !strings.Contains(body, `value="开展燃气安全检查"`) || strings.Contains(body, `name="i1_h"`) ||
		!strings.Contains(body, `<option value="month" selected>`) || !strings.Contains(body, "区住建局") {
		t.Fatalf("recheck: %d", code)
	}
	// A bad frequency is refused, naming the field.
	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("i0_0_o_times", "0")
	if code, body := e.do(office, "POST", "/plans/import", bad.Encode(), "Origin", e.srv.URL); code != 422 || !strings.Contains(body, "次数应为 1-100") {
		t.Errorf("times 0: %d", code)
	}
	// Import the edited plan, mapping 区住建局 as the matcher proposes.
	parsed = html.UnescapeString(between(body, `name="parsed" value="`, `"`))
	final := url.Values{"text": {text}, "parsed": {parsed}, "year": {"2026"}, "action": {"import"}}
	proposed(final, body)
	if code, body := e.do(office, "POST", "/plans/import", final.Encode(), "Origin", e.srv.URL); code != 303 {
		t.Fatalf("import of the edited plan: %d %.300s", code, body)
	}
	var heading, period string
	var times, instances int
	ctx := context.Background()
	if err := e.app.DB.QueryRow(ctx, `SELECT i.heading, o.period, o.times FROM plan_items i JOIN plan_obligations o ON o.item_id = i.id
		WHERE i.heading = '开展燃气安全检查' AND o.kind = 'recurring'`).Scan(&heading, &period, &times); err != nil || period != "month" || times != 2 {
		t.Fatalf("stored obligation: %q %q %d %v", heading, period, times, err)
	}
	if err := e.app.DB.QueryRow(ctx, `SELECT COUNT(*) FROM plan_instances pi JOIN plan_obligations o ON o.id = pi.obligation_id
		JOIN plan_items i ON i.id = o.item_id WHERE i.heading = '开展燃气安全检查'`).Scan(&instances); err != nil || instances != 13 {
		t.Errorf("instances: %d (12 monthly + 1 deadline), %v", instances, err)
	}
}

// proposed adds to form every printed name of a review page (body) with
// the units the page has selected for it, as a submit would.
func proposed(form url.Values, body string) {
	for i := 0; ; i++ {
		n := between(body, `name="name_`+strconv.Itoa(i)+`" value="`, `"`)
		if n == "" {
			return
		}
		form.Set("name_"+strconv.Itoa(i), html.UnescapeString(n))
		for _, id := range selected(body, "units_"+strconv.Itoa(i)) {
			form.Add("units_"+strconv.Itoa(i), id)
		}
	}
}

// between returns the text after the first a and before the next b.
func between(s, a, b string) string {
	_, rest, ok := strings.Cut(s, a)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(rest, b)
	return v
}

// selected lists the selected option values of the named select.
func selected(body, name string) []string {
	sel := between(body, `name="`+name+`"`, "</select>")
	var out []string
	for _, part := range strings.Split(sel, "<option ")[1:] {
		if strings.Contains(part, " selected") {
			out = append(out, between(part, `value="`, `"`))
		}
	}
	return out
}

// TestReviewSplitsAName: a printed name that matches no unit is marked on
// the review page; the office splits it into the units it stands for in
// one field, 重新核对 matches them, the import assigns both, and the split
// is remembered: the next plan printing the name resolves it to both units
// at once.
func TestReviewSplitsAName(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	office := e.login("office")
	text := "天桥区2026年交通工作要点\n一、总则\n1.开展道路交通安全检查。(责任单位:区应急局、区建设交通部门)\n"
	code, body := e.do(office, "POST", "/plans/review", url.Values{"text": {text}}.Encode(), "Origin", e.srv.URL)
	if code != 200 || !strings.Contains(body, `class="unmatched suspect"`) || !strings.Contains(body, "未对应到单位") {
		t.Fatalf("review: %d, the unmatched name is not marked", code)
	}
	// Names sort: 区建设交通部门 (0), 区应急局 (1).
	form := url.Values{"text": {text}, "parsed": {html.UnescapeString(between(body, `name="parsed" value="`, `"`))}, "year": {"2026"},
		"action": {"import"}, "splits": {html.UnescapeString(between(body, `name="splits" value="`, `"`))},
		"name_0": {"区建设交通部门"}, "split_0": {"区住建局、区交通局"}, "name_1": {"区应急局"}}
	for _, id := range selected(body, "units_1") {
		form.Add("units_1", id)
	}
	code, body = e.do(office, "POST", "/plans/import", form.Encode(), "Origin", e.srv.URL)
	if code != 200 || strings.Contains(body, `value="区建设交通部门"`) || !strings.Contains(body, `value="区住建局"`) || !strings.Contains(body, `value="区交通局"`) {
		t.Fatalf("the split is not shown for a new look: %d", code)
	}
	final := url.Values{"text": {text}, "parsed": {html.UnescapeString(between(body, `name="parsed" value="`, `"`))}, "year": {"2026"},
		"action": {"import"}, "splits": {html.UnescapeString(between(body, `name="splits" value="`, `"`))}}
	proposed(final, body)
	if code, body := e.do(office, "POST", "/plans/import", final.Encode(), "Origin", e.srv.URL); code != 303 {
		t.Fatalf("import: %d %.400s", code, body)
	}
	ctx := context.Background()
	var n int
	if err := e.app.DB.QueryRow(ctx, `SELECT COUNT(DISTINCT unit_id) FROM plan_assignments WHERE printed IN ('区住建局', '区交通局')`).Scan(&n); err != nil || n != 2 {
		t.Fatalf("assigned to %d of the two split units (%v)", n, err)
	}
	// Next year's plan prints the same name: resolved to both at once.
	next := "天桥区2027年交通工作要点\n一、总则\n1.开展道路交通安全检查。(责任单位:区建设交通部门)\n"
	code, body = e.do(office, "POST", "/plans/review", url.Values{"text": {next}}.Encode(), "Origin", e.srv.URL)
	if code != 200 || strings.Contains(body, "未对应到单位") || len(selected(body, "units_0")) != 2 {
		t.Fatalf("the remembered split: %d, %d units proposed", code, len(selected(body, "units_0")))
	}
	// The API's review says the same, and marks a name that wants a look.
	js, _ := json.Marshal(map[string]any{"text": next + "2.开展检查。(责任单位:区城管局)\n", "year": 2027})
	code, body = e.do(office, "POST", "/api/v1/plans/review", string(js), "Content-Type", "application/json")
	var rv struct {
		Names []struct {
			Name, How, Suspect string
			Units              []int64
		}
	}
	if code != 200 || json.Unmarshal([]byte(body), &rv) != nil || len(rv.Names) != 2 {
		t.Fatalf("API review: %d %s", code, body)
	}
	for _, n := range rv.Names {
		if n.Name == "区建设交通部门" && (n.How != "exact" || len(n.Units) != 2 || n.Suspect != "") ||
			n.Name == "区城管局" && n.Suspect != "未对应到单位" {
			t.Errorf("API review of %s: %+v", n.Name, n)
		}
	}
	// The office corrects it to one unit when importing the next plan: the
	// correction replaces what was remembered, it does not add to it.
	var jt int64
	if err := e.app.DB.QueryRow(ctx, "SELECT unit_id FROM plan_assignments WHERE printed = '区交通局'").Scan(&jt); err != nil {
		t.Fatal(err)
	}
	fix := url.Values{"text": {next}, "year": {"2027"}, "action": {"import"}, "name_0": {"区建设交通部门"}, "units_0": {fmtID(jt)}}
	if code, body := e.do(office, "POST", "/plans/import", fix.Encode(), "Origin", e.srv.URL); code != 303 {
		t.Fatalf("import of the corrected plan: %d %.300s", code, body)
	}
	third := "天桥区2028年交通工作要点\n一、总则\n1.开展道路交通安全检查。(责任单位:区建设交通部门)\n"
	_, body = e.do(office, "POST", "/plans/review", url.Values{"text": {third}}.Encode(), "Origin", e.srv.URL)
	if got := selected(body, "units_0"); len(got) != 1 || got[0] != fmtID(jt) {
		t.Errorf("after the correction the name proposes %v, want only %d", got, jt)
	}
}
