package bench

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"time"

	"anwei/internal/app"
	"anwei/internal/demo"
	"anwei/internal/org"
	"anwei/internal/plan"
)

// benchPlanParse measures decoding and parsing the published plans, in MB/s
// of input, repeated for o.Duration (at most 5 s).
func benchPlanParse(ctx context.Context, o Options, emit func(string, float64, string)) error {
	docs := plan.Samples()
	if len(docs) == 0 {
		return fmt.Errorf("no sample plans embedded")
	}
	deadline := time.Now().Add(min(o.Duration, 5*time.Second))
	begin := time.Now()
	bytes := 0
	for time.Now().Before(deadline) && ctx.Err() == nil {
		for _, b := range docs {
			text, err := plan.Decode(b)
			if err != nil {
				return err
			}
			if _, err := plan.Parse(text, 0); err != nil {
				return err
			}
			bytes += len(b)
		}
	}
	emit("plan_parse", float64(bytes)/1e6/time.Since(begin).Seconds(), "MB/s")
	return nil
}

// benchPlanImport measures importing the largest published plan (by bytes)
// into tasks, assignments and instances: the demo jurisdiction, with one
// unit created for every printed name the demo does not know, then the
// import itself timed: the median of 5 separate imports (each under its own
// source hash, as five uploads would be).
func benchPlanImport(ctx context.Context, o Options, emit func(string, float64, string)) error {
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
	var largest []byte
	for _, b := range plan.Samples() {
		if len(b) > len(largest) {
			largest = b
		}
	}
	text, err := plan.Decode(largest)
	if err != nil {
		return err
	}
	p, err := plan.Parse(text, 0)
	if err != nil {
		return err
	}
	uid, err := a.Org.UserIDByName(ctx, "office")
	if err != nil {
		return err
	}
	office, err := a.Org.ActorByID(ctx, uid)
	if err != nil {
		return err
	}
	ms, _, err := a.Plans.Review(ctx, office, p)
	if err != nil {
		return err
	}
	resolved := plan.Proposed(ms)
	for _, m := range ms {
		if m.How != "none" {
			continue
		}
		u, err := a.Org.CreateUnit(ctx, org.System, org.UnitInput{Name: "（基准）" + m.Name, ShortName: m.Name,
			Kind: org.KindDepartment, RegionCode: demo.Root})
		if err != nil {
			return err
		}
		resolved[m.Name] = []int64{u.ID}
	}
	var took []time.Duration
	var sum plan.Summary
	for i := 0; i < 5; i++ {
		begin := time.Now()
		sum, err = a.Plans.Import(ctx, office, plan.ImportInput{Parsed: p, Resolved: resolved, SourceHash: fmt.Sprintf("bench-%d", i)})
		if err != nil {
			return err
		}
		took = append(took, time.Since(begin))
	}
	sort.Slice(took, func(i, j int) bool { return took[i] < took[j] })
	emit("plan_import", float64(took[2])/float64(time.Millisecond), "ms")
	emit("plan_import_assignments", float64(sum.Assignments), "rows")
	return nil
}
