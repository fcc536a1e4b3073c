package web_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"anwei/internal/demo"
)

// scenario is one HTTP request and what its answer must hold, after
// PocketBase's ApiScenario: a test is a table of them, run in order on one
// seeded deployment (runScenarios), so that a request/response check is a
// row a newcomer can copy, not a function.
//
// URL, Body, Header values, Want, NotWant and WantHeader values may name
// rows of the seeded database instead of hard-coding their ids (lookup):
// {unit:区应急局}, {user:admin}, {enterprise:济南泺口精细化工有限公司},
// {plan:济天安发〔2026〕2号}, {notice:天安办提〔2026〕1号}, {task:一.1}; and
// {origin} (the test server's origin) and {var:name} (a value an earlier
// scenario's After saved with e.vars).
type scenario struct {
	Name        string
	Method      string            // GET when empty
	URL         string            // path and query
	As          string            // username signed in ("" anonymous); "office#2" is a second session of office
	Body        string            // JSON when it starts with "{", a form otherwise (ContentType overrides)
	ContentType string            // the request's Content-Type when not guessed from Body
	Header      map[string]string // request headers

	Status     int               // the answer's status (required)
	Want       []string          // each in the body
	NotWant    []string          // none in the body
	WantHeader map[string]string // answer headers, exactly ("" = absent)

	Before func(t *testing.T, e *env)            // runs before the request
	After  func(t *testing.T, e *env, a *answer) // further checks on the answer
}

// answer is what the server sent back.
type answer struct {
	Status int
	Body   string
	Header http.Header
}

// sameOrigin is the header a browser sends with a form it posts from anwei's
// own pages, which the cross-site check reads.
var sameOrigin = map[string]string{"Origin": "{origin}"}

// runScenarios runs each scenario as a subtest of t, in order, on e: what one
// changes the next sees. A scenario that fails does not stop the next.
func runScenarios(t *testing.T, e *env, scenarios []scenario) {
	t.Helper()
	for i, s := range scenarios {
		name := s.Name
		if name == "" {
			name = fmt.Sprintf("%d %s %s", i, s.method(), s.URL)
		}
		t.Run(name, func(t *testing.T) { e.scenario(t, s) })
	}
}

func (s scenario) method() string {
	if s.Method == "" {
		return http.MethodGet
	}
	return s.Method
}

// scenario runs one scenario on e.
func (e *env) scenario(t *testing.T, s scenario) {
	t.Helper()
	if s.Status == 0 {
		t.Fatal("the scenario names no status")
	}
	if s.Before != nil {
		s.Before(t, e)
	}
	x := func(v string) string { return e.expand(t, v) }
	req, err := http.NewRequest(s.method(), e.srv.URL+x(s.URL), strings.NewReader(x(s.Body)))
	if err != nil {
		t.Fatal(err)
	}
	switch {
	case s.ContentType != "":
		req.Header.Set("Content-Type", s.ContentType)
	case strings.HasPrefix(s.Body, "{"):
		req.Header.Set("Content-Type", "application/json")
	case s.Body != "":
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range s.Header {
		req.Header.Set(k, x(v))
	}
	c := e.client()
	if s.As != "" {
		c = e.as(t, s.As)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	a := &answer{Status: resp.StatusCode, Body: string(b), Header: resp.Header}
	exp := s
	exp.Want, exp.NotWant, exp.WantHeader = nil, nil, map[string]string{}
	for _, w := range s.Want {
		exp.Want = append(exp.Want, x(w))
	}
	for _, w := range s.NotWant {
		exp.NotWant = append(exp.NotWant, x(w))
	}
	for k, v := range s.WantHeader {
		exp.WantHeader[k] = x(v)
	}
	for _, p := range exp.check(a) {
		t.Errorf("%s %s as %q: %s", s.method(), req.URL.Path, s.As, p)
	}
	if s.After != nil {
		s.After(t, e, a)
	}
}

// check lists what a's answer lacks of s's expectations.
func (s scenario) check(a *answer) []string {
	var out []string
	excerpt := a.Body
	if len(excerpt) > 400 {
		excerpt = excerpt[:400] + "…"
	}
	if a.Status != s.Status {
		out = append(out, fmt.Sprintf("status %d, want %d: %s", a.Status, s.Status, excerpt))
	}
	for _, w := range s.Want {
		if !strings.Contains(a.Body, w) {
			out = append(out, fmt.Sprintf("the body lacks %q: %s", w, excerpt))
		}
	}
	for _, w := range s.NotWant {
		if strings.Contains(a.Body, w) {
			out = append(out, fmt.Sprintf("the body has %q", w))
		}
	}
	for k, v := range s.WantHeader {
		if got := a.Header.Get(k); got != v {
			out = append(out, fmt.Sprintf("%s: %q, want %q", k, got, v))
		}
	}
	return out
}

// as returns the session of user (a username, or username#n for another
// session of the same user), signing in at its first use.
func (e *env) as(t *testing.T, user string) *http.Client {
	t.Helper()
	if c := e.sessions[user]; c != nil {
		return c
	}
	name, _, _ := strings.Cut(user, "#")
	c := e.client()
	resp, err := c.Post(e.srv.URL+"/api/v1/session", "application/json",
		strings.NewReader(`{"username":"`+name+`","password":"`+demo.Password+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("login %s: %d", name, resp.StatusCode)
	}
	e.sessions[user] = c
	return c
}

var placeholder = regexp.MustCompile(`\{origin\}|\{(unit|user|enterprise|plan|notice|task|var):([^{}]+)\}`)

// lookups find one row's id by what a person would call it; the lookup
// fails the test unless exactly one row matches.
var lookups = map[string]string{
	"unit":       "SELECT COUNT(*), MIN(id) FROM units WHERE name = ? OR short_name = ?",
	"user":       "SELECT COUNT(*), MIN(id) FROM users WHERE username = ?",
	"enterprise": "SELECT COUNT(*), MIN(unit_id) FROM enterprises WHERE name = ?",
	"plan":       "SELECT COUNT(*), MIN(id) FROM plans WHERE doc_number = ?",
	"notice":     "SELECT COUNT(*), MIN(id) FROM plan_notices WHERE doc_number = ?",
	// The first task of the item numbered so (一.1) in the first plan.
	"task": `SELECT COUNT(*), MIN(t.id) FROM plan_tasks t JOIN plan_items i ON i.id = t.item_id
		WHERE i.ref = ? AND t.seq = 1 AND i.plan_id = (SELECT MIN(id) FROM plans)`,
}

// expand replaces v's placeholders.
func (e *env) expand(t *testing.T, v string) string {
	t.Helper()
	return placeholder.ReplaceAllStringFunc(v, func(m string) string {
		if m == "{origin}" {
			return e.srv.URL
		}
		sub := placeholder.FindStringSubmatch(m)
		kind, key := sub[1], sub[2]
		if kind == "var" {
			val, ok := e.vars[key]
			if !ok {
				t.Fatalf("%s: no scenario saved %q", m, key)
			}
			return val
		}
		return fmtID(e.lookup(t, kind, key))
	})
}

// lookup returns the id of the one row of kind called key.
func (e *env) lookup(t *testing.T, kind, key string) int64 {
	t.Helper()
	q := lookups[kind]
	args := make([]any, strings.Count(q, "?"))
	for i := range args {
		args[i] = key
	}
	var n int
	var id sql.NullInt64
	err := e.app.DB.QueryRow(context.Background(), q, args...).Scan(&n, &id)
	if err == nil && n != 1 {
		err = fmt.Errorf("%d rows match", n)
	}
	if err != nil {
		t.Fatalf("{%s:%s}: %v", kind, key, err)
	}
	return id.Int64
}

// TestScenarioChecksFail: the runner's checks report a wrong status, a
// missing or unwanted text and a wrong header, and nothing on a match — a
// scenario table cannot pass by not looking.
func TestScenarioChecksFail(t *testing.T) {
	t.Parallel()
	a := &answer{Status: 200, Body: `{"username":"office"}`, Header: http.Header{"Cache-Control": {"no-store"}}}
	ok := scenario{Status: 200, Want: []string{`"office"`}, NotWant: []string{"admin"}, WantHeader: map[string]string{"Cache-Control": "no-store", "Location": ""}}
	if p := ok.check(a); len(p) != 0 {
		t.Fatalf("a matching answer: %v", p)
	}
	for name, s := range map[string]scenario{
		"status":         {Status: 201},
		"want":           {Status: 200, Want: []string{`"admin"`}},
		"not want":       {Status: 200, NotWant: []string{"office"}},
		"header":         {Status: 200, WantHeader: map[string]string{"Cache-Control": "public"}},
		"absent header":  {Status: 200, WantHeader: map[string]string{"Cache-Control": ""}},
		"present header": {Status: 200, WantHeader: map[string]string{"Location": "/"}},
	} {
		if p := s.check(a); len(p) != 1 {
			t.Errorf("%s: %d problems reported (%v), want 1", name, len(p), p)
		}
	}
}
