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
// TestSecurityHeaders checks the exact values on real objects.
func TestEveryRouteCarriesSecurityHeaders(t *testing.T) {
	t.Parallel()
	e := newEnvWith(t, func(cfg *app.Config) { cfg.TrustProxy = true })
	u, _ := url.Parse(e.srv.URL)
	cookies := e.login("office").Jar.Cookies(u)
	n := 0
	for _, rt := range e.app.Web.Routes() {
		method := rt.Method
		if method == "" {
			method = "GET"
		}
		path := fill(rt.Path)
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
		}
	}
	if n < 300 {
		t.Fatalf("walked %d requests", n)
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
