package bench

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestRunPrintsContractLines runs every benchmark briefly and checks that
// each prints its lines in the `bench <name> <value> <unit>` form (the
// figures themselves are measured by `anwei bench`, never asserted here).
func TestRunPrintsContractLines(t *testing.T) {
	settling = false
	defer func() { settling = true }()
	var out bytes.Buffer
	// Small worlds: 20 demo enterprises, 1,000 imported rows (2,000
	// searched), 5,000 hazards; short runs (each timed loop spins its
	// clients for the whole Duration, so Duration is CPU): the contract's
	// sizes and times are anwei bench's.
	o := Options{Duration: 100 * time.Millisecond, Warmup: 10 * time.Millisecond, Clients: 4, Hazards: 5000, Enterprises: 20, Rows: 1000}
	if err := Run(context.Background(), &out, o, nil); err != nil {
		t.Fatal(err)
	}
	line := regexp.MustCompile(`^bench [a-z_0-9]+ [0-9.]+ [a-zA-Z/]+$`)
	got := map[string]bool{}
	for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		if !line.MatchString(l) {
			t.Errorf("not a contract line: %q", l)
		}
		got[strings.Fields(l)[1]] = true
	}
	for _, want := range []string{"http_me", "http_me_ceiling", "http_me_ratio", "sqlite_commit", "plan_parse", "plan_import", "enterprise_import", "enterprise_import_ratio", "enterprise_search", "enterprise_search_short", "enterprise_list", "hazard_create_http", "hazard_create_http_ratio", "hazard_sweep", "hazard_dashboard", "hazard_trend", "hazard_list", "draw", "draw_verify", "draw_commit", "draw_run", "draw_registry", "inspection_submit_http", "inspection_submit_http_ratio"} {
		if !got[want] {
			t.Errorf("no %s line in:\n%s", want, out.String())
		}
	}
	if err := Run(context.Background(), &out, o, []string{"nonsense"}); err == nil {
		t.Error("unknown benchmark accepted")
	}
}
