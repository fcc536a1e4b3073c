package web_test

import (
	"net/url"
	"testing"

	"anwei/internal/demo"
)

// hostileNext are post-login targets that would leave the site in some
// browser (Chromium drops tabs and newlines and reads a backslash as a
// slash) or that are no path at all: every one must become "/".
var hostileNext = []string{
	"/\t/127.0.0.1:27199/",
	"/\n/evil.example/",
	"/\r\n/evil.example/",
	"\t//evil.example/",
	"/\x7f/evil.example/",
	"/ok\x1b[0m",
	"//evil.example/",
	"///evil.example/",
	"/\\evil.example/",
	"/\\/evil.example/",
	"\\\\evil.example/",
	"/hazards\\..\\..\\evil",
	"/%09/127.0.0.1:27199/",
	"/%0a/evil.example/",
	"/%2F/evil.example/",
	"/%2f%2fevil.example/",
	"/%5C/evil.example/",
	"/%5c%5cevil.example/",
	"/%252F/evil.example/",
	"/%2509/evil.example/",
	"/%zz",
	"https://evil.example/",
	"http:evil.example",
	"javascript:alert(1)",
	"evil.example",
	"",
}

// TestLoginNextStaysOnSite: a hostile next sends the user to "/", both when
// an already signed-in user opens /login and when the login form is
// submitted; a same-site path with a query is kept. A NUL or bytes that are
// not UTF-8 are refused before that, like in any field (422, no redirect).
func TestLoginNextStaysOnSite(t *testing.T) {
	t.Parallel()
	type tc struct{ next, want string }
	var cases []tc
	for _, h := range hostileNext {
		cases = append(cases, tc{h, "/"})
	}
	cases = append(cases, tc{"/\x00/evil.example/", ""}, tc{"/%00/evil.example/", "/"}, tc{"/\xff/evil.example/", ""},
		tc{"/hazards?open=1&level=major", "/hazards?open=1&level=major"},
		tc{"/enterprises/3?tab=sources", "/enterprises/3?tab=sources"}, tc{"/", "/"})
	var scenarios []scenario
	for _, c := range cases {
		// A 303 to want, or for want "" a 422 with no redirect.
		status := 303
		if c.want == "" {
			status = 422
		}
		loc := map[string]string{"Location": c.want}
		scenarios = append(scenarios,
			scenario{Name: "GET " + url.QueryEscape(c.next), URL: "/login?next=" + url.QueryEscape(c.next), As: "office", Status: status, WantHeader: loc},
			scenario{Name: "POST " + url.QueryEscape(c.next), Method: "POST", URL: "/login",
				Body: url.Values{"username": {"member"}, "password": {demo.Password}, "next": {c.next}}.Encode(), Status: status, WantHeader: loc})
	}
	runScenarios(t, newEnv(t), scenarios)
}
