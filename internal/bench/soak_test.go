package bench

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestSoakPrintsItsLines runs the soak for 1.5 s on a small demo and
// checks its lines: memory and goroutines at start and end, p95 per class
// for the first and last window, counts and errors (0, or Run fails). Each
// class has samples in both windows of 0.75 s, or Run fails (sampled):
// the mix is shifted to exports and writes so that even in so short a run
// the rarest class has dozens. A plain Run leaves the soak out.
func TestSoakPrintsItsLines(t *testing.T) {
	settling = false
	defer func() { settling = true }()
	defer func(d time.Duration) { soakThink = d }(soakThink)
	soakThink = 20 * time.Millisecond
	defer func(m [3]int) { soakMix = m }(soakMix)
	soakMix = [3]int{30, 55, 80} // pages 30%, reads 25%, writes 25%, exports 20%
	var out bytes.Buffer
	o := Options{Soak: 1500 * time.Millisecond, Warmup: 100 * time.Millisecond, Clients: 4, Enterprises: 20}
	if err := Run(context.Background(), &out, o, []string{"soak"}); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	line := regexp.MustCompile(`^bench [a-z_0-9]+ [0-9.]+ [a-zA-Z/]+$`)
	got := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		if !line.MatchString(l) {
			t.Errorf("not a contract line: %q", l)
			continue
		}
		f := strings.Fields(l)
		got[f[1]] = f[2]
	}
	want := []string{"soak_rss_start", "soak_rss_end", "soak_goroutines_start", "soak_goroutines_end", "soak_requests", "soak_errors"}
	for _, c := range classNames {
		want = append(want, "soak_"+c+"_p95_first", "soak_"+c+"_p95_last", "soak_"+c+"_requests", "soak_"+c+"_errors")
	}
	for _, w := range want {
		if got[w] == "" {
			t.Errorf("no %s line in:\n%s", w, out.String())
		}
	}
	for _, c := range classNames {
		if got["soak_"+c+"_requests"] == "0" {
			t.Errorf("no %s request made:\n%s", c, out.String())
		}
	}
	if n, _ := strconv.ParseFloat(got["soak_errors"], 64); n != 0 || got["soak_rss_start"] == "0.000" {
		t.Errorf("errors or no memory figure:\n%s", out.String())
	}
	if namedOnly["soak"] == false {
		t.Error("the soak would run in a plain anwei bench")
	}
}

// TestSoakCountsOnlyWhatWasAsked: a GET is done only with a 2xx; a POST
// with a 2xx or a form's 303 — but a redirect to the sign-in page is a
// session that ended, never a fast success.
func TestSoakCountsOnlyWhatWasAsked(t *testing.T) {
	for _, c := range []struct {
		method   string
		status   int
		location string
		want     bool
	}{
		{"GET", 200, "", true},
		{"GET", 204, "", true},
		{"GET", 303, "/login?next=%2Fhazards", false},
		{"GET", 303, "/hazards", false},
		{"GET", 302, "/", false},
		{"GET", 304, "", false},
		{"GET", 404, "", false},
		{"POST", 201, "", true},
		{"POST", 303, "/hazards/12", true},
		{"POST", 303, "/login", false},
		{"POST", 303, "/login?next=%2Finbox%2Fread", false},
		{"POST", 302, "/hazards/12", false},
		{"POST", 422, "", false},
	} {
		if got := done(c.method, c.status, c.location); got != c.want {
			t.Errorf("%s answered %d %q: done %v, want %v", c.method, c.status, c.location, got, c.want)
		}
	}
	// And send says so: a page whose session expired is an error.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
	}))
	defer srv.Close()
	s := &soakRun{base: srv.URL, client: srv.Client(), users: map[string]*soakUser{"office": {cookie: &http.Cookie{Name: "s", Value: "x"}}}}
	s.client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	for _, m := range []string{"GET", "POST"} {
		var he *httpError
		if err := s.send(context.Background(), "office", m, "/hazards", "", nil, nil); !errors.As(err, &he) || he.status != 303 {
			t.Errorf("%s answered by a redirect to /login: %v, want an HTTP 303 error", m, err)
		}
	}
}

// TestSoakNeedsSamplesInBothWindows: a class without a latency in the
// first or the last window fails the run, naming the class and window.
func TestSoakNeedsSamplesInBothWindows(t *testing.T) {
	full := map[string][]time.Duration{}
	for _, c := range classNames {
		full[c+" /x"] = []time.Duration{time.Millisecond}
	}
	if err := sampled([2]map[string][]time.Duration{full, full}); err != nil {
		t.Fatal(err)
	}
	short := map[string][]time.Duration{}
	for k, v := range full {
		if !strings.HasPrefix(k, "export ") {
			short[k] = v
		}
	}
	err := sampled([2]map[string][]time.Duration{full, short})
	if err == nil || !strings.Contains(err.Error(), "export") || !strings.Contains(err.Error(), "最后一个") {
		t.Errorf("no export in the last window: %v", err)
	}
}

// TestSoakTakesTheSyncSetting: the soak opens SQLite with --sqlite-sync as
// every other bench does — a setting the store refuses fails it at once.
func TestSoakTakesTheSyncSetting(t *testing.T) {
	var out bytes.Buffer
	o := Options{Soak: 200 * time.Millisecond, Warmup: 50 * time.Millisecond, Clients: 1, Enterprises: 5, SQLiteSync: "sometimes"}
	if err := Run(context.Background(), &out, o, []string{"soak"}); err == nil || !strings.Contains(err.Error(), "--sqlite-sync") {
		t.Errorf("soak with --sqlite-sync sometimes: %v", err)
	}
}
