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
	e := newEnv(t)
	type tc struct{ next, want string }
	var cases []tc
	for _, h := range hostileNext {
		cases = append(cases, tc{h, "/"})
	}
	cases = append(cases, tc{"/\x00/evil.example/", ""}, tc{"/%00/evil.example/", "/"}, tc{"/\xff/evil.example/", ""},
		tc{"/hazards?open=1&level=major", "/hazards?open=1&level=major"},
		tc{"/enterprises/3?tab=sources", "/enterprises/3?tab=sources"}, tc{"/", "/"})
	signedIn := e.login("office")
	for _, c := range cases {
		t.Run("GET "+url.QueryEscape(c.next), func(t *testing.T) {
			resp, err := signedIn.Get(e.srv.URL + "/login?next=" + url.QueryEscape(c.next))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if loc := resp.Header.Get("Location"); !redirected(resp.StatusCode, loc, c.want) {
				t.Errorf("GET /login?next=%q: %d Location %q, want 303 %q", c.next, resp.StatusCode, loc, c.want)
			}
		})
		t.Run("POST "+url.QueryEscape(c.next), func(t *testing.T) {
			form := url.Values{"username": {"member"}, "password": {demo.Password}, "next": {c.next}}
			resp, err := e.client().PostForm(e.srv.URL+"/login", form)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if loc := resp.Header.Get("Location"); !redirected(resp.StatusCode, loc, c.want) {
				t.Errorf("POST /login next=%q: %d Location %q, want 303 %q", c.next, resp.StatusCode, loc, c.want)
			}
		})
	}
}

// redirected: a 303 to want, or for want "" a 422 with no redirect.
func redirected(status int, loc, want string) bool {
	if want == "" {
		return status == 422 && loc == ""
	}
	return status == 303 && loc == want
}
