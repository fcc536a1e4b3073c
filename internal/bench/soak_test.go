package bench

import (
	"bytes"
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestSoakPrintsItsLines runs the soak for 1.5 s on a small demo and
// checks its lines: memory and goroutines at start and end, p95 per class
// for the first and last window, counts and errors (0, or Run fails). A
// plain Run leaves the soak out.
func TestSoakPrintsItsLines(t *testing.T) {
	settling = false
	defer func() { settling = true }()
	defer func(d time.Duration) { soakThink = d }(soakThink)
	soakThink = 20 * time.Millisecond
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
	for _, c := range []string{"read", "page", "write"} {
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
