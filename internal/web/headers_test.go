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
	e := newEnv(t)
	anon, office := e.client(), e.login("office")
	for _, c := range []struct {
		name   string
		client *http.Client
		path   string
		status int
		cache  string
		csp    string // when not wantCSP
	}{
		{"login page", anon, "/login", 200, "no-store", ""},
		{"home page", office, "/", 200, "no-store", ""},
		{"redirect to login", anon, "/hazards", 303, "no-store", ""},
		{"error page", office, "/hazards/999999", 404, "no-store", ""},
		{"API", office, "/api/v1/me", 200, "no-store", ""},
		{"API error", anon, "/api/v1/me", 401, "no-store", ""},
		{"spreadsheet", office, "/hazards/ledger.xlsx", 200, "no-store", ""},
		// Chrome's PDF viewer does not draw under the pages' CSP; anwei's own
		// writs are only kept from being framed.
		{"PDF writ", office, "/notices/1/pdf", 200, "no-store", "frame-ancestors 'none'"},
		{"static file", anon, "/static/app.css", 200, "public, max-age=86400", ""},
		{"static script", anon, "/static/app.js", 200, "public, max-age=86400", ""},
		{"health check", anon, "/healthz", 200, "no-store", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			resp, err := c.client.Get(e.srv.URL + c.path)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != c.status {
				t.Fatalf("GET %s: %d, want %d", c.path, resp.StatusCode, c.status)
			}
			csp := wantCSP
			if c.csp != "" {
				csp = c.csp
			}
			for k, want := range map[string]string{"Content-Security-Policy": csp, "X-Frame-Options": "DENY",
				"Referrer-Policy": "same-origin", "X-Content-Type-Options": "nosniff", "Cache-Control": c.cache} {
				if got := resp.Header.Get(k); got != want {
					t.Errorf("GET %s: %s = %q, want %q", c.path, k, got, want)
				}
			}
		})
	}
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
