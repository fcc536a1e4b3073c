package apptest

import (
	"anwei/internal/auth/passwd"
	"context"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"anwei/internal/app"
	"anwei/internal/calendar"
	"anwei/internal/demo"
	"anwei/internal/store"
	"anwei/internal/store/storetest"
)

// Loading the demo is most of a test's set-up (a second and more each);
// the functions below load it once per test binary into a template — a data
// directory, and for PostgreSQL a database of its own — and give every test
// a copy: SQLite's file copied, PostgreSQL's database created from the
// template. A copy holds exactly the rows the same loading would have
// written (the same clock reading, the same generated registry); ids and
// numbers are the same in every copy.

// Dialects name the databases a seeded copy can be made on.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// template is one loaded deployment, built at the first use of its key.
type template struct {
	once   sync.Once
	key    string
	shared bool   // kept under sharedRoot for other binaries and runs (shared.go)
	dir    string // data directory: anwei.db (SQLite), audit.key, attachments
	dsn    string // PostgreSQL template database; empty for SQLite
	err    error
}

var templates = struct {
	sync.Mutex
	m    map[string]*template
	main bool
}{m: map[string]*template{}}

// Main runs the package's tests from its TestMain (through storetest.Main,
// which also drops the PostgreSQL databases made for them, these templates
// and copies with its own) and then removes the templates' directories.
// Seeded and SeededDemo refuse to run without it, so that no template
// outlives its test binary. It first makes new password hashes cheap: the
// demo and fixture accounts are hashed at every set-up, and argon2id at 64
// MiB was half of the tests' CPU (the parameters of real deployments are
// tested in package passwd).
func Main(m *testing.M) int {
	passwd.Default = passwd.Params{Time: 1, Memory: 1024, Threads: 1, KeyLen: 32}
	templates.Lock()
	templates.main = true
	templates.Unlock()
	code := storetest.Main(m)
	templates.Lock()
	defer templates.Unlock()
	for k, tp := range templates.m {
		if tp.dir != "" && !tp.shared {
			os.RemoveAll(tp.dir)
		}
		delete(templates.m, k)
	}
	return code
}

// postgresCopy creates t's copy of tp's template database, dropped when
// the test binary ends (Main), and returns its DSN.
func postgresCopy(t testing.TB, tp *template) string {
	t.Helper()
	var dsn string
	var drop func()
	copyIt := func() (err error) {
		dsn, drop, err = storetest.PostgresCopy(context.Background(), tp.dsn)
		return err
	}
	var err error
	if tp.shared { // other binaries copy the same template
		err = locked(keyDir(tp.key)+".copy.lock", copyIt)
	} else {
		err = copyIt()
	}
	if err != nil {
		t.Fatal(err)
	}
	storetest.AtEnd(drop)
	return dsn
}

// get returns the template for key, building it with build at its first use.
func get(t testing.TB, key string, build func(tp *template) error) *template {
	t.Helper()
	if !strings.HasPrefix(key, SQLite+" ") && !strings.HasPrefix(key, Postgres+" ") {
		t.Fatalf("apptest: no dialect %q", strings.Fields(key)[0])
	}
	if strings.HasPrefix(key, Postgres+" ") {
		storetest.SkipWithoutPostgres(t)
	}
	templates.Lock()
	if !templates.main {
		templates.Unlock()
		t.Fatal("apptest: a seeded copy needs the package's TestMain to run apptest.Main")
	}
	tp := templates.m[key]
	if tp == nil {
		tp = &template{}
		templates.m[key] = tp
	}
	templates.Unlock()
	tp.once.Do(func() {
		tp.key = key
		if sharedRoot() != "" {
			tp.shared = true
			tp.err = shared(key, tp, build)
			return
		}
		dir, err := os.MkdirTemp("", "anwei-template-")
		if err != nil {
			tp.err = err
			return
		}
		tp.dir = dir
		tp.err = build(tp)
	})
	if tp.err != nil {
		t.Fatalf("template %s: %v", key, tp.err)
	}
	return tp
}

// postgresTemplate gives tp a template database.
func postgresTemplate(ctx context.Context, tp *template) error {
	dsn, drop, ok, err := storetest.PostgresTemplate(ctx)
	if !ok {
		return fmt.Errorf("ANWEI_TEST_PG is not set")
	}
	if err != nil {
		return err
	}
	tp.dsn = dsn
	if !tp.shared { // a shared template stays for the next binary and run
		storetest.AtEnd(drop)
	}
	return nil
}

// clockKey names the reading of a clock a template is loaded at: a fixed
// clock's instant, else the system clock's five minutes (its template is
// loaded at its first use and shared by the binaries of a run; the demo's
// dates are days, and no template is older than a binary of old lived).
func clockKey(c calendar.Clock) (string, calendar.Clock) {
	if f, ok := c.(*calendar.Fixed); ok {
		now := f.Now()
		return now.Format(time.RFC3339Nano), calendar.NewFixed(now)
	}
	return "system " + time.Now().Truncate(5*time.Minute).Format(time.RFC3339), c
}

// Seeded returns cfg set to run on a copy of the deployment app.New sets
// up for it — the demo (cfg.Demo must be set) with cfg.DemoEnterprises
// generated enterprises, loaded at cfg.Clock's reading, its audit key and
// attachments — on dialect (SQLite or Postgres): cfg.DataDir becomes a
// directory of t's holding the copy, cfg.DSN its database. app.New on the
// result finds the deployment ready and only opens it.
func Seeded(t testing.TB, dialect string, cfg app.Config) app.Config {
	t.Helper()
	if !cfg.Demo || cfg.AuditKeyFile != "" || cfg.DSN != "" {
		t.Fatal("apptest.Seeded: needs Demo, and neither DSN nor AuditKeyFile (the copy sets them)")
	}
	ck, clock := clockKey(cfg.Clock)
	key := fmt.Sprintf("%s app %d %s %s", dialect, cfg.DemoEnterprises, cfg.Region, ck)
	tp := get(t, key, func(tp *template) error {
		ctx := context.Background()
		tc := app.Config{DataDir: tp.dir, Region: cfg.Region, Demo: true, DemoEnterprises: cfg.DemoEnterprises, Clock: clock,
			Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
		if dialect == Postgres {
			if err := postgresTemplate(ctx, tp); err != nil {
				return err
			}
			tc.DSN = tp.dsn
		}
		a, err := app.New(ctx, tc)
		if err != nil {
			return err
		}
		return a.Close()
	})
	cfg.DataDir = t.TempDir()
	if err := copyDir(tp.dir, cfg.DataDir); err != nil {
		t.Fatal(err)
	}
	if dialect == Postgres {
		cfg.DSN = postgresCopy(t, tp)
	}
	return cfg
}

// SeededDemo is Demo on a copy: a database of t's on dialect holding what
// demo.Load writes with n generated enterprises at w.Clock's reading (and,
// with hazards, LoadHazards), and every service built on it with w —
// w.FilesDir, when empty, a directory of t's with the template's files.
func SeededDemo(t testing.TB, dialect string, w app.Wiring, n int, hazards bool) (*store.DB, *app.Services) {
	t.Helper()
	return SeededDemoLoadedAt(t, dialect, w.Clock, w, n, hazards)
}

// SeededDemoLoadedAt is SeededDemo with the demo loaded at loaded's
// reading and the services running on w.Clock: for a test that needs only
// "now" to be elsewhere (a year's first day) and so can share the template
// the package's other tests load — each template is a demo load, a second
// of PostgreSQL's work.
func SeededDemoLoadedAt(t testing.TB, dialect string, loaded calendar.Clock, w app.Wiring, n int, hazards bool) (*store.DB, *app.Services) {
	t.Helper()
	ck, clock := clockKey(loaded)
	key := fmt.Sprintf("%s demo %d %v %s", dialect, n, hazards, ck)
	tp := get(t, key, func(tp *template) error {
		ctx := context.Background()
		dsn := ""
		if dialect == Postgres {
			if err := postgresTemplate(ctx, tp); err != nil {
				return err
			}
			dsn = tp.dsn
		}
		db, err := store.Open(ctx, dsn, filepath.Join(tp.dir, "db"))
		if err != nil {
			return err
		}
		defer db.Close()
		if _, err := db.Migrate(ctx); err != nil {
			return err
		}
		s := app.NewServices(db, app.Wiring{Clock: clock, FilesDir: filepath.Join(tp.dir, "files")})
		if _, err := demo.Load(ctx, s.Org, s.Plans, s.Ents, n); err != nil {
			return err
		}
		if hazards {
			if err := demo.LoadHazards(ctx, s.Org, s.Ents, s.Hazards, s.Risks, s.Clock.Now()); err != nil {
				return err
			}
			if _, err := demo.LoadEnforcement(ctx, s.Org, s.Ents, s.Enforce, s.Clock.Now()); err != nil {
				return err
			}
			if err := demo.LoadInspections(ctx, s.Org, s.Ents, s.Enforce, s.Clock.Now()); err != nil {
				return err
			}
		}
		return db.Close()
	})
	dir := t.TempDir()
	if err := copyDir(tp.dir, dir); err != nil {
		t.Fatal(err)
	}
	dsn := ""
	if dialect == Postgres {
		dsn = postgresCopy(t, tp)
	}
	ctx := context.Background()
	db, err := store.Open(ctx, dsn, filepath.Join(dir, "db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if w.FilesDir == "" {
		w.FilesDir = filepath.Join(dir, "files")
	}
	return db, New(t, db, w)
}

// Dialects runs fn once per available database, SQLite always and
// PostgreSQL when ANWEI_TEST_PG is set, naming the dialect for SeededDemo
// or Seeded (which skip the PostgreSQL run without it).
func Dialects(t *testing.T, fn func(t *testing.T, dialect string)) {
	t.Helper()
	for _, d := range []string{SQLite, Postgres} {
		t.Run(d, func(t *testing.T) { fn(t, d) })
	}
}

// copyDir copies the regular files under src into dst (created), leaving
// out SQLite's shared-memory index, which the next opening rebuilds.
func copyDir(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		to := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(to, 0o750)
		case !d.Type().IsRegular() || strings.HasSuffix(path, "-shm"):
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(to, b, info.Mode().Perm())
	})
}
