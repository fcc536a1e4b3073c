package bench

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"log/slog"
	"math/rand/v2"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"anwei/internal/app"
	"anwei/internal/calendar"
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
	a, err := app.New(ctx, app.Config{DataDir: dir, DSN: o.DSN, Demo: true, DemoEnterprises: o.Enterprises,
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

// failed reports the requests that failed so far, with the first few.
func (s *soakRun) failed(when string) error {
	var errs int64
	for c := range nClasses {
		errs += s.errs[c].Load()
	}
	if errs == 0 {
		return nil
	}
	return fmt.Errorf("%s%d 个请求出错 (非 2xx/3xx 或连接错误)，前几个: %s", when, errs, strings.Join(s.errSample, "; "))
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

// profile writes the heap and goroutine profiles at a quiet point into
// $ANWEI_SOAK_PROFILE/soak-{heap,goroutine}-<at>.pprof when that is set, to
// find what grew (go tool pprof -base soak-heap-start.pprof
// soak-heap-end.pprof).
func profile(at string) error {
	dir := os.Getenv("ANWEI_SOAK_PROFILE")
	if dir == "" {
		return nil
	}
	for _, kind := range []string{"heap", "goroutine"} {
		f, err := os.Create(filepath.Join(dir, "soak-"+kind+"-"+at+".pprof"))
		if err != nil {
			return err
		}
		err = pprof.Lookup(kind).WriteTo(f, 0)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// ofClass gathers the latencies of one class's routes.
func ofClass(lat map[string][]time.Duration, class string) []time.Duration {
	var out []time.Duration
	for route, ds := range lat {
		if strings.HasPrefix(route, class+" ") {
			out = append(out, ds...)
		}
	}
	return out
}

// routeTable writes each route's count and p95 in the first and the last
// window, the one that grew most first (ANWEI_SOAK_ROUTES=1: to find what
// grew, not a figure of the contract).
func routeTable(w io.Writer, lat [2]map[string][]time.Duration) {
	type row struct {
		route       string
		n0, n1      int
		first, last float64
	}
	var rows []row
	for route := range lat[0] {
		rows = append(rows, row{route, len(lat[0][route]), len(lat[1][route]), p95(lat[0][route]), p95(lat[1][route])})
	}
	slices.SortFunc(rows, func(a, b row) int { return cmp.Compare(b.last-b.first, a.last-a.first) })
	for _, r := range rows {
		fmt.Fprintf(w, "%-60s %6d %8.1f ms  %6d %8.1f ms\n", r.route, r.n0, r.first, r.n1, r.last)
	}
}

// quiet takes the figures with nothing running: the clients have stopped,
// their connections are closed and the server's connection goroutines have
// ended; then a GC that returns freed memory to the system. It returns the
// resident memory and the Go heap in MB and the goroutine count.
func (s *soakRun) quiet() (rss, heap float64, goroutines int, err error) {
	s.client.CloseIdleConnections()
	// The server sees each connection close and ends its goroutine; wait
	// until the count has not moved for 200 ms (at most 5 s).
	last, still := runtime.NumGoroutine(), 0
	for i := 0; i < 100 && still < 4; i++ {
		time.Sleep(50 * time.Millisecond)
		if n := runtime.NumGoroutine(); n == last {
			still++
		} else {
			last, still = n, 0
		}
	}
	runtime.GC()
	debug.FreeOSMemory()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	rss, err = residentMB()
	return rss, float64(ms.HeapInuse) / (1 << 20), runtime.NumGoroutine(), err
}

// residentMB is this process's resident memory (VmRSS) in MB.
func residentMB() (float64, error) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, fmt.Errorf("常驻内存: %w (soak 须在 Linux 上运行)", err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, err := strconv.ParseFloat(f[1], 64)
			return kb / 1024, err
		}
	}
	return 0, errors.New("/proc/self/status 中没有 VmRSS")
}

// hazards is how many hazards the office sees (the API's total, which
// stops counting at 10,001): the data the run has grown.
func (s *soakRun) hazards(ctx context.Context) (int, error) {
	var l struct {
		Total int `json:"total"`
	}
	err := s.getJSON(ctx, "office", "/api/v1/hazards?limit=1", &l)
	return l.Total, err
}

// setUp signs the users in and finds what the load works on: the
// enterprise, a hazard, the department's tasks, the PDFs the demo has, and
// which government users handle the enterprise's hazards.
func (s *soakRun) setUp(ctx context.Context, a *app.App) error {
	for _, name := range soakRoles {
		c, err := login(s.client, s.base, name)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		act, err := a.Org.ActorByUsername(ctx, name)
		if err != nil {
			return err
		}
		s.users[name] = &soakUser{name: name, cookie: c, unit: act.Unit.ID}
	}
	s.enterp = s.users["enterprise"].unit
	var img bytes.Buffer
	m := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for i := range m.Pix {
		m.Pix[i] = byte(i * 7)
	}
	m.Set(0, 0, color.White)
	if err := png.Encode(&img, m); err != nil {
		return err
	}
	s.photo = img.Bytes()

	var tasks struct {
		Items []struct {
			TaskID int64 `json:"task_id"`
		} `json:"items"`
	}
	if err := s.getJSON(ctx, "member", "/api/v1/assignments?unit_id="+strconv.FormatInt(s.users["member"].unit, 10)+"&limit=50", &tasks); err != nil {
		return err
	}
	for _, t := range tasks.Items {
		s.tasks = append(s.tasks, t.TaskID)
	}
	if len(s.tasks) == 0 {
		return errors.New("区应急局在演示工作要点中没有任务")
	}
	// Who handles the enterprise's hazards: each government user judges
	// one; those that may are the handlers.
	for _, g := range []string{"officer", "street"} {
		id, err := s.report(ctx, false)
		if err != nil {
			return err
		}
		s.hazard = id
		if err := s.step(ctx, g, id, "judge"); err == nil {
			s.gov = append(s.gov, g)
			s.pipe = append(s.pipe, &soakHazard{id: id, gov: g, next: "assign"})
		}
	}
	if len(s.gov) == 0 {
		return errors.New("区应急局和街道都不能判定演示企业的隐患")
	}
	// The bulletin is every official's; the writs found are the office's.
	s.pdfs = []string{"/hazards/bulletin.pdf"}
	var ids struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	if err := s.getJSON(ctx, "office", "/api/v1/notices?limit=1", &ids); err != nil {
		return err
	}
	for _, n := range ids.Items {
		s.pdfs = append(s.pdfs, fmt.Sprintf("/notices/%d/pdf", n.ID))
	}
	ids.Items = nil
	if err := s.getJSON(ctx, "office", "/api/v1/hazard-listings?limit=1", &ids); err != nil {
		return err
	}
	for _, n := range ids.Items {
		s.pdfs = append(s.pdfs, fmt.Sprintf("/hazard-listings/%d/pdf", n.ID))
	}
	return nil
}

// act does one thing a user of role does and returns its class and route
// (the path as listed below, or the write's name).
func (s *soakRun) act(ctx context.Context, r *rand.Rand, role string) (int, string, error) {
	// Proportions: pages 45%, API reads 35%, writes 15%, exports 5%.
	var class int
	var routes []string
	switch p := r.IntN(100); {
	case p < 45:
		class, routes = classPage, soakPages[role]
	case p < 80:
		class, routes = classRead, soakReads[role]
	case p < 95:
		route, err := s.write(ctx, r, role)
		return classWrite, route, err
	default:
		class, routes = classExport, soakExports[role]
		switch role {
		case "office":
			routes = slices.Concat(routes, s.pdfs)
		case "officer", "member", "street":
			routes = slices.Concat(routes, s.pdfs[:1])
		}
	}
	route := routes[r.IntN(len(routes))]
	return class, route, s.get(ctx, role, s.fill(r, route))
}

// soakRoles are the demo users the clients sign in as, in turn: the
// committee office, the department (区应急局: its inspector, officer, and its
// committee contact, member), the street (泺口街道) and the enterprise.
var soakRoles = []string{"office", "officer", "member", "street", "enterprise"}

// The routes each role reads, with their filters and orders; {e} is the
// enterprise, {h} a hazard, {t} a task.
var soakPages = map[string][]string{
	"office": {"/", "/hazards", "/hazards?open=1&sort=deadline", "/hazards?level=major&sort=reported&desc=1", "/hazards/{h}",
		"/enterprises", "/enterprises?q=化工&sort=name", "/enterprises/{e}", "/hazards/figures", "/plans", "/tasks", "/scorecard",
		"/supervise", "/todo", "/inbox", "/risks", "/hazards/bulletin", "/tasks/{t}"},
	"officer": {"/", "/hazards", "/hazards?state=reported&sort=enterprise", "/hazards/{h}", "/enterprises?sort=street&desc=1",
		"/enterprises/{e}", "/tasks", "/tasks/{t}", "/todo", "/hazards/figures"},
	"street": {"/", "/hazards?overdue=1", "/hazards?sort=street", "/hazards/{h}", "/enterprises", "/enterprises?q=泺口",
		"/enterprises/{e}", "/todo", "/risks"},
	"enterprise": {"/", "/hazards", "/hazards?open=1", "/hazards/{h}", "/hazards/new", "/enterprises/{e}", "/todo", "/inbox"},
}

var soakReads = map[string][]string{
	"office": {"/api/v1/me", "/api/v1/hazards?sort=reported&desc=1", "/api/v1/hazards?state=assigned&sort=deadline",
		"/api/v1/hazards/figures", "/api/v1/hazards/trend", "/api/v1/enterprises?q=有限公司&sort=name", "/api/v1/hazards/{h}",
		"/api/v1/instances?status=overdue", "/api/v1/units?q=街道", "/api/v1/scorecard/ranking"},
	"officer": {"/api/v1/me", "/api/v1/hazards?open=1&sort=deadline", "/api/v1/hazards/{h}", "/api/v1/enterprises?sort=updated&desc=1",
		"/api/v1/assignments", "/api/v1/instances?sort=due", "/api/v1/tasks/{t}"},
	"street": {"/api/v1/me", "/api/v1/hazards?sort=state", "/api/v1/hazards/{h}", "/api/v1/enterprises?q=化工", "/api/v1/hazards/figures",
		"/api/v1/risks"},
	"enterprise": {"/api/v1/me", "/api/v1/hazards?sort=reported&desc=1", "/api/v1/hazards/{h}", "/api/v1/enterprises/{e}",
		"/api/v1/enterprises/{e}/file"},
}

func init() {
	soakPages["member"], soakReads["member"], soakExports["member"] = soakPages["officer"], soakReads["officer"], soakExports["officer"]
}

var soakExports = map[string][]string{
	"office":     {"/hazards/ledger.xlsx?year={y}", "/enterprises.xlsx?q=化工"},
	"officer":    {"/hazards/ledger.xlsx?enterprise={e}", "/enterprises.xlsx"},
	"street":     {"/hazards/ledger.xlsx", "/enterprises.xlsx"},
	"enterprise": {"/hazards/ledger.xlsx"},
}

// fill fills a route's placeholders.
func (s *soakRun) fill(r *rand.Rand, p string) string {
	return strings.NewReplacer("{e}", strconv.FormatInt(s.enterp, 10), "{h}", strconv.FormatInt(s.hazard, 10),
		"{t}", strconv.FormatInt(s.tasks[r.IntN(len(s.tasks))], 10), "{y}", calendar.Local(time.Now()).Format("2006")).Replace(p)
}

// write is one write of role: the enterprise reports hazards (one in five
// through the page's form with a photo) and takes its steps; the
// government users take theirs; the department's committee contact
// (member) reports progress on its tasks. A role with no step waiting does its other write.
func (s *soakRun) write(ctx context.Context, r *rand.Rand, role string) (string, error) {
	if h := s.take(role); h != nil {
		return "hazard " + h.next, s.advance(ctx, h)
	}
	switch role {
	case "enterprise":
		form := r.IntN(5) == 0
		id, err := s.report(ctx, form)
		if err != nil || form {
			return "hazard report (form, photo)", err
		}
		s.put(&soakHazard{id: id, gov: s.gov[r.IntN(len(s.gov))], next: "judge"})
		return "hazard report", nil
	case "member":
		body, _ := json.Marshal(map[string]string{"kind": "progress", "text": "已组织开展专项检查，排查整改隐患若干，按期推进"})
		return "progress report", s.send(ctx, "member", "POST", fmt.Sprintf("/api/v1/tasks/%d/reports", s.tasks[r.IntN(len(s.tasks))]), "application/json", body, nil)
	default: // the office, the officer and the street with nothing to handle mark their inbox read
		return "inbox read", s.send(ctx, role, "POST", "/inbox/read", "application/x-www-form-urlencoded", []byte("all=1"), nil)
	}
}

// take returns a hazard whose next step is role's, removed from the pipe
// so that no other client takes it too.
func (s *soakRun) take(role string) *soakHazard {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, h := range s.pipe {
		if h.side() == role {
			s.pipe = append(s.pipe[:i], s.pipe[i+1:]...)
			return h
		}
	}
	return nil
}

func (s *soakRun) put(h *soakHazard) {
	s.mu.Lock()
	s.pipe = append(s.pipe, h)
	s.mu.Unlock()
}

func (h *soakHazard) side() string {
	if h.next == "start" || h.next == "submit" {
		return "enterprise"
	}
	return h.gov
}

// advance takes the hazard's next step and puts it back for the one after.
func (s *soakRun) advance(ctx context.Context, h *soakHazard) error {
	if err := s.step(ctx, h.side(), h.id, h.next); err != nil {
		return err
	}
	then := map[string]string{"judge": "assign", "assign": "start", "start": "submit", "submit": "pass"}[h.next]
	if then != "" {
		h.next = then
		s.put(h)
	}
	return nil
}

func (s *soakRun) step(ctx context.Context, user string, id int64, action string) error {
	body := map[string]string{"action": action}
	switch action {
	case "judge":
		body["level"] = "general"
	case "assign":
		body["deadline"] = calendar.Local(time.Now()).AddDate(0, 0, 30).Format("2006-01-02")
		body["writ"] = "济天应急责改〔2026〕18号"
	case "submit":
		body["evidence"] = "已拆除临时线路并穿管敷设，经班组验收"
	}
	b, _ := json.Marshal(body)
	return s.send(ctx, user, "POST", fmt.Sprintf("/api/v1/hazards/%d/actions", id), "application/json", b, nil)
}

// report has the enterprise report a hazard, through the API or, with a
// photo, through the page's form (whose answer is a redirect: its id is
// then not followed).
func (s *soakRun) report(ctx context.Context, form bool) (int64, error) {
	if form {
		var b bytes.Buffer
		w := multipart.NewWriter(&b)
		for k, v := range map[string]string{"enterprise": strconv.FormatInt(s.enterp, 10), "place": "原料仓库",
			"description": "消防通道堆放杂物", "source": "self"} {
			_ = w.WriteField(k, v)
		}
		f, _ := w.CreateFormFile("files", "现场.png")
		_, _ = f.Write(s.photo)
		_ = w.Close()
		return 0, s.send(ctx, "enterprise", "POST", "/hazards/new", w.FormDataContentType(), b.Bytes(), nil)
	}
	b, _ := json.Marshal(map[string]any{"enterprise_id": s.enterp, "place": "原料仓库", "description": "电气线路私拉乱接，未穿管保护",
		"source": "self"})
	var h struct {
		ID int64 `json:"id"`
	}
	err := s.send(ctx, "enterprise", "POST", "/api/v1/hazards", "application/json", b, &h)
	return h.ID, err
}

func (s *soakRun) get(ctx context.Context, user, path string) error {
	return s.send(ctx, user, "GET", path, "", nil, nil)
}

func (s *soakRun) getJSON(ctx context.Context, user, path string, v any) error {
	return s.send(ctx, user, "GET", path, "", nil, v)
}

// send makes one request as user; any answer but 2xx or 3xx is an error.
// The body is read to its end (an export whole), and decoded into v if
// given.
func (s *soakRun) send(ctx context.Context, user, method, path, ctype string, body []byte, v any) error {
	req, err := http.NewRequestWithContext(ctx, method, s.base+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	req.AddCookie(s.users[user].cookie)
	resp, err := s.client.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 400 {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 300))
		return fmt.Errorf("%s %s: HTTP %d %s", method, path, resp.StatusCode, b)
	}
	if v != nil {
		return json.NewDecoder(resp.Body).Decode(v)
	}
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}
