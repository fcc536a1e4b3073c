package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"anwei/internal/calendar"
	"anwei/internal/enterprise"
	"anwei/internal/hazard"
	"anwei/internal/org"
	"anwei/internal/paging"
)

// lastYearHazards replays the last calendar year's hazard work, so the
// trend's 同比 has a year to compare with: fewer findings than this year's
// (the registry's checks grew), spread over its twelve months, each
// reported, judged 一般, assigned, rectified and closed by the units that
// take those steps, as this year's are; all of them closed (the last of
// them early in this January).
func lastYearHazards(ctx context.Context, orgs *org.Service, ents *enterprise.Service, office *org.Actor, hz *hazard.Service, now time.Time) error {
	people, err := newStaff(ctx, orgs)
	if err != nil {
		return err
	}
	es, _, err := ents.List(ctx, office, enterprise.Filter{Page: paging.Page{Limit: paging.Max}})
	if err != nil {
		return err
	}
	r := rand.New(rand.NewPCG(370105, 2025))
	r.Shuffle(len(es), func(i, j int) { es[i], es[j] = es[j], es[i] })
	es = es[:min(len(es), 70)]
	ids := make([]int64, len(es))
	for i, e := range es {
		ids[i] = e.UnitID
	}
	depts, err := ents.SupervisingDepts(ctx, ids)
	if err != nil {
		return err
	}
	today := calendar.Local(now)
	year := today.Year() - 1
	jan1 := time.Date(year, 1, 1, 0, 0, 0, 0, calendar.Shanghai)
	first := -int(time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, calendar.Shanghai).Sub(jan1).Hours() / 24) // 1 January, from today
	days := int(jan1.AddDate(1, 0, 0).Sub(jan1).Hours() / 24)
	sources := []string{"inspection", "grid", "self", "third_party", "inspection", "self"}
	writs := map[int64]int{}
	type event struct {
		d, k int
		m    *move
	}
	var todo []planned
	var events []event
	for i, e := range es {
		ent, err := people.of(ctx, e.UnitID)
		if err != nil {
			return err
		}
		f := findFor(r, e.Categories)
		src := sources[r.IntN(len(sources))]
		var gov *org.Actor
		if ds := depts[e.UnitID]; len(ds) > 0 && src != "grid" {
			if gov, err = people.of(ctx, ds[r.IntN(len(ds))]); err != nil {
				return err
			}
		}
		if gov == nil {
			src = "grid"
			if gov, err = people.street(ctx, e.RegionCode); err != nil {
				return err
			}
		}
		if gov == nil {
			gov = office
		}
		reporter := gov
		if src == "self" {
			reporter = ent
		}
		// Spread evenly over the year's days, each on a working day.
		day := workday(today, first+(i*days)/len(es)+r.IntN(max(days/len(es), 1)))
		judged := workday(today, day+1+r.IntN(2))
		deadline := judged + 7 + r.IntN(24)
		start := workday(today, judged+1)
		submitted := max(workday(today, deadline-1-r.IntN(6)), start)
		steps := []move{
			{judged, gov, hazard.Step{Action: hazard.Judge, Level: hazard.General}},
			{judged, gov, hazard.Step{Action: hazard.Assign, Deadline: today.AddDate(0, 0, deadline).Format("2006-01-02")}},
			{start, ent, hazard.Step{Action: hazard.Start}},
			{submitted, ent, hazard.Step{Action: hazard.Submit, Evidence: f.fix + "，已完成整改，附整改前后照片"}},
			{workday(today, submitted+1+r.IntN(3)), gov, hazard.Step{Action: hazard.Pass}},
		}
		for len(steps) > 0 && steps[len(steps)-1].d > 0 { // a demo started in early January: not yet
			steps = steps[:len(steps)-1]
		}
		k := len(todo)
		todo = append(todo, planned{e: e, day: day, reporter: reporter, in: hazard.ReportInput{EnterpriseID: e.UnitID,
			Place: f.place, Description: f.what, Source: src, Measures: f.fix, Responsible: e.SafetyManager}, steps: steps})
		events = append(events, event{day, k, nil})
		for j := range todo[k].steps {
			events = append(events, event{todo[k].steps[j].d, k, &todo[k].steps[j]})
		}
	}
	// In the order of their days, so the last year's 隐患编号 run with the
	// calendar; a day's work in its office hours.
	slices.SortStableFunc(events, func(a, b event) int { return a.d - b.d })
	hid := make([]int64, len(todo))
	nth := 0
	for n, ev := range events {
		if n == 0 || ev.d != events[n-1].d {
			nth = 0
		}
		nth++
		t := time.Date(today.Year(), today.Month(), today.Day()+ev.d, 8, 30+nth*4, 0, 0, calendar.Shanghai)
		if t.After(now) {
			t = now
		}
		at := hz.WithClock(calendar.NewFixed(t))
		p := &todo[ev.k]
		if ev.m == nil {
			h, err := at.Report(ctx, p.reporter, p.in)
			if err != nil {
				return fmt.Errorf("演示隐患 (上年) %s: %w", p.e.Name, err)
			}
			hid[ev.k] = h.ID
			continue
		}
		st := ev.m.st
		if st.Action == hazard.Assign {
			writs[ev.m.a.Unit.ID]++
			prefix := writPrefix[ev.m.a.Unit.Name]
			if prefix == "" {
				prefix = strings.TrimPrefix(strings.TrimSuffix(ev.m.a.Unit.Name, "办事处"), "济南市天桥区") + "安改"
			}
			st.Writ = fmt.Sprintf("%s〔%d〕%d号", prefix, t.Year(), 10+writs[ev.m.a.Unit.ID]*3)
		}
		if _, err := at.Act(ctx, ev.m.a, hid[ev.k], st); err != nil {
			return fmt.Errorf("演示隐患 (上年) %s %s: %w", p.e.Name, st.Action.Name(), err)
		}
	}
	return nil
}
