package web_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"anwei/internal/app"
)

// TestEveryRouteCarriesSecurityHeaders walks every route of Routes() —
// so a route added later is covered the day it is added — as a signed-in
// office and signed out, and checks the headers of each answer: a CSP
// without inline script that no site may frame, X-Frame-Options DENY,
// Referrer-Policy, nosniff; and Strict-Transport-Security exactly when the
// request came over HTTPS (here: through a trusted proxy that says so).
// A read route's parameters are real objects of the demo (walkIDs), so the
// answers that set their own headers — PDFs, .xlsx, stored files — are
// walked too; a write route gets ids no record has (its empty body must
// change nothing the walk goes on to read). TestSecurityHeaders checks the
// exact values on real objects.
func TestEveryRouteCarriesSecurityHeaders(t *testing.T) {
	t.Parallel()
	e := newEnvWith(t, func(cfg *app.Config) { cfg.TrustProxy = true })
	u, _ := url.Parse(e.srv.URL)
	cookies := e.login("office").Jar.Cookies(u)
	n, ids, real := 0, map[string]string{}, 0
	for _, rt := range e.app.Web.Routes() {
		method := rt.Method
		if method == "" {
			method = "GET"
		}
		path := fill(rt.Path)
		if method == "GET" {
			path = e.realPath(t, rt.Path, ids)
		}
		if strings.HasSuffix(path, "/") {
			path += "x"
		}
		for _, c := range []struct {
			who   string
			https bool
		}{{"office", false}, {"office", true}, {"", false}} {
			req := httptest.NewRequest(method, e.srv.URL+path, nil)
			req.Header.Set("Origin", e.srv.URL)
			if c.https {
				req.Header.Set("X-Forwarded-Proto", "https")
			}
			if c.who != "" {
				for _, ck := range cookies {
					req.AddCookie(ck)
				}
			}
			rec := httptest.NewRecorder()
			e.srv.Config.Handler.ServeHTTP(rec, req)
			n++
			what := rt.String() + " as " + c.who
			if c.https {
				what += " over HTTPS"
			}
			checkSecurityHeaders(t, what, rec.Code, rec.Header(), c.https)
			if c.who == "" {
				continue
			}
			if strings.Contains(rt.Path, "{") && rec.Code == http.StatusOK {
				real++
			}
			// After a sign-in or sign-out route (logout ends the
			// session) the walk signs in afresh, so the routes after
			// it are still walked as the office; any other route
			// answering as to a signed-out user is an error.
			if rec.Code == http.StatusUnauthorized || strings.HasPrefix(rec.Header().Get("Location"), "/login") {
				if !signRoutes[rt.String()] {
					t.Errorf("%s: answered as if signed out (%d %s)", what, rec.Code, rec.Header().Get("Location"))
				}
				cookies = e.login("office").Jar.Cookies(u)
			}
		}
	}
	if n < 300 || real < 40 {
		t.Fatalf("walked %d requests, %d of them as the office to a real object", n, real)
	}
}

// signRoutes sign in and out: a signed-in walk may be answered as if
// signed out there (and a session ended).
var signRoutes = map[string]bool{"POST /login": true, "GET /login/code": true, "POST /login/code": true, "POST /logout": true,
	"DELETE /api/v1/session": true}

// TestStrictTransportOnlyFromTheTrustedProxy: Strict-Transport-Security is
// sent when the last X-Forwarded-Proto — the one the trusted proxy appended
// — says https; without --trust-proxy the header is the client's own word
// and sets nothing.
func TestStrictTransportOnlyFromTheTrustedProxy(t *testing.T) {
	t.Parallel()
	trusted := newEnvWith(t, func(cfg *app.Config) { cfg.TrustProxy = true })
	untrusted := newEnv(t)
	for _, c := range []struct {
		name  string
		e     *env
		proto []string
		hsts  bool
	}{
		{"untrusted proxy says https", untrusted, []string{"https"}, false},
		{"trusted proxy says https", trusted, []string{"https"}, true},
		{"client says https, the proxy http", trusted, []string{"https, http"}, false},
		{"client says https, the proxy http, two lines", trusted, []string{"https", "http"}, false},
		{"client says http, the proxy https", trusted, []string{"http", "https"}, true},
	} {
		req := httptest.NewRequest("GET", c.e.srv.URL+"/login", nil)
		for _, p := range c.proto {
			req.Header.Add("X-Forwarded-Proto", p)
		}
		rec := httptest.NewRecorder()
		c.e.srv.Config.Handler.ServeHTTP(rec, req)
		checkSecurityHeaders(t, c.name, rec.Code, rec.Header(), c.hsts)
	}
}

// checkSecurityHeaders checks one answer's security headers.
func checkSecurityHeaders(t *testing.T, what string, code int, h http.Header, https bool) {
	t.Helper()
	if code >= 500 {
		t.Errorf("%s: %d", what, code)
	}
	csp := h.Get("Content-Security-Policy")
	if !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") ||
		(strings.Contains(csp, "script-src") && !strings.Contains(csp, "script-src 'self'")) {
		t.Errorf("%s: Content-Security-Policy %q", what, csp)
	}
	for k, v := range map[string]string{"X-Frame-Options": "DENY", "Referrer-Policy": "same-origin", "X-Content-Type-Options": "nosniff"} {
		if got := h.Get(k); got != v {
			t.Errorf("%s: %s %q, want %q", what, k, got, v)
		}
	}
	if got := h.Get("Strict-Transport-Security"); (got != "") != https || https && !strings.Contains(got, "max-age=31536000") {
		t.Errorf("%s: Strict-Transport-Security %q", what, got)
	}
}
