package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"anwei/internal/calendar"
	"anwei/internal/paging"
)

// The crash run (issue 18.1): the real server as a process, concurrent
// writers through the JSON API recording every write it acknowledged (2xx,
// body read), kill -9 at a random moment under load, a restart on the same
// data, and the checks: every acknowledged write is there with the number
// it was given, no number is taken twice, a gap-free series has no gap, and
// `anwei audit verify` passes. Two kinds of write, two number series:
//
//   - hazard: the demo enterprise's user reports a hazard (POST
//     /api/v1/hazards), taking a 隐患编号 (hazard.Numbers: unique, gaps
//     allowed);
//   - listing: the 安委办 reports a hazard, judges it major and lists it
//     (挂牌督办, POST /api/v1/hazards/{id}/listings), taking a 督办通知书文号
//     (hazard.ListingNumbers: gap-free per office, 代字 and year). The
//     hazards it reports are recorded as hazard writes too.
//
// What is read back comes through the API as the 安委办 sees it (the hazard
// list and its listings), not from the tables: bench owns none.

// CrashConfig sets up a crash run.
type CrashConfig struct {
	// Proc is the server: Exe, Env, and Data (a new directory) or DSN (an
	// empty PostgreSQL database: a used one's audit key went with the last run's data directory). Demo is set.
	Proc ProcConfig
	// Rounds of load, kill -9 and restart (default 3).
	Rounds int
	// Writers is how many of the enterprise user's clients report hazards
	// concurrently (default 8); two of the 安委办's list beside them.
	Writers int
	// KillAfter is the longest load before the kill; each round kills at a
	// random moment between a tenth of it and all of it (default 2 s).
	KillAfter time.Duration
	// Log, when set, is told of each round.
	Log func(format string, args ...any)
	// AfterKill, when set, runs between the kill and the restart. Tests use
	// it to break durability on purpose and see the run catch it.
	AfterKill func(c ProcConfig) error
}

// CrashResult is what a crash run found.
type CrashResult struct {
	Rounds       int // rounds completed (load, kill, restart, checks)
	Acknowledged int // writes acknowledged over all rounds
	Lost         int // acknowledged writes missing or changed after a restart
	Duplicates   int // numbers held by more than one record
	Gaps         int // numbers missing inside a gap-free series
	AuditFailed  int // rounds whose `anwei audit verify` failed
	// Problems names the first findings (at most 20), for the report.
	Problems []string
}

// Failed reports whether the run found anything wrong.
func (r CrashResult) Failed() bool {
	return r.Lost > 0 || r.Duplicates > 0 || r.Gaps > 0 || r.AuditFailed > 0
}

func (r *CrashResult) problem(format string, args ...any) {
	if len(r.Problems) < 20 {
		r.Problems = append(r.Problems, fmt.Sprintf(format, args...))
	}
}

// write is one record written through the API: its kind (hazard,
// listing), id and number.
type write struct {
	Kind   string
	ID     int64
	Number string
}

// Crash runs the crash rounds. The error is for a run that could not be
// done (the server would not start, a writer was refused); what the
// checks find is in the result (Failed).
func Crash(ctx context.Context, c CrashConfig) (CrashResult, error) {
	var res CrashResult
	if c.Rounds <= 0 {
		c.Rounds = 3
	}
	if c.Writers <= 0 {
		c.Writers = 8
	}
	if c.KillAfter <= 0 {
		c.KillAfter = 2 * time.Second
	}
	logf := c.Log
	if logf == nil {
		logf = func(string, ...any) {}
	}
	c.Proc.Demo = true
	p, err := StartProc(ctx, c.Proc)
	if err != nil {
		return res, err
	}
	defer p.Stop()
	ent, err := Client(ctx, p.Base, "enterprise")
	if err != nil {
		return res, err
	}
	office, err := Client(ctx, p.Base, "office")
	if err != nil {
		return res, err
	}
	var me struct{ Unit struct{ ID int64 } }
	if err := getJSON(ctx, ent, p.Base+"/api/v1/me", &me); err != nil {
		return res, err
	}
	deadline := calendar.Local(time.Now()).AddDate(0, 3, 0).Format("2006-01-02")
	var acked []write
	for round := 1; round <= c.Rounds; round++ {
		w := &writers{base: p.Base}
		var wg sync.WaitGroup
		for i := 0; i < c.Writers; i++ {
			wg.Add(1)
			go func() { defer wg.Done(); w.reportHazards(ctx, ent, me.Unit.ID) }()
		}
		for i := 0; i < 2; i++ {
			wg.Add(1)
			go func() { defer wg.Done(); w.list(ctx, office, me.Unit.ID, deadline) }()
		}
		killAt := c.KillAfter/10 + rand.N(c.KillAfter-c.KillAfter/10)
		time.Sleep(killAt)
		p.Kill()
		w.stop.Store(true)
		wg.Wait()
		if w.refused != nil {
			return res, fmt.Errorf("第 %d 轮: %w", round, w.refused)
		}
		acked = append(acked, w.acked...)
		if c.AfterKill != nil {
			if err := c.AfterKill(c.Proc); err != nil {
				return res, err
			}
		}
		t0 := time.Now()
		if err := p.Restart(ctx); err != nil {
			return res, fmt.Errorf("第 %d 轮 kill -9 后重启: %w", round, err)
		}
		ent.CloseIdleConnections()
		office.CloseIdleConnections()
		t1 := time.Now()
		seen, err := readBack(ctx, office, p.Base)
		if err != nil {
			return res, fmt.Errorf("第 %d 轮重启后读回: %w", round, err)
		}
		f := compareCrash(acked, seen)
		res.Lost, res.Duplicates, res.Gaps = len(f.lost), len(f.duplicates), len(f.gaps)
		for _, s := range append(append(f.lost, f.duplicates...), f.gaps...) {
			res.problem("第 %d 轮: %s", round, s)
		}
		if out, err := c.Proc.Run(ctx, append([]string{"audit", "verify"}, c.Proc.DBArgs()...)...); err != nil {
			res.AuditFailed++
			res.problem("第 %d 轮: anwei audit verify: %v %s", round, err, strings.TrimSpace(out))
		}
		res.Rounds, res.Acknowledged = round, len(acked)
		logf("第 %d 轮: 负载 %v 后 kill -9, 本轮确认写入 %d 条; 重启 %v, 读回 %d 条并核对 %v",
			round, killAt.Round(time.Millisecond), len(w.acked), t1.Sub(t0).Round(time.Millisecond), len(seen), time.Since(t1).Round(time.Millisecond))
		if res.Failed() {
			break
		}
	}
	return res, nil
}

// writers are one round's concurrent clients.
type writers struct {
	base    string
	stop    atomic.Bool
	mu      sync.Mutex
	acked   []write
	refused error // a write answered but not acknowledged: the run is wrong
}

func (w *writers) ack(x write) {
	w.mu.Lock()
	w.acked = append(w.acked, x)
	w.mu.Unlock()
}

// post sends a JSON write and decodes its answer into out. ok is false when
// the server went away before answering in full (the write is unknown: not
// acknowledged); an answer other than 2xx from a living server is refused.
func (w *writers) post(ctx context.Context, c *http.Client, path string, body any, out any) (ok bool) {
	raw, _ := json.Marshal(body)
	req, _ := http.NewRequestWithContext(ctx, "POST", w.base+path, bytes.NewReader(raw))
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		return false
	}
	doc, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return false
	}
	if resp.StatusCode/100 != 2 || json.Unmarshal(doc, out) != nil {
		w.mu.Lock()
		if w.refused == nil && !w.stop.Load() {
			w.refused = fmt.Errorf("POST %s: HTTP %d %s", path, resp.StatusCode, doc)
		}
		w.mu.Unlock()
		return false
	}
	return true
}

// reportHazards reports hazards as the enterprise until the server dies.
func (w *writers) reportHazards(ctx context.Context, c *http.Client, unit int64) {
	body := map[string]any{"enterprise_id": unit, "place": "原料仓库", "description": "电气线路私拉乱接，未穿管保护",
		"measures": "拆除临时线路，穿管敷设", "responsible": "电工班长", "funds": 2000}
	for !w.stop.Load() {
		var h struct {
			ID     int64
			Number string
		}
		if !w.post(ctx, c, "/api/v1/hazards", body, &h) {
			return
		}
		w.ack(write{"hazard", h.ID, h.Number})
	}
}

// list reports, judges and lists hazards as the 安委办 until the server
// dies.
func (w *writers) list(ctx context.Context, c *http.Client, unit int64, deadline string) {
	for !w.stop.Load() {
		var h struct {
			ID     int64
			Number string
		}
		if !w.post(ctx, c, "/api/v1/hazards", map[string]any{"enterprise_id": unit, "place": "罐区", "description": "防火堤破损", "source": "inspection"}, &h) {
			return
		}
		w.ack(write{"hazard", h.ID, h.Number})
		var step map[string]any
		if !w.post(ctx, c, fmt.Sprintf("/api/v1/hazards/%d/actions", h.ID), map[string]any{"action": "judge", "level": "major", "criterion": "hg121-5"}, &step) {
			return
		}
		w.ack(write{"judge", h.ID, "major"}) // a step: the hazard's level, no number
		var l struct {
			ID        int64
			DocNumber string `json:"doc_number"`
		}
		if !w.post(ctx, c, fmt.Sprintf("/api/v1/hazards/%d/listings", h.ID), map[string]any{"deadline": deadline}, &l) {
			return
		}
		w.ack(write{"listing", l.ID, l.DocNumber})
	}
}

// readBack lists every hazard and every listing of the 安委办 through the
// API, page by page (nothing writes meanwhile, so the pages do not shift).
func readBack(ctx context.Context, c *http.Client, base string) ([]write, error) {
	var seen []write
	for _, src := range []struct{ kind, path string }{{"hazard", "/api/v1/hazards?"}, {"listing", "/api/v1/hazard-listings?mine=1&"}} {
		for off := 0; ; off += paging.Max {
			var page struct {
				Items []struct {
					ID        int64
					Number    string
					DocNumber string `json:"doc_number"`
					Level     string
				}
			}
			if err := getJSON(ctx, c, fmt.Sprintf("%s%slimit=%d&offset=%d", base, src.path, paging.Max, off), &page); err != nil {
				return nil, err
			}
			for _, it := range page.Items {
				n := it.Number
				if src.kind == "listing" {
					n = it.DocNumber
				}
				seen = append(seen, write{src.kind, it.ID, n})
				if src.kind == "hazard" && it.Level == "major" {
					seen = append(seen, write{"judge", it.ID, "major"})
				}
			}
			if len(page.Items) < paging.Max {
				break
			}
		}
	}
	return seen, nil
}

func getJSON(ctx context.Context, c *http.Client, url string, out any) error {
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	doc, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: HTTP %d %s", url, resp.StatusCode, doc)
	}
	return json.Unmarshal(doc, out)
}

// crashFindings are what compareCrash found, one line each.
type crashFindings struct{ lost, duplicates, gaps []string }

// numbered are the kinds that carry a number, unique within the kind; the
// others (judge: a hazard judged major) are steps whose outcome is checked.
var numbered = map[string]bool{"hazard": true, "listing": true}

// gapFree are the kinds whose numbers run without gaps (a 文号).
var gapFree = map[string]bool{"listing": true}

// docNumber splits a 文号 (天安办督〔2026〕3号) into its series (代字 and
// year) and number.
var docNumber = regexp.MustCompile(`^(.+〔\d{4}〕)(\d+)号$`)

// compareCrash checks what the server holds after a restart (seen: every
// record of the kinds written) against what it acknowledged (acked): every
// acknowledged record there with its number, no number of a kind held
// twice, no gap in a gap-free series (each must run 1, 2, … to its last).
func compareCrash(acked, seen []write) crashFindings {
	var f crashFindings
	type key struct {
		kind string
		id   int64
	}
	have := map[key]string{}
	holders := map[string][]int64{} // kind + number → ids
	series := map[string][]int{}    // kind + series → numbers
	for _, s := range seen {
		have[key{s.Kind, s.ID}] = s.Number
		if !numbered[s.Kind] {
			continue // a step's outcome, not a number: only its presence counts
		}
		holders[s.Kind+" "+s.Number] = append(holders[s.Kind+" "+s.Number], s.ID)
		if gapFree[s.Kind] {
			m := docNumber.FindStringSubmatch(s.Number)
			if m == nil {
				f.gaps = append(f.gaps, fmt.Sprintf("%s %d: 编号 %q 不是文号", s.Kind, s.ID, s.Number))
				continue
			}
			n, _ := strconv.Atoi(m[2])
			series[s.Kind+" "+m[1]] = append(series[s.Kind+" "+m[1]], n)
		}
	}
	for _, a := range acked {
		n, ok := have[key{a.Kind, a.ID}]
		switch {
		case !ok:
			f.lost = append(f.lost, fmt.Sprintf("已确认的 %s %d (%s) 重启后不在", a.Kind, a.ID, a.Number))
		case n != a.Number:
			f.lost = append(f.lost, fmt.Sprintf("已确认的 %s %d 编号为 %s, 重启后为 %s", a.Kind, a.ID, a.Number, n))
		}
	}
	for _, k := range sortedKeys(holders) {
		if ids := holders[k]; len(ids) > 1 {
			f.duplicates = append(f.duplicates, fmt.Sprintf("%s 为 %d 条记录所有: %v", k, len(ids), ids))
		}
	}
	for _, k := range sortedKeys(series) {
		ns := series[k]
		sort.Ints(ns)
		next := 1
		for _, n := range ns {
			for ; next < n; next++ {
				f.gaps = append(f.gaps, fmt.Sprintf("%s 缺 %d 号", k, next))
			}
			next = max(next, n+1)
		}
	}
	return f
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// benchCrash is `anwei bench crash`: o.Rounds rounds (default 20) with
// o.Clients enterprise writers, on a new SQLite in a temp dir or on o.DSN.
// It prints the figures and fails when a write was lost, a number taken
// twice or skipped, or the audit chain broken. It needs the anwei binary
// (o.Exe); the package's own test, which has none, skips it (cmd/anwei's
// TestCrash runs it).
func benchCrash(ctx context.Context, o Options, emit func(string, float64, string)) error {
	if o.Exe == "" {
		return nil
	}
	dir, cleanup, err := tempDir()
	if err != nil {
		return err
	}
	defer cleanup()
	rounds := o.Rounds
	if rounds <= 0 {
		rounds = 20
	}
	var args []string
	if o.SQLiteSync != "" {
		args = []string{"--sqlite-sync", o.SQLiteSync}
	}
	res, err := Crash(ctx, CrashConfig{Proc: ProcConfig{Exe: o.Exe, Data: dir, DSN: o.DSN, Args: args}, Rounds: rounds,
		Writers: min(o.Clients, 16), Log: func(f string, a ...any) { fmt.Fprintf(os.Stderr, f+"\n", a...) }})
	if err != nil {
		return err
	}
	emit("crash_rounds", float64(res.Rounds), "rounds")
	emit("crash_acknowledged", float64(res.Acknowledged), "writes")
	emit("crash_lost", float64(res.Lost), "writes")
	emit("crash_duplicates", float64(res.Duplicates), "numbers")
	emit("crash_gaps", float64(res.Gaps), "numbers")
	emit("crash_audit_failed", float64(res.AuditFailed), "rounds")
	if res.Failed() {
		return errors.New("kill -9 后数据不完整:\n  " + strings.Join(res.Problems, "\n  "))
	}
	return nil
}
