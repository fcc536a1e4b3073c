package web_test

import (
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"anwei/internal/app"
	"anwei/internal/demo"
)

const wantCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; object-src 'none'; " +
	"base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

// TestSecurityHeaders: every response carries the CSP, the framing, referrer
// and sniffing headers; what depends on the signed-in user (pages, API,
// errors, photos) is not cached, static files keep their caching.
func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	headers := func(cache, csp string) map[string]string {
		return map[string]string{"Content-Security-Policy": csp, "X-Frame-Options": "DENY",
			"Referrer-Policy": "same-origin", "X-Content-Type-Options": "nosniff", "Cache-Control": cache}
	}
	private := headers("no-store", wantCSP)
	static := headers("public, max-age=86400", wantCSP)
	runScenarios(t, newEnv(t), []scenario{
		{Name: "login page", URL: "/login", Status: 200, WantHeader: private},
		{Name: "home page", URL: "/", As: "office", Status: 200, WantHeader: private},
		{Name: "redirect to login", URL: "/hazards", Status: 303, WantHeader: private},
		{Name: "error page", URL: "/hazards/999999", As: "office", Status: 404, WantHeader: private},
		{Name: "API", URL: "/api/v1/me", As: "office", Status: 200, WantHeader: private},
		{Name: "API error", URL: "/api/v1/me", Status: 401, WantHeader: private},
		{Name: "spreadsheet", URL: "/hazards/ledger.xlsx", As: "office", Status: 200, WantHeader: private},
		// Chrome's PDF viewer does not draw under the pages' CSP; anwei's own
		// writs are only kept from being framed.
		{Name: "PDF writ", URL: "/notices/" + demoNotice + "/pdf", As: "office", Status: 200, WantHeader: headers("no-store", "frame-ancestors 'none'")},
		{Name: "static file", URL: "/static/app.css", Status: 200, WantHeader: static},
		{Name: "static script", URL: "/static/app.js", Status: 200, WantHeader: static},
		{Name: "health check", URL: "/healthz", Status: 200, WantHeader: private},
	})
}

// TestSessionCookieSecureBehindProxy: the session cookie is Secure when the
// client reached anwei over HTTPS — with --trust-proxy, as the proxy's
// X-Forwarded-Proto says — and only then.
func TestSessionCookieSecureBehindProxy(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name   string
		trust  bool
		proto  string
		secure bool
	}{
		{"proxy says https", true, "https", true},
		{"proxy says http", true, "http", false},
		{"no proxy header", true, "", false},
		{"untrusted header", false, "https", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv := newEnvWith(t, func(cfg *app.Config) { cfg.TrustProxy = c.trust }).srv
			for _, path := range []string{"/api/v1/session", "/login"} {
				body, ctype := `{"username":"office","password":"`+demo.Password+`"}`, "application/json"
				if path == "/login" {
					body, ctype = "username=office&password="+demo.Password, "application/x-www-form-urlencoded"
				}
				req, _ := http.NewRequest("POST", srv.URL+path, strings.NewReader(body))
				req.Header.Set("Content-Type", ctype)
				if c.proto != "" {
					req.Header.Set("X-Forwarded-Proto", c.proto)
				}
				resp, err := http.DefaultTransport.RoundTrip(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				sc := resp.Header.Get("Set-Cookie")
				if sc == "" {
					t.Fatalf("POST %s: %d, no cookie", path, resp.StatusCode)
				}
				if got := strings.Contains(sc, "; Secure"); got != c.secure {
					t.Errorf("POST %s: Set-Cookie %q, Secure %v, want %v", path, sc, got, c.secure)
				}
			}
		})
	}
}

// TestTemplatesHaveNoInlineScriptOrStyle: the CSP forbids inline script,
// event handler attributes, javascript: links, inline styles and htmx's
// evaluating attributes, so the templates hold none (data blocks of type
// application/json are allowed: they are not run).
func TestTemplatesHaveNoInlineScriptOrStyle(t *testing.T) {
	t.Parallel()
	forbidden := []struct {
		what string
		re   *regexp.Regexp
	}{
		{"event handler attribute", regexp.MustCompile(`(?i)\son[a-z]+\s*=`)},
		{"javascript: URL", regexp.MustCompile(`(?i)javascript:`)},
		{"style attribute", regexp.MustCompile(`(?i)\sstyle\s*=`)},
		{"style element", regexp.MustCompile(`(?i)<style\b`)},
		{"htmx hx-on", regexp.MustCompile(`(?i)\s(?:data-)?hx-on`)},
		{"htmx js: values", regexp.MustCompile(`(?i)(?:hx-vals|hx-vars)\s*=\s*['"]\s*js:`)},
	}
	scriptTag := regexp.MustCompile(`<script\b[^>]*>`)
	n := 0
	err := filepath.WalkDir("templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		n++
		src := string(b)
		for _, tag := range scriptTag.FindAllString(src, -1) {
			if !strings.Contains(tag, ` src="/static/`) && !strings.Contains(tag, `type="application/json"`) {
				t.Errorf("%s: inline script %s", path, tag)
			}
		}
		for _, f := range forbidden {
			if m := f.re.FindString(src); m != "" {
				t.Errorf("%s: %s %q", path, f.what, m)
			}
		}
		return nil
	})
	if err != nil || n < 20 {
		t.Fatalf("read %d templates: %v", n, err)
	}
}
