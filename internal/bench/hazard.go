package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"time"

	"anwei/internal/app"
	"anwei/internal/calendar"
	"anwei/internal/enterprise"
	"anwei/internal/hazard"
	"anwei/internal/org"
	"anwei/internal/store"
)

// benchHazardCreate measures hazards reported through the HTTP API by the
// demo enterprise's user (session cookie, scope check, 隐患编号, history,
// tally and audit in one transaction), with concurrent clients, beside a
// bare handler doing the same JSON decode and encode.
func benchHazardCreate(ctx context.Context, o Options, emit func(string, float64, string)) error {
	d, err := startDemo(ctx, o, 10, "enterprise")
	if err != nil {
		return err
	}
	defer d.close()
	base, client, cookie := d.base, d.client, d.cookie
	ent, err := d.a.Org.ActorByUsername(ctx, "enterprise")
	if err != nil {
		return err
	}
	body, _ := json.Marshal(map[string]any{"enterprise_id": ent.Unit.ID, "place": "原料仓库", "description": "电气线路私拉乱接，未穿管保护",
		"measures": "拆除临时线路，穿管敷设", "responsible": "电工班长", "funds": 2000})
	create := func(url string) func() *http.Request {
		return func() *http.Request {
			r, _ := http.NewRequest("POST", url, bytes.NewReader(body))
			r.Header.Set("Content-Type", "application/json")
			r.AddCookie(cookie)
			return r
		}
	}
	resp, err := client.Do(create(base + "/api/v1/hazards")())
	if err != nil {
		return err
	}
	doc, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		return fmt.Errorf("上报隐患: HTTP %d %s", resp.StatusCode, doc)
	}
	real, err := load(ctx, o, client, create(base+"/api/v1/hazards"))
	if err != nil {
		return fmt.Errorf("anwei: %w", err)
	}
	bare := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in, out map[string]any
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		_ = json.Unmarshal(doc, &out)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusCreated)
		_ = json.NewEncoder(w).Encode(out)
	})
	if err := againstCeiling(ctx, o, emit, "hazard_create_http", real, bare, func(bbase string) *http.Request {
		return create(bbase + "/api/v1/hazards")()
	}); err != nil {
		return err
	}
	if isPostgres(o.DSN) {
		settle()
		commits, err := pgCommit(ctx, o, d.a.DB)
		if err != nil {
			return fmt.Errorf("pg_commit: %w", err)
		}
		emit("pg_commit", commits, "commits/s")
		if o.Exe != "" {
			settle()
			one, two, err := servers(ctx, o, o.keys, func() []byte { return body })
			if err != nil {
				return err
			}
			emit("hazard_create_http_one_server", one.opsPerSec, "ops/s")
			emit("hazard_create_http_one_server_p95", one.p95ms, "ms")
			emit("hazard_create_http_two_servers", two.opsPerSec, "ops/s")
			emit("hazard_create_http_two_servers_p95", two.p95ms, "ms")
			emit("hazard_create_http_two_servers_ratio", two.opsPerSec/one.opsPerSec, "x")
		}
	}
	return nil
}

// hazardWorld is the demo registry (2,000 enterprises) with o.Hazards
// generated hazards over two years: 95% closed, 3% major; of the open ones
// 40% past their deadline, all already escalated except a quarter of the
// major ones, whose deadline passed yesterday (about 300 at 2,000,000). The counts are built
// from the same rows.
type hazardWorld struct {
	a        *app.App
	office   *org.Actor
	newlyDue int
	cleanup  func()
}

var worlds = map[string]*hazardWorld{}

// closeWorlds removes the generated hazard databases after a run.
func closeWorlds() {
	for k, w := range worlds {
		w.cleanup()
		delete(worlds, k)
	}
}

func hazards(ctx context.Context, o Options) (*hazardWorld, error) {
	n := o.Hazards
	if n == 0 {
		n = 2_000_000
	}
	key := fmt.Sprint(o.DSN, n, o.Enterprises)
	if w := worlds[key]; w != nil {
		return w, nil
	}
	dir, rmDir, err := tempDir()
	if err != nil {
		return nil, err
	}
	dsn, drop, err := ownSchema(ctx, o, "hazards")
	if err != nil {
		rmDir()
		return nil, err
	}
	cleanup := func() { drop(); rmDir() }
	a, err := app.New(ctx, app.Config{DataDir: dir, DSN: dsn, SQLiteSync: o.SQLiteSync, Demo: true, DemoEnterprises: o.Enterprises,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		cleanup()
		return nil, err
	}
	w := &hazardWorld{a: a, cleanup: func() { a.Close(); cleanup() }}
	w.office, err = a.Org.ActorByUsername(ctx, "office")
	if err == nil {
		err = w.generate(ctx, n)
	}
	if err != nil {
		w.cleanup()
		return nil, err
	}
	worlds[key] = w
	return w, nil
}

func (w *hazardWorld) generate(ctx context.Context, n int) error {
	var ents []enterprise.Enterprise
	err := w.a.Ents.Each(ctx, w.office, enterprise.Filter{}, func(e enterprise.Enterprise) error { ents = append(ents, e); return nil })
	if err != nil {
		return err
	}
	now := w.a.Clock.Now()
	today := calendar.Local(now)
	day := func(d int) string { return today.AddDate(0, 0, d).Format("2006-01-02") }
	r := rand.New(rand.NewPCG(2, 2000000))
	sources := []string{"self", "inspection", "third_party", "tip", "grid", "covert", "supervision"}
	const batch = 1000
	var all hazard.LoadCounts // written once at the end, as a live deployment's counts are one row per key
	for start := 0; start < n; start += batch {
		hs := make([]hazard.Loaded, 0, batch)
		for i := start; i < min(start+batch, n); i++ {
			e := ents[r.IntN(len(ents))]
			age := r.IntN(700)
			created := now.Add(-time.Duration(age)*24*time.Hour - time.Duration(r.IntN(86400))*time.Second)
			level := "general"
			if r.IntN(100) < 3 {
				level = "major"
			}
			src := sources[r.IntN(len(sources))]
			state, deadline := hazard.Closed, day(-age+15)
			var closed, escalated *time.Time
			if r.IntN(100) < 5 {
				state = hazard.Rectifying
				if r.IntN(100) < 40 {
					deadline = day(-1 - r.IntN(60))
					escalated = &now
					if level == "major" && r.IntN(4) == 0 {
						deadline, escalated = day(-1), nil
						w.newlyDue++
					}
				} else {
					deadline = day(1 + r.IntN(60))
				}
			} else {
				c := created.Add(time.Duration(10+r.IntN(20)) * 24 * time.Hour)
				closed = &c
			}
			hs = append(hs, hazard.Loaded{Number: fmt.Sprintf("YHB-%09d", i), UnitID: e.UnitID, Region: e.RegionCode, Place: "生产车间",
				Description: "生成的隐患", Source: src, Level: level, Deadline: deadline, Writ: "生成", State: state,
				CreatedAt: created, UpdatedAt: created, ClosedAt: closed, EscalatedAt: escalated})
		}
		var batchCounts hazard.LoadCounts
		if err := w.a.DB.Tx(ctx, func(tx *store.Tx) (err error) { batchCounts, err = hazard.Load(ctx, tx, hs); return err }); err != nil {
			return err
		}
		all.Add(batchCounts)
	}
	if err := w.a.DB.Tx(ctx, func(tx *store.Tx) error { return hazard.WriteCounts(ctx, tx, all) }); err != nil {
		return err
	}
	return vacuumed(ctx, w.a.DB)
}

// benchHazardSweep times the overdue sweep over the generated hazards: find
// the newly overdue major ones among them and escalate each (inbox, mark,
// escalation row, audit).
func benchHazardSweep(ctx context.Context, o Options, emit func(string, float64, string)) error {
	w, err := hazards(ctx, o)
	if err != nil {
		return err
	}
	start := time.Now()
	acted, err := w.a.Hazards.SweepOverdue(ctx)
	if err != nil {
		return err
	}
	took := time.Since(start)
	if acted < w.newlyDue {
		return fmt.Errorf("sweep escalated %d, generated %d newly overdue", acted, w.newlyDue)
	}
	emit("hazard_sweep", took.Seconds(), "s")
	emit("hazard_sweep_escalated", float64(acted), "hazards")
	return nil
}

// benchHazardDashboard is the p95 of the county office's dashboard figures
// (this year's counts by street, department, category and source, open
// major hazards, overdue) over the generated hazards.
func benchHazardDashboard(ctx context.Context, o Options, emit func(string, float64, string)) error {
	w, err := hazards(ctx, o)
	if err != nil {
		return err
	}
	year := calendar.Local(w.a.Clock.Now()).Year()
	return p95Of(o, emit, "hazard_dashboard", func(int) error {
		f, err := w.a.Hazards.Figures(ctx, w.office, year)
		if err == nil && f.All.Total == 0 {
			err = fmt.Errorf("dashboard counts nothing")
		}
		return err
	})
}

// benchHazardTrend is the p95 of the county office's monthly trend (this
// year's and the last year's months: reported, closed, major), read from
// the month counts the loader wrote with the generated hazards: what
// /hazards/figures adds to the dashboard's figures (issue 16.5).
func benchHazardTrend(ctx context.Context, o Options, emit func(string, float64, string)) error {
	w, err := hazards(ctx, o)
	if err != nil {
		return err
	}
	year := calendar.Local(w.a.Clock.Now()).Year()
	return p95Of(o, emit, "hazard_trend", func(int) error {
		tr, err := w.a.Hazards.Trend(ctx, w.office, year)
		if err == nil && len(tr.Months) == 0 {
			err = fmt.Errorf("the trend has no months")
		}
		return err
	})
}

// benchHazardList is the p95 of the county office's hazard listing (first
// page and count) over the generated hazards, unfiltered and filtered to
// open, overdue and major ones in turn: what /hazards shows first.
func benchHazardList(ctx context.Context, o Options, emit func(string, float64, string)) error {
	w, err := hazards(ctx, o)
	if err != nil {
		return err
	}
	filters := []hazard.Filter{{}, {Open: true}, {Overdue: true}, {Level: hazard.Major}}
	return p95Of(o, emit, "hazard_list", func(i int) error {
		f := filters[i%len(filters)]
		hs, total, err := w.a.Hazards.List(ctx, w.office, f)
		if err == nil && (len(hs) == 0 || total == 0) {
			err = fmt.Errorf("listing %+v finds nothing", f)
		}
		return err
	})
}

// p95Of runs call i = 0, 1, … for at least 20 and at most 200 times within
// o.Duration and prints the p95 of its latency.
func p95Of(o Options, emit func(string, float64, string), name string, call func(i int) error) error {
	var lat []time.Duration
	deadline := time.Now().Add(o.Duration)
	for i := 0; len(lat) < 20 || (time.Now().Before(deadline) && len(lat) < 200); i++ {
		start := time.Now()
		if err := call(i); err != nil {
			return err
		}
		lat = append(lat, time.Since(start))
	}
	emit(name, p95(lat), "ms")
	return nil
}
