package bench

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"anwei/internal/app"
)

// The soak (issue 18.6): the demo jurisdiction served by the real app in
// this process, exactly as `anwei serve` wires it (app.New, the scheduler at
// its real intervals, Web.HTTPServer with its timeouts, on loopback), under
// a mixed load by five signed-in users for Options.Soak. In-process, so that
// the goroutine count is runtime.NumGoroutine itself (a separate `anwei
// serve` would need a debug route to tell it, a door the product must not
// have) and the resident memory is this process's VmRSS. Neither figure is
// charged with the load: both are taken with every client stopped, its
// connections closed and the server's connection goroutines gone, after a
// GC that returns freed memory to the system; the latencies kept are those
// of the first and the last minute only, so the collector itself does not
// grow.

// soakDefault is the soak's run time unless --duration says otherwise.
const soakDefault = 10 * time.Minute

// soakThink is the mean pause of one client between two requests: users
// read what they asked for. With 32 clients that is a few hundred requests
// a second, a busy county's day compressed, not a flood that would only
// measure the machine's two cores.
var soakThink = 100 * time.Millisecond

// The route classes the soak reports apart.
const (
	classRead   = iota // JSON API reads
	classPage          // HTML pages
	classWrite         // hazard reports and steps, progress reports
	classExport        // .xlsx and PDF downloads
	nClasses
)

var classNames = [nClasses]string{"read", "page", "write", "export"}

// soakUser is one of the demo users the load signs in.
type soakUser struct {
	name   string
	cookie *http.Cookie
	unit   int64 // the user's unit (the enterprise's own id for "enterprise")
}

// soakHazard is a hazard on its way through the lifecycle: reported by the
// enterprise, judged, assigned and closed by gov, started and submitted by
// the enterprise.
type soakHazard struct {
	id   int64
	gov  string // the government user who handles it
	next string // the next action
}

type soakRun struct {
	base   string
	client *http.Client
	users  map[string]*soakUser
	gov    []string // government users that may handle the enterprise's hazards
	tasks  []int64  // the department's tasks, which its member reports progress on
	enterp int64    // the demo enterprise's id
	hazard int64    // a hazard every reader may open
	pdfs   []string // PDF downloads that exist in the demo (bulletin, notices, listings)
	photo  []byte

	mu   sync.Mutex
	pipe []*soakHazard // hazards waiting for their next step, taken by one client at a time

	// first and last window of the measured run; latencies outside both
	// are only counted.
	firstEnd, lastBegin time.Time

	peak        [2]float64 // VmRSS's peak under load in the first and the last window (MB)
	count, errs [nClasses]atomic.Int64
	errMu       sync.Mutex
	errSample   []string
}

func benchSoak(ctx context.Context, o Options, emit func(string, float64, string)) error {
	run := o.Soak
	if run <= 0 {
		run = soakDefault
	}
	// Warm-up: caches, pools and the database's page cache fill before
	// "start" is measured; a tenth of the run, at least o.Warmup, at most
	// 30 s.
	warm := max(o.Warmup, min(run/10, 30*time.Second))
	dir, cleanup, err := tempDir()
	if err != nil {
		return err
	}
	defer cleanup()
	a, err := app.New(ctx, app.Config{DataDir: dir, DSN: o.DSN, SQLiteSync: o.SQLiteSync, Demo: true, DemoEnterprises: o.Enterprises,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return err
	}
	defer a.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	jobs, stopJobs := context.WithCancel(ctx)
	defer stopJobs()
	a.RunScheduler(jobs)
	srv := a.Web.HTTPServer()
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()

	s := &soakRun{base: "http://" + ln.Addr().String(), users: map[string]*soakUser{}}
	s.client = newClient(o.Clients)
	// A redirect (a form's 303) is the answer; following it would charge
	// the next page to the write.
	s.client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	if err := s.setUp(ctx, a); err != nil {
		return fmt.Errorf("准备: %w", err)
	}

	// Warm-up, then "start": no client running, connections closed, GC.
	if _, err := s.measure(ctx, o.Clients, warm); err != nil {
		return err
	}
	if err := s.failed("预热时"); err != nil {
		return err
	}
	rss0, heap0, gor0, err := s.quiet()
	if err != nil {
		return err
	}
	if err := profile("start"); err != nil {
		return err
	}
	hz0, err := s.hazards(ctx)
	if err != nil {
		return err
	}
	window := min(time.Minute, run/2)
	begin := time.Now()
	s.firstEnd, s.lastBegin = begin.Add(window), begin.Add(run-window)
	for i := range nClasses {
		s.count[i].Store(0)
		s.errs[i].Store(0)
	}
	s.errSample = nil
	lat, err := s.measure(ctx, o.Clients, run)
	if err != nil {
		return err
	}
	elapsed := time.Since(begin)
	if err := sampled(lat); err != nil {
		return err
	}
	rss1, heap1, gor1, err := s.quiet()
	if err != nil {
		return err
	}
	if err := profile("end"); err != nil {
		return err
	}
	hz1, err := s.hazards(ctx)
	if err != nil {
		return err
	}

	emit("soak_seconds", elapsed.Seconds(), "s")
	emit("soak_rss_start", rss0, "MB")
	emit("soak_rss_end", rss1, "MB")
	emit("soak_rss_peak_first", s.peak[0], "MB")
	emit("soak_rss_peak_last", s.peak[1], "MB")
	emit("soak_heap_start", heap0, "MB")
	emit("soak_heap_end", heap1, "MB")
	emit("soak_goroutines_start", float64(gor0), "goroutines")
	emit("soak_goroutines_end", float64(gor1), "goroutines")
	emit("soak_hazards_start", float64(hz0), "hazards")
	emit("soak_hazards_end", float64(hz1), "hazards")
	var total, errs int64
	for c := range nClasses {
		name := classNames[c]
		emit("soak_"+name+"_p95_first", p95(ofClass(lat[0], name)), "ms")
		emit("soak_"+name+"_p95_last", p95(ofClass(lat[1], name)), "ms")
		emit("soak_"+name+"_requests", float64(s.count[c].Load()), "requests")
		emit("soak_"+name+"_errors", float64(s.errs[c].Load()), "errors")
		total += s.count[c].Load()
		errs += s.errs[c].Load()
	}
	if os.Getenv("ANWEI_SOAK_ROUTES") != "" {
		routeTable(os.Stderr, lat)
	}
	emit("soak_requests", float64(total), "requests")
	emit("soak_rate", float64(total)/elapsed.Seconds(), "req/s")
	emit("soak_errors", float64(errs), "errors")
	if err := s.failed(""); err != nil {
		return err
	}
	return ctx.Err()
}

// sampled fails a run in which a class has no latency in the first or the
// last window: its p95 would print as 0 ms, which reads as fine.
func sampled(lat [2]map[string][]time.Duration) error {
	for w, window := range [2]string{"第一个", "最后一个"} {
		for _, name := range classNames {
			if len(ofClass(lat[w], name)) == 0 {
				return fmt.Errorf("%s 类请求在%s统计窗口中没有样本，其 p95 无从得出 (运行时间过短或客户端过少)", name, window)
			}
		}
	}
	return nil
}

// failed reports the requests that failed so far, with the first few.
func (s *soakRun) failed(when string) error {
	var errs int64
	for c := range nClasses {
		errs += s.errs[c].Load()
	}
	if errs == 0 {
		return nil
	}
	return fmt.Errorf("%s%d 个请求出错 (非 2xx、表单提交非 303 或转到登录页、或连接错误)，前几个: %s", when, errs, strings.Join(s.errSample, "; "))
}

// measure runs clients for d and returns the latencies of the first and
// the last window by class. The clients finish the request they are in
// when the time is up; nothing is cut off.
func (s *soakRun) measure(ctx context.Context, clients int, d time.Duration) ([2]map[string][]time.Duration, error) {
	var (
		out  = [2]map[string][]time.Duration{{}, {}}
		stop atomic.Bool
		wg   sync.WaitGroup
		mu   sync.Mutex
	)
	for i := 0; i < clients; i++ {
		wg.Add(1)
		go func(role string, seed uint64) {
			defer wg.Done()
			r := rand.New(rand.NewPCG(seed, 18))
			mine := [2]map[string][]time.Duration{{}, {}}
			for !stop.Load() && ctx.Err() == nil {
				at := time.Now()
				class, route, err := s.act(ctx, r, role)
				took := time.Since(at)
				route = classNames[class] + " " + route
				if ctx.Err() != nil {
					break
				}
				s.count[class].Add(1)
				if err != nil {
					s.errs[class].Add(1)
					s.errMu.Lock()
					if len(s.errSample) < 5 {
						s.errSample = append(s.errSample, role+" "+err.Error())
					}
					s.errMu.Unlock()
				}
				switch {
				case !s.firstEnd.IsZero() && at.Before(s.firstEnd):
					mine[0][route] = append(mine[0][route], took)
				case !s.lastBegin.IsZero() && !at.Before(s.lastBegin):
					mine[1][route] = append(mine[1][route], took)
				}
				sleep(ctx, time.Duration(r.Int64N(int64(2*soakThink)+1)))
			}
			mu.Lock()
			for w := range 2 {
				for route, ds := range mine[w] {
					out[w][route] = append(out[w][route], ds...)
				}
			}
			mu.Unlock()
		}(soakRoles[i%len(soakRoles)], uint64(i))
	}
	// The resident memory, sampled each second under load: its peak in the
	// first and in the last window shows growth the quiet points might hide.
	wg.Add(1)
	go func() {
		defer wg.Done()
		for !stop.Load() && ctx.Err() == nil {
			sleep(ctx, time.Second)
			mb, _ := residentMB()
			switch now := time.Now(); {
			case !s.firstEnd.IsZero() && now.Before(s.firstEnd):
				s.peak[0] = max(s.peak[0], mb)
			case !s.lastBegin.IsZero() && !now.Before(s.lastBegin) && !stop.Load():
				s.peak[1] = max(s.peak[1], mb)
			}
		}
	}()
	sleep(ctx, d)
	stop.Store(true)
	wg.Wait()
	return out, ctx.Err()
}
