// Package bench measures anwei as DESIGN.md's bench contract says: each
// figure is printed as `bench <name> <value> <unit>`. HTTP figures drive the
// real server on loopback with keep-alive and concurrent clients, logged in as
// a realistic user, and print beside them the ceiling of a bare net/http
// handler doing the same JSON decode/encode, driven by the same client in the
// same run, and the ratio. Data is generated, never read from outside.
package bench

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"sort"
	"time"
)

// Options set how long and how hard to measure.
type Options struct {
	Duration time.Duration // measured time per HTTP figure
	Warmup   time.Duration // unmeasured time before it
	Clients  int           // concurrent keep-alive clients
	DSN      string        // database to measure on; empty = a new SQLite in a temp dir
	// SQLiteSync is the SQLite synchronous setting measured ("full",
	// "normal"; empty: store.DefaultSync, as a deployment runs).
	SQLiteSync string
	Hazards    int // generated hazards for hazard_sweep, hazard_dashboard, hazard_trend and hazard_list; 0 = the contract's 2,000,000
	// Enterprises is the demo registry's size where a benchmark loads the
	// full demo (http_me, plan_import, the hazard world); 0 = the demo's
	// 2,000.
	Enterprises int
	// Rows is how many generated registry rows enterprise_import imports
	// (0 = the contract's 100,000); enterprise_search searches twice as many.
	Rows int
	// Exe is the anwei binary, for the runs that start the server as a
	// process (crash, the two-server figure): os.Executable() in `anwei
	// bench`; Env is added to those processes' environment (tests).
	Exe string
	Env []string
	// Rounds is how many kill -9 rounds crash runs (0 = 20).
	Rounds int
	// Soak is how long the soak runs (0 = 10 minutes); anwei bench sets
	// it from --duration when that is given.
	Soak time.Duration

	keys string // on PostgreSQL: the run's key files (postgres.go)
}

// rows is o.Rows, or the contract's 100,000.
func (o Options) rows() int {
	if o.Rows > 0 {
		return o.Rows
	}
	return 100_000
}

// Default is the contract: 10 s measured after 2 s warm-up, 32 clients.
var Default = Options{Duration: 10 * time.Second, Warmup: 2 * time.Second, Clients: 32}

type benchmark struct {
	name string
	run  func(ctx context.Context, o Options, emit func(name string, value float64, unit string)) error
}

var all = []benchmark{
	{"http_me", benchHTTPMe},
	{"sqlite_commit", benchSQLiteCommit},
	{"plan_parse", benchPlanParse},
	{"plan_import", benchPlanImport},
	{"enterprise_import", benchEnterpriseImport},
	{"enterprise_search", benchEnterpriseSearch},
	{"hazard_create_http", benchHazardCreate},
	{"hazard_sweep", benchHazardSweep},
	{"hazard_dashboard", benchHazardDashboard},
	{"hazard_trend", benchHazardTrend},
	{"hazard_list", benchHazardList},
	{"draw", benchDraw},
	{"draw_registry", benchDrawRegistry},
	{"inspection_submit_http", benchInspectionSubmit},
	{"crash", benchCrash},
	{"soak", benchSoak},
}

// namedOnly run only when named: the soak's ten minutes would more than
// double a plain `anwei bench`, and the crash rounds kill servers and need
// an empty database of their own.
var namedOnly = map[string]bool{"soak": true, "crash": true}

// Names lists the known benchmarks.
func Names() []string {
	var out []string
	for _, b := range all {
		out = append(out, b.name)
	}
	return out
}

// Run runs the named benchmarks (all when names is empty) and prints their
// figures to out.
func Run(ctx context.Context, out io.Writer, o Options, names []string) error {
	if o.Duration <= 0 {
		o.Duration = Default.Duration
	}
	if o.Warmup < 0 {
		o.Warmup = 0
	}
	if o.Clients <= 0 {
		o.Clients = Default.Clients
	}
	if len(names) == 0 {
		for _, n := range Names() {
			if !namedOnly[n] && !(n == "sqlite_commit" && isPostgres(o.DSN)) {
				names = append(names, n)
			}
		}
	}
	dropKeys, err := runKeys(&o)
	if err != nil {
		return err
	}
	defer dropKeys()
	defer closeWorlds()
	emit := func(name string, value float64, unit string) {
		fmt.Fprintf(out, "bench %s %s %s\n", name, format(value), unit)
	}
	for _, n := range names {
		var b *benchmark
		for i := range all {
			if all[i].name == n {
				b = &all[i]
			}
		}
		if b == nil {
			return fmt.Errorf("未知的测量项 %q (可选: %v)", n, Names())
		}
		settle()
		if err := b.run(ctx, o, emit); err != nil {
			return fmt.Errorf("%s: %w", n, err)
		}
	}
	return nil
}

// settle starts each measurement from rest: the garbage of the one before
// collected and the files it wrote (and removed) flushed, so none of it is
// charged to the next.
func settle() {
	if !settling {
		return
	}
	runtime.GC()
	syncDisks()
}

// settling is off in the package's tests, which check what Run prints, not
// the figures: sync(2) flushes the whole machine's dirty pages and took
// seconds there when other processes were writing.
var settling = true

func format(v float64) string {
	switch {
	case v >= 100:
		return fmt.Sprintf("%.0f", v)
	case v >= 1:
		return fmt.Sprintf("%.2f", v)
	}
	return fmt.Sprintf("%.3f", v)
}

// p95 returns the 95th percentile of the durations in milliseconds.
func p95(d []time.Duration) float64 {
	if len(d) == 0 {
		return 0
	}
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	return float64(d[len(d)*95/100]) / float64(time.Millisecond)
}

func tempDir() (string, func(), error) {
	dir, err := os.MkdirTemp("", "anwei-bench-")
	if err != nil {
		return "", nil, err
	}
	return dir, func() { os.RemoveAll(dir) }, nil
}
