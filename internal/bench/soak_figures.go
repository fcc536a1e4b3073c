package bench

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"time"
)

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
	for route := range lat[1] {
		if _, ok := lat[0][route]; !ok {
			rows = append(rows, row{route, 0, len(lat[1][route]), 0, p95(lat[1][route])})
		}
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
