package bench

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"time"

	"anwei/internal/app"
	"anwei/internal/demo"
	"anwei/internal/enterprise"
	"anwei/internal/org"
	"anwei/internal/paging"
	"anwei/internal/store"
)

// registryApp is the demo jurisdiction with a small registry, in a
// temporary folder and (on PostgreSQL) the figure's own schema
// (ownSchema), with the office's actor and street names; done closes the
// app and removes both.
func registryApp(ctx context.Context, o Options, name string) (a *app.App, office *org.Actor, names []string, done func(), err error) {
	dir, cleanup, err := tempDir()
	if err != nil {
		return nil, nil, nil, nil, err
	}
	dsn, drop, err := ownSchema(ctx, o, name)
	if err != nil {
		cleanup()
		return nil, nil, nil, nil, err
	}
	a, err = app.New(ctx, app.Config{DataDir: dir, DSN: dsn, SQLiteSync: o.SQLiteSync, Demo: true, DemoEnterprises: 10,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		drop()
		cleanup()
		return nil, nil, nil, nil, err
	}
	done = func() { a.Close(); drop(); cleanup() }
	office, err = a.Org.ActorByUsername(ctx, "office")
	if err != nil {
		done()
		return nil, nil, nil, nil, err
	}
	streets, _, err := a.Org.ListUnits(ctx, office, org.UnitFilter{Kind: org.KindStreet, Page: paging.Page{Limit: 100}})
	if err != nil {
		done()
		return nil, nil, nil, nil, err
	}
	for _, s := range streets {
		names = append(names, s.ShortName)
	}
	return a, office, names, done, nil
}

// fill imports a generated registry sheet (header first) as the office, in
// four imports (as an office loads a large registry in parts).
func fill(ctx context.Context, a *app.App, office *org.Actor, rows [][]string) error {
	step := max((len(rows)-1)/4, 1)
	for i := 1; i < len(rows); i += step {
		chunk := append([][]string{rows[0]}, rows[i:min(i+step, len(rows))]...)
		if _, err := a.Ents.ImportRows(ctx, office, "bench.xlsx", fmt.Sprintf("bench-%d", i), chunk); err != nil {
			return err
		}
	}
	return nil
}

// benchEnterpriseImport measures `import enterprises` of 100,000 generated
// rows (check, upsert, categories, duties, class, one audit event) in rows/s,
// beside the ceiling of a bare bulk insert of the same rows into a plain
// table of the same database in one transaction, and the ratio.
func benchEnterpriseImport(ctx context.Context, o Options, emit func(string, float64, string)) error {
	n := o.rows()
	a, office, streets, done, err := registryApp(ctx, o, "enterprise_import")
	if err != nil {
		return err
	}
	defer done()
	rows := demo.EnterpriseSheet(n, streets, a.Plans.Today(), 7)
	begin := time.Now()
	res, err := a.Ents.ImportRows(ctx, office, "bench.xlsx", "bench-import", rows)
	if err != nil {
		return err
	}
	took := time.Since(begin)
	if res.Imported+len(res.Rejected) != n {
		return fmt.Errorf("导入 %d 行，退回 %d 行，应共 %d 行", res.Imported, len(res.Rejected), n)
	}
	rate := float64(n) / took.Seconds()
	emit("enterprise_import", rate, "rows/s")
	bare := bareInsert
	if isPostgres(o.DSN) {
		bare = func(ctx context.Context, rows [][]string) (float64, error) { return bareCopy(ctx, a.DB, rows) }
	}
	ceiling, err := bare(ctx, rows)
	if err != nil {
		return err
	}
	emit("enterprise_import_ceiling", ceiling, "rows/s")
	emit("enterprise_import_ratio", rate/ceiling, "x")
	return nil
}

// bareInsert inserts the rows' cells into a plain table of as many text
// columns, in one transaction with one prepared statement: what SQLite alone
// does with the same data.
func bareInsert(ctx context.Context, rows [][]string) (float64, error) {
	dir, cleanup, err := tempDir()
	if err != nil {
		return 0, err
	}
	defer cleanup()
	db, err := store.Open(ctx, "", dir)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	cols := len(rows[0])
	var defs, ph []string
	for i := 0; i < cols; i++ {
		defs = append(defs, fmt.Sprintf("c%d TEXT", i))
		ph = append(ph, "?")
	}
	if _, err := db.Writer().ExecContext(ctx, "CREATE TABLE bare (id INTEGER PRIMARY KEY, "+strings.Join(defs, ", ")+")"); err != nil {
		return 0, err
	}
	begin := time.Now()
	err = db.Tx(ctx, func(tx *store.Tx) error {
		st, err := tx.Prepare(ctx, "INSERT INTO bare VALUES (NULL, "+strings.Join(ph, ", ")+")")
		if err != nil {
			return err
		}
		defer st.Close()
		args := make([]any, cols)
		for _, r := range rows[1:] {
			for i := range args {
				args[i] = r[i]
			}
			if _, err := st.ExecContext(ctx, args...); err != nil {
				return err
			}
		}
		return nil
	})
	return float64(len(rows)-1) / time.Since(begin).Seconds(), err
}

// bareCopy is bareInsert on PostgreSQL: the rows' cells COPYed into a
// plain table of as many text columns in the database the import wrote
// to, in one transaction: what PostgreSQL alone does with the same data.
func bareCopy(ctx context.Context, db *store.DB, rows [][]string) (float64, error) {
	cols := make([]string, len(rows[0]))
	var defs []string
	for i := range cols {
		cols[i] = fmt.Sprintf("c%d", i)
		defs = append(defs, cols[i]+" TEXT")
	}
	if _, err := db.Writer().ExecContext(ctx, "CREATE TABLE bench_bare (id BIGSERIAL PRIMARY KEY, "+strings.Join(defs, ", ")+")"); err != nil {
		return 0, err
	}
	defer db.Writer().ExecContext(context.WithoutCancel(ctx), "DROP TABLE bench_bare")
	begin := time.Now()
	err := db.Tx(ctx, func(tx *store.Tx) error {
		b := tx.Batch()
		defer b.Close()
		return b.Copy(ctx, "bench_bare", cols, len(rows)-1, func(i int, dst []any) []any {
			for _, c := range rows[i+1] {
				dst = append(dst, c)
			}
			return dst
		})
	})
	return float64(len(rows)-1) / time.Since(begin).Seconds(), err
}

// benchEnterpriseSearch fills the registry with 200,000 generated
// enterprises, then measures as the office: substring searches on names
// and codes (three characters and more through the trigram index, one and
// two by scan) with their counts, p95 in ms; and the list page through the
// real server (GET /enterprises, first pages and filters), p95 in ms.
func benchEnterpriseSearch(ctx context.Context, o Options, emit func(string, float64, string)) error {
	n := 2 * o.rows()
	a, office, streets, done, err := registryApp(ctx, o, "enterprise_search")
	if err != nil {
		return err
	}
	defer done()
	rows := demo.EnterpriseSheet(n, streets, a.Plans.Today(), 11)
	if err := fill(ctx, a, office, rows); err != nil {
		return err
	}
	if err := vacuumed(ctx, a.DB); err != nil {
		return err
	}
	// Queries people type: a piece of a name (2–4 characters), a code prefix.
	// Three or more characters use the trigram index; one or two scan, and
	// are measured apart (enterprise_search_short).
	var queries, short []string
	for i := 1; i < len(rows) && len(queries) < 300; i += 661 {
		name := []rune(rows[i][0])
		switch len(queries) % 3 {
		case 0:
			queries = append(queries, string(name[2:5]))
		case 1:
			queries = append(queries, string(name[2:6]))
		default:
			queries = append(queries, rows[i][1][:12])
		}
		short = append(short, string(name[2:4]))
	}
	measure := func(qs []string) ([]time.Duration, error) {
		var took []time.Duration
		deadline := time.Now().Add(min(o.Duration, 10*time.Second) / 2)
		for i := 0; time.Now().Before(deadline) && ctx.Err() == nil; i++ {
			begin := time.Now()
			if _, _, err := a.Ents.List(ctx, office, enterprise.Filter{Q: qs[i%len(qs)], Page: paging.Page{Limit: 20}}); err != nil {
				return nil, err
			}
			took = append(took, time.Since(begin))
		}
		return took, nil
	}
	took, err := measure(queries)
	if err != nil {
		return err
	}
	emit("enterprise_search", p95(took), "ms")
	if took, err = measure(short); err != nil {
		return err
	}
	emit("enterprise_search_short", p95(took), "ms")
	emit("enterprise_search_count", float64(n), "enterprises")

	base, stop, err := serve(a.Web.Handler())
	if err != nil {
		return err
	}
	defer stop()
	client := newClient(1)
	client.Jar, _ = cookiejar.New(nil)
	resp, err := client.PostForm(base+"/login", url.Values{"username": {"office"}, "password": {demo.Password}})
	if err != nil {
		return err
	}
	resp.Body.Close()
	pages := []string{"/enterprises", "/enterprises?page=2", "/enterprises?category=hazchem", "/enterprises?region=" + demo.Root + "001",
		"/enterprises?class=B", "/enterprises?q=" + url.QueryEscape(queries[0]), "/enterprises?major=1", "/enterprises?page=40"}
	took = took[:0]
	deadline := time.Now().Add(min(o.Duration, 10*time.Second))
	for i := 0; time.Now().Before(deadline) && ctx.Err() == nil; i++ {
		begin := time.Now()
		resp, err := client.Get(base + pages[i%len(pages)])
		if err != nil {
			return err
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("%s: HTTP %d", pages[i%len(pages)], resp.StatusCode)
		}
		took = append(took, time.Since(begin))
	}
	emit("enterprise_list", p95(took), "ms")
	return nil
}
