package bench

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"anwei/internal/org"
	"anwei/internal/store"
)

// On PostgreSQL (--db postgres://…) the run measures that database alone:
// a freshly created, empty one, which the first figure migrates and loads
// with the demo. The keys it makes (audit, factor) are kept for the whole
// run in one folder, so every figure works on the same deployment. The
// figures that generate data of their own (enterprise_import and _search,
// the hazard figures) each work in a schema of their own (ownSchema), so
// each measures just its data, as on SQLite, and any subset runs in one
// command.
// hazard_create_http then adds what the scale-out path is judged by: the
// database's own commit ceiling from the same number of clients, and the
// same load on one and on two `anwei serve` processes on the database, the
// clients split between the two.

func isPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// errNotThisDB refuses a figure of the other database.
var errNotThisDB = errors.New("sqlite_commit 测的是 SQLite 的提交；在 PostgreSQL 上看 hazard_create_http 同时给出的 pg_commit")

// pgCommit measures single-row commits per second from o.Clients clients
// through the store's transaction helper on db, as sqlite_commit does on
// SQLite: what the database itself can commit on this machine.
func pgCommit(ctx context.Context, o Options, db *store.DB) (float64, error) {
	d := min(o.Duration, 5*time.Second)
	var n atomic.Int64
	var failed atomic.Pointer[error] // the first failure
	var wg sync.WaitGroup
	begin := time.Now()
	deadline := begin.Add(d)
	for c := range o.Clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; time.Now().Before(deadline); i++ {
				err := db.Tx(ctx, func(tx *store.Tx) error {
					return org.WriteSetting(ctx, tx, fmt.Sprintf("bench-commit-%d-%d", c, i%100), "v")
				})
				if err != nil {
					failed.CompareAndSwap(nil, &err)
					return
				}
				n.Add(1)
			}
		}()
	}
	wg.Wait()
	if err := failed.Load(); err != nil {
		return 0, *err
	}
	return float64(n.Load()) / time.Since(begin).Seconds(), nil
}

// servers measures the hazard reports of load on one `anwei serve` process
// on the database and then on two, each client's requests going to both in
// turn; keys is the folder with the deployment's key files. The one runs
// as a lone server does (store.pgGroupLoops groups at once), the two as
// the README has several servers run: anwei_groups=1 each.
func servers(ctx context.Context, o Options, keys string, body func() []byte) (one, two result, err error) {
	cfg := ProcConfig{Exe: o.Exe, Env: o.Env, Data: keys, DSN: o.DSN,
		KeyFile: filepath.Join(keys, "audit.key"), FactorKeyFile: filepath.Join(keys, "factor.key")}
	var procs []*Proc
	stop := func() {
		for _, p := range procs {
			p.Stop()
		}
		procs = nil
	}
	defer stop()
	start := func(n int, cfg ProcConfig) error {
		for range n {
			p, err := StartProc(ctx, cfg)
			if err != nil {
				return err
			}
			procs = append(procs, p)
		}
		return nil
	}
	run := func() (result, error) {
		client, err := Client(ctx, procs[0].Base, "enterprise") // signed in on all: one session table
		if err != nil {
			return result{}, err
		}
		client.Transport.(*http.Transport).MaxIdleConnsPerHost = 2 * o.Clients
		var turn atomic.Int64
		return load(ctx, o, client, func() *http.Request {
			base := procs[int(turn.Add(1))%len(procs)].Base
			r, _ := http.NewRequest("POST", base+"/api/v1/hazards", strings.NewReader(string(body())))
			r.Header.Set("Content-Type", "application/json")
			return r
		})
	}
	if err := start(1, cfg); err != nil {
		return one, two, err
	}
	if one, err = run(); err != nil {
		return one, two, fmt.Errorf("一台服务器: %w\n%s", err, tail(procs[0].Log()))
	}
	stop()
	settle()
	several := cfg
	several.DSN = withQuery(o.DSN, "anwei_groups", "1")
	if err := start(2, several); err != nil {
		return one, two, err
	}
	if two, err = run(); err != nil {
		return one, two, fmt.Errorf("两台服务器: %w\n%s\n%s", err, tail(procs[0].Log()), tail(procs[1].Log()))
	}
	return one, two, nil
}

// withQuery is dsn with the query parameter k set to v.
func withQuery(dsn, k, v string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn
	}
	q := u.Query()
	q.Set(k, v)
	u.RawQuery = q.Encode()
	return u.String()
}

// ownSchema gives a figure that generates data of its own (the registry's
// import and search, the hazard world) an empty schema of the run's
// database, which its app migrates: each measures only the data it made,
// whatever figures ran before it, and the schema goes with drop. On SQLite
// the app's own temporary folder is that already: o.DSN comes back.
func ownSchema(ctx context.Context, o Options, name string) (string, func(), error) {
	if !isPostgres(o.DSN) {
		return o.DSN, func() {}, nil
	}
	admin, err := sql.Open("pgx", o.DSN)
	if err != nil {
		return "", nil, err
	}
	defer admin.Close()
	schema := "bench_" + name
	for _, q := range []string{"DROP SCHEMA IF EXISTS " + schema + " CASCADE", "CREATE SCHEMA " + schema,
		// Extensions are per database: pg_trgm stays in public, on every
		// figure's search path.
		"CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public"} {
		if _, err := admin.ExecContext(ctx, q); err != nil {
			return "", nil, fmt.Errorf("%s: %w", q, err)
		}
	}
	drop := func() {
		if a, err := sql.Open("pgx", o.DSN); err == nil {
			_, _ = a.ExecContext(context.WithoutCancel(ctx), "DROP SCHEMA "+schema+" CASCADE")
			a.Close()
		}
	}
	return withQuery(o.DSN, "search_path", schema+",public"), drop, nil
}

// vacuumed leaves PostgreSQL's tables as autovacuum does within a minute
// or two of a load: analysed (the planner's statistics of what the load
// wrote) and vacuumed (the visibility map, which lets a count read an
// index alone). A figure that loads its data measures the steady state,
// not the first minute after the load; SQLite keeps no such statistics.
func vacuumed(ctx context.Context, db *store.DB) error {
	if db.Dialect != store.Postgres {
		return nil
	}
	_, err := db.Writer().ExecContext(ctx, "VACUUM (ANALYZE)")
	return err
}

// runKeys makes the run's key folder when measuring on PostgreSQL.
func runKeys(o *Options) (func(), error) {
	if !isPostgres(o.DSN) || o.keys != "" {
		return func() {}, nil
	}
	dir, err := os.MkdirTemp("", "anwei-bench-keys-")
	if err != nil {
		return nil, err
	}
	o.keys = dir
	return func() { os.RemoveAll(dir) }, nil
}

// tail is what a server logged of failed requests, for an error: the
// first ones, which tell the cause (the requests the load cancelled after
// the failure follow them).
func tail(log string) string {
	var out []string
	for _, l := range strings.Split(strings.TrimSpace(log), "\n") {
		if strings.Contains(l, "level=ERROR") && len(out) < 8 {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
