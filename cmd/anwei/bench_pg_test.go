package main

import (
	"bytes"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"anwei/internal/bench"
	"anwei/internal/store/storetest"
)

// TestBenchOnPostgres: `anwei bench --db postgres://… hazard_create_http`
// on an empty database migrates and loads it itself and prints, besides the
// usual lines, the database's commit ceiling and the same load on one and
// on two anwei serve processes (issue 19's measure). The figures are
// anwei bench's; here each line must be there with a figure above zero.
// The registry's and hazards' figures run there too.
// Under ANWEI_TEST_SERVERS=1 (.ci/run's step of several servers).
func TestBenchOnPostgres(t *testing.T) {
	if os.Getenv("ANWEI_TEST_SERVERS") == "" {
		storetest.Skip(t, "servers", "anwei bench on PostgreSQL skipped: ANWEI_TEST_SERVERS=1 runs it (.ci/run does)")
	}
	dsn := storetest.PostgresDSN(t) // an empty schema of its own
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	o := bench.Options{Duration: 300 * time.Millisecond, Warmup: 50 * time.Millisecond, Clients: 8, DSN: dsn,
		Exe: exe, Env: []string{"ANWEI_TEST_AS_ANWEI=1"}}
	if err := bench.Run(t.Context(), &out, o, []string{"hazard_create_http"}); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	got := map[string]float64{}
	for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		f := strings.Fields(l)
		if len(f) == 4 && f[0] == "bench" {
			got[f[1]], _ = strconv.ParseFloat(f[2], 64)
		}
	}
	for _, name := range []string{"hazard_create_http", "hazard_create_http_p95", "hazard_create_http_ceiling", "hazard_create_http_ratio",
		"pg_commit", "hazard_create_http_one_server", "hazard_create_http_two_servers", "hazard_create_http_two_servers_ratio"} {
		if got[name] <= 0 {
			t.Errorf("%s: %v, want a figure above zero in:\n%s", name, got[name], out.String())
		}
	}
	// The registry's and the hazards' figures, each in a schema of its own
	// (small worlds; the contract's sizes are anwei bench's), one after
	// another on the same database.
	out.Reset()
	o.Rows, o.Hazards, o.Enterprises = 1000, 5000, 20
	if err := bench.Run(t.Context(), &out, o, []string{"enterprise_import", "enterprise_search", "hazard_list", "hazard_dashboard"}); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	clear(got)
	for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		if f := strings.Fields(l); len(f) == 4 && f[0] == "bench" {
			got[f[1]], _ = strconv.ParseFloat(f[2], 64)
		}
	}
	for _, name := range []string{"enterprise_import", "enterprise_import_ceiling", "enterprise_search", "enterprise_search_short",
		"enterprise_list", "hazard_list", "hazard_dashboard"} {
		if got[name] <= 0 {
			t.Errorf("%s: %v, want a figure above zero in:\n%s", name, got[name], out.String())
		}
	}
	if err := bench.Run(t.Context(), &out, o, []string{"sqlite_commit"}); err == nil {
		t.Error("sqlite_commit measured on PostgreSQL")
	}
}
