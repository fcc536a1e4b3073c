package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"anwei/internal/app"
	"anwei/internal/demo"
	"anwei/internal/org"
	"anwei/internal/store"
)

// serve starts h on a free loopback port and returns its base URL.
func serve(h http.Handler) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return "http://" + ln.Addr().String(), func() { srv.Close() }, nil
}

func newClient(clients int) *http.Client {
	tr := &http.Transport{MaxIdleConns: clients * 2, MaxIdleConnsPerHost: clients * 2, IdleConnTimeout: time.Minute,
		DisableCompression: true}
	return &http.Client{Transport: tr, Timeout: 30 * time.Second}
}

// result is what a load run measured.
type result struct {
	opsPerSec float64
	p95ms     float64
}

// load sends req() from o.Clients goroutines for warm-up plus duration and
// counts the requests completed with a 2xx status in the measured window. Any
// other status fails the run: a fast error is not a result.
func load(ctx context.Context, o Options, client *http.Client, req func() *http.Request) (result, error) {
	return loadOps(ctx, o, func(ctx context.Context, _ int) error { return send(ctx, client, req()) })
}

// send makes one request and fails on any status but 2xx.
func send(ctx context.Context, client *http.Client, r *http.Request) error {
	resp, err := client.Do(r.WithContext(ctx))
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	return nil
}

// loadOps runs op from o.Clients goroutines (each passing its number) for
// warm-up plus duration and counts the ops completed in the measured
// window; an op is one request, or a user's whole sequence of them. The
// first failure (but the cancellation at the end) fails the run.
func loadOps(ctx context.Context, o Options, op func(ctx context.Context, client int) error) (result, error) {
	var (
		measuring atomic.Bool
		count     atomic.Int64
		failed    atomic.Pointer[error] // the first failure
		wg        sync.WaitGroup
		mu        sync.Mutex
		lat       []time.Duration
	)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for i := 0; i < o.Clients; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for ctx.Err() == nil {
				start := time.Now()
				if err := op(ctx, i); err != nil {
					if ctx.Err() == nil {
						failed.CompareAndSwap(nil, &err)
						cancel()
					}
					break
				}
				if measuring.Load() {
					count.Add(1)
					mine = append(mine, time.Since(start))
				}
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}()
	}
	sleep(ctx, o.Warmup)
	measuring.Store(true)
	begin := time.Now()
	sleep(ctx, o.Duration)
	measuring.Store(false)
	elapsed := time.Since(begin)
	n := count.Load()
	cancel()
	wg.Wait()
	if err := failed.Load(); err != nil {
		return result{}, *err
	}
	return result{opsPerSec: float64(n) / elapsed.Seconds(), p95ms: p95(lat)}, nil
}

func sleep(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}

// benchHTTPMe measures authenticated GET /api/v1/me against the real server
// on the demo jurisdiction, logged in as the committee office's user, and a
// bare handler that decodes and re-encodes the same JSON document.
func benchHTTPMe(ctx context.Context, o Options, emit func(string, float64, string)) error {
	d, err := startDemo(ctx, o, o.Enterprises, "office")
	if err != nil {
		return err
	}
	defer d.close()
	base, client, cookie := d.base, d.client, d.cookie
	meReq := func() *http.Request {
		r, _ := http.NewRequest("GET", base+"/api/v1/me", nil)
		r.AddCookie(cookie)
		return r
	}
	resp, err := client.Do(meReq())
	if err != nil {
		return err
	}
	doc, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	real, err := load(ctx, o, client, meReq)
	if err != nil {
		return fmt.Errorf("anwei: %w", err)
	}
	// The ceiling: a bare handler doing the same JSON decode and encode.
	bare := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var v map[string]any
		if err := json.Unmarshal(doc, &v); err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_ = json.NewEncoder(w).Encode(v)
	})
	return againstCeiling(ctx, o, emit, "http_me", real, bare, func(bbase string) *http.Request {
		r, _ := http.NewRequest("GET", bbase+"/api/v1/me", nil)
		r.AddCookie(cookie)
		return r
	})
}

// againstCeiling measures the same load on a bare handler and prints the
// figure, its p95, the ceiling and the ratio.
func againstCeiling(ctx context.Context, o Options, emit func(string, float64, string), name string, real result,
	bare http.Handler, req func(base string) *http.Request) error {
	base, stop, err := serve(bare)
	if err != nil {
		return err
	}
	defer stop()
	ceiling, err := load(ctx, o, newClient(o.Clients), func() *http.Request { return req(base) })
	if err != nil {
		return fmt.Errorf("ceiling: %w", err)
	}
	emit(name, real.opsPerSec, "ops/s")
	emit(name+"_p95", real.p95ms, "ms")
	emit(name+"_ceiling", ceiling.opsPerSec, "ops/s")
	emit(name+"_ratio", real.opsPerSec/ceiling.opsPerSec, "x")
	return nil
}

// benchSQLiteCommit measures single-row commits per second through the
// store's transaction helper on a fresh SQLite file (WAL, synchronous as
// --sqlite-sync says: FULL by default, one flush to disk per commit).
func benchSQLiteCommit(ctx context.Context, o Options, emit func(string, float64, string)) error {
	if isPostgres(o.DSN) {
		return errNotThisDB
	}
	dir, cleanup, err := tempDir()
	if err != nil {
		return err
	}
	defer cleanup()
	sync, err := store.ParseSync(o.SQLiteSync)
	if err != nil {
		return err
	}
	db, err := store.OpenSync(ctx, "", dir, sync)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		return err
	}
	d := min(o.Duration, 5*time.Second)
	deadline := time.Now().Add(d)
	begin := time.Now()
	n := 0
	for time.Now().Before(deadline) {
		err := db.Tx(ctx, func(tx *store.Tx) error { return org.WriteSetting(ctx, tx, fmt.Sprintf("bench-%d", n), "v") })
		if err != nil {
			return err
		}
		n++
	}
	emit("sqlite_commit", float64(n)/time.Since(begin).Seconds(), "commits/s")
	return nil
}

// demoServer is the demo jurisdiction served on loopback, with a client
// logged in as one of its users.
type demoServer struct {
	a      *app.App
	base   string
	client *http.Client
	cookie *http.Cookie
	close  func()
}

// startDemo loads the demo (enterprises: how many generated registry
// entries, 0 for the demo's default) into a fresh database, serves it and
// signs user in.
func startDemo(ctx context.Context, o Options, enterprises int, user string) (*demoServer, error) {
	dir, cleanup, err := tempDir()
	if err != nil {
		return nil, err
	}
	cfg := app.Config{DataDir: dir, DSN: o.DSN, SQLiteSync: o.SQLiteSync, Demo: true, DemoEnterprises: enterprises,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if o.keys != "" {
		cfg.AuditKeyFile, cfg.FactorKeyFile = filepath.Join(o.keys, "audit.key"), filepath.Join(o.keys, "factor.key")
	}
	a, err := app.New(ctx, cfg)
	if err != nil {
		cleanup()
		return nil, err
	}
	base, stop, err := serve(a.Web.Handler())
	if err != nil {
		a.Close()
		cleanup()
		return nil, err
	}
	d := &demoServer{a: a, base: base, client: newClient(o.Clients), close: func() { stop(); a.Close(); cleanup() }}
	if d.cookie, err = login(d.client, base, user); err != nil {
		d.close()
		return nil, err
	}
	return d, nil
}

// login signs a demo user in through the API and returns the session cookie.
func login(client *http.Client, base, user string) (*http.Cookie, error) {
	body, _ := json.Marshal(map[string]string{"username": user, "password": demo.Password})
	resp, err := client.Post(base+"/api/v1/session", "application/json", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || len(resp.Cookies()) == 0 {
		return nil, fmt.Errorf("登录失败: HTTP %d", resp.StatusCode)
	}
	return resp.Cookies()[0], nil
}
