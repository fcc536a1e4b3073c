package web_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"anwei/internal/auth"
	"anwei/internal/demo"
)

// The second factor's write routes in TestWritesTakeNoServerFields: the
// member binds an authenticator over the API, signs in with codes over the
// API and the page, turns it off, binds one on the page and turns it off
// again (so no later sign-in of the member needs a code), and the
// administrator leaves the setting off. They run last, in this order.
func init() {
	massWrites = append(massWrites, factorWrites...)
}

// nextCode moves the clock to the next time step and saves its code of the
// member's secret as {var:code}.
func nextCode(t *testing.T, e *env) {
	t.Helper()
	e.clock.Advance(30 * time.Second)
	e.vars["code"] = auth.TOTPCode(e.vars["secret"], e.clock.Now())
}

// pendingSignIn signs the member in with its password in a client of its
// own, saved as session, which then holds the sign-in waiting for a code.
func pendingSignIn(session string) func(t *testing.T, e *env) {
	return func(t *testing.T, e *env) {
		t.Helper()
		nextCode(t, e)
		c := e.client()
		if code, body := e.do(c, "POST", "/api/v1/session", `{"username":"member","password":"`+demo.Password+`"}`); code != 202 {
			t.Fatalf("the member's sign-in: %d %s", code, body)
		}
		e.sessions[session] = c
	}
}

var factorWrites = []massWrite{
	{Route: "POST /api/v1/account/two-factor", As: "member#2fa", URL: "/api/v1/account/two-factor", Body: `{"password":"` + demo.Password + `"}`, Status: 201,
		After: func(t *testing.T, e *env, a *answer) {
			var en auth.Enrolment
			if json.Unmarshal([]byte(a.Body), &en) != nil || en.Secret == "" {
				t.Fatalf("enrolment: %s", a.Body)
			}
			e.vars["secret"] = en.Secret
		}},
	{Route: "POST /api/v1/account/two-factor/confirm", As: "member#2fa", URL: "/api/v1/account/two-factor/confirm", Body: `{"code":"{var:code}"}`,
		Before: nextCode, Status: 201},
	{Route: "POST /api/v1/account/two-factor/recovery-codes", As: "member#2fa", URL: "/api/v1/account/two-factor/recovery-codes",
		Body: `{"code":"{var:code}"}`, Before: nextCode, Status: 201},
	{Route: "POST /api/v1/session/code", As: "member#code1", URL: "/api/v1/session/code", Body: `{"code":"{var:code}"}`,
		Before: pendingSignIn("member#code1"), Status: 200},
	{Route: "POST /login/code", As: "member#code2", URL: "/login/code", Body: "code={var:code}", Before: pendingSignIn("member#code2"), Status: 303},
	{Route: "POST /api/v1/account/two-factor/disable", As: "member#2fa", URL: "/api/v1/account/two-factor/disable", Body: `{"code":"{var:code}"}`,
		Before: nextCode, Status: 204},
	{Route: "POST /account/two-factor", As: "member#2fa", URL: "/account/two-factor", Body: "password=" + demo.Password, Status: 303,
		After: func(t *testing.T, e *env, a *answer) {
			member, err := e.app.Org.ActorByUsername(context.Background(), "member")
			if err != nil {
				t.Fatal(err)
			}
			st, err := e.app.Auth.FactorStatus(context.Background(), member)
			if err != nil || st.Pending == nil {
				t.Fatalf("the binding begun on the page: %+v %v", st, err)
			}
			e.vars["secret"] = st.Pending.Secret
		}},
	{Route: "POST /account/two-factor/confirm", As: "member#2fa", URL: "/account/two-factor/confirm", Body: "code={var:code}", Before: nextCode, Status: 200},
	{Route: "POST /account/two-factor/recovery-codes", As: "member#2fa", URL: "/account/two-factor/recovery-codes", Body: "code={var:code}",
		Before: nextCode, Status: 200},
	{Route: "POST /account/two-factor/disable", As: "member#2fa", URL: "/account/two-factor/disable", Body: "code={var:code}", Before: nextCode, Status: 303},
	{Route: "PUT /api/v1/settings/two-factor", As: "admin", URL: "/api/v1/settings/two-factor", Body: `{"required":false}`, Status: 204},
	{Route: "POST /account/two-factor/setting", As: "admin", URL: "/account/two-factor/setting", Body: "required=0", Status: 303},
}
