package plan_test

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"anwei/internal/app"
	"anwei/internal/app/apptest"
	"anwei/internal/apperr"
	"anwei/internal/audit"
	"anwei/internal/org"
	"anwei/internal/paging"
	"anwei/internal/plan"
	"anwei/internal/store"
)

// dutyOf is unit's duty in item ref of the plan, as ListDuties gives it.
func dutyOf(t *testing.T, w *world, a *org.Actor, unit int64, ref string) plan.Duty {
	t.Helper()
	ds, _, err := w.plans.ListDuties(context.Background(), a, plan.DutyFilter{PlanID: w.plan, UnitID: unit, Page: paging.Page{Limit: 500}})
	if err != nil {
		t.Fatal(err)
	}
	var found []plan.Duty
	for _, d := range ds {
		if d.ItemRef == ref {
			found = append(found, d)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%s of unit %d listed %d times: %+v", ref, unit, len(found), found)
	}
	return found[0]
}

// dueDates are the due dates of the unit's duties in item ref.
func dueDates(t *testing.T, db *store.DB, planID, unit int64, ref string) []string {
	t.Helper()
	rows, err := db.Query(context.Background(), `SELECT pi.due_on FROM plan_instances pi JOIN plan_obligations o ON o.id = pi.obligation_id
		JOIN plan_items i ON i.id = o.item_id WHERE i.plan_id = ? AND i.ref = ? AND pi.unit_id = ? ORDER BY pi.due_on`, planID, ref, unit)
	out, err := store.Collect(rows, err, store.Value[string])
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestImportWithCadence: an item whose text states no date (四.20) gets a
// duty per quarter for each lead unit, due five working days after the
// quarter (清明, 国庆 and 元旦 skipped); an item with its own frequency (二.3
// 每季度至少研究1次) keeps only its own (issue 14.8: 四.20 had none, so
// nothing tracked it).
func TestImportWithCadence(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		db, s := apptest.SeededDemo(t, dialect, app.Wiring{}, 20, false)
		office, member := actor(t, s.Org, "office"), actor(t, s.Org, "member")
		raw, err := os.ReadFile("testdata/001_24d02479031d2206.txt")
		if err != nil {
			t.Fatal(err)
		}
		text, err := plan.Decode(raw)
		if err != nil {
			t.Fatal(err)
		}
		p, err := plan.Parse(text, 2026)
		if err != nil {
			t.Fatal(err)
		}
		year := 2026
		p.Year = &year
		resolved := resolveAll(t, ctx, s.Org, office, p)
		if _, err := s.Plans.Import(ctx, office, plan.ImportInput{Parsed: p, Resolved: resolved, SourceHash: "c", Cadence: plan.Cadence{Period: "weekly"}}); apperr.FieldOf(err) != "cadence" {
			t.Fatalf("a weekly cadence: %v", err)
		}
		sum, err := s.Plans.Import(ctx, office, plan.ImportInput{Parsed: p, Resolved: resolved, SourceHash: "c", Cadence: plan.DefaultCadence})
		if err != nil {
			t.Fatal(err)
		}
		if got := dueDates(t, db, sum.PlanID, member.Unit.ID, "四.20"); !slices.Equal(got, []string{"2026-04-08", "2026-07-07", "2026-10-13", "2027-01-08"}) {
			t.Errorf("四.20's quarterly duties of 区应急局: %v", got)
		}
		if got := dueDates(t, db, sum.PlanID, member.Unit.ID, "二.3"); !slices.Equal(got, []string{"2026-03-31", "2026-06-30", "2026-09-30", "2026-12-31"}) {
			t.Errorf("二.3 keeps its own quarterly duties only: %v", got)
		}
		var n int
		if err := db.QueryRow(ctx, `SELECT COUNT(*) FROM plan_items i WHERE i.plan_id = ? AND NOT EXISTS (SELECT 1 FROM plan_obligations o WHERE o.item_id = i.id)
			AND EXISTS (SELECT 1 FROM plan_tasks t JOIN plan_assignments pa ON pa.task_id = t.id WHERE t.item_id = i.id AND pa.role = 'lead')`, sum.PlanID).Scan(&n); err != nil || n != 0 {
			t.Errorf("%d items with lead units and no duty (err %v)", n, err)
		}
		pl, err := s.Plans.GetPlan(ctx, member, sum.PlanID)
		if err != nil || pl.Cadence != plan.DefaultCadence || pl.Cadence.Name() != "每季度，季后5个工作日内报送" {
			t.Errorf("the plan's cadence: %+v %q %v", pl.Cadence, pl.Cadence.Name(), err)
		}
	})
}

// TestCadenceChangesOnlyFutureDuties: the demo plan reports quarterly
// (set at its import in May) and 区应急局 reported 四.20's first two
// quarters. In July the office turns the cadence off: the reported
// quarters stay, what was still to come goes, and figures and the
// scorecard count less; on again, Q3 and Q4 come back; a change to monthly
// keeps what was reported and replaces only what is still to come; the
// same cadence again changes nothing; duties read from the text are
// untouched; only the issuing office may, and every change is audited.
func TestCadenceChangesOnlyFutureDuties(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		w := newWorld(t, dialect) // 10 July 2026
		unit := w.member.Unit.ID
		reported := []string{"2026-04-08", "2026-07-07"} // Q1 and Q2, 5 working days after each quarter
		if d := dutyOf(t, w, w.member, unit, "四.20"); d.Total != 4 || d.Done != 2 || d.Role != "lead" || d.NextDue != "2026-10-13" {
			t.Fatalf("四.20 in the demo: %+v", d)
		}
		textDuties := func() int {
			var n int
			if err := w.db.QueryRow(ctx, `SELECT COUNT(*) FROM plan_instances pi LEFT JOIN plan_obligations o ON o.id = pi.obligation_id
				WHERE pi.plan_id = ? AND COALESCE(o.source, 'text') = 'text'`, w.plan).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		text := textDuties()
		figures := func() int {
			f, err := w.plans.PlanFigures(ctx, w.office, w.plan)
			if err != nil {
				t.Fatal(err)
			}
			return f.All.Total
		}
		scorecard := func() int {
			c, err := w.plans.UnitScorecard(ctx, w.member, unit, 2026)
			if err != nil {
				t.Fatal(err)
			}
			return c.Tally.Total
		}
		withQuarters, cardQuarters, cadenced := figures(), scorecard(), w.countCadence(t)

		quarterly := plan.Cadence{Period: "quarter", Days: 5}
		if err := w.plans.SetCadence(ctx, w.member, w.plan, plan.Cadence{}); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("a department sets the cadence: %v", err)
		}
		if err := w.plans.SetCadence(ctx, actor(t, w.orgs, "city"), w.plan, plan.Cadence{}); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("the city's office sets the district's cadence: %v", err)
		}
		if err := w.plans.SetCadence(ctx, w.office, w.plan, plan.Cadence{Period: "quarter", Days: 21}); apperr.FieldOf(err) != "cadence_days" {
			t.Errorf("21 working days: %v", err)
		}
		// Off: the reported quarters stay, Q3 and Q4 go, and are counted no more.
		if err := w.plans.SetCadence(ctx, w.office, w.plan, plan.Cadence{}); err != nil {
			t.Fatal(err)
		}
		if got := dueDates(t, w.db, w.plan, unit, "四.20"); !slices.Equal(got, reported) {
			t.Fatalf("四.20 without a cadence: %v", got)
		}
		removed := cadenced - w.countCadence(t)
		if off := figures(); removed < 20 || off != withQuarters-removed {
			t.Errorf("figures: %d duties with the cadence, %d without, %d removed", withQuarters, off, removed)
		}
		if c := scorecard(); c >= cardQuarters {
			t.Errorf("the scorecard still counts the cadence's duties: %d → %d", cardQuarters, c)
		}
		// On again: only Q3 and Q4 are asked for; Q1 and Q2 fell due before today.
		if err := w.plans.SetCadence(ctx, w.office, w.plan, quarterly); err != nil {
			t.Fatal(err)
		}
		if got := dueDates(t, w.db, w.plan, unit, "四.20"); !slices.Equal(got, append(slices.Clone(reported), "2026-10-13", "2027-01-08")) {
			t.Fatalf("四.20 after the quarterly cadence: %v", got)
		}
		if d := dutyOf(t, w, w.member, unit, "四.20"); d.Total != 4 || d.Status != plan.StatusTodo || d.NextDue != "2026-10-13" {
			t.Errorf("四.20's duty: %+v", d)
		}
		if f, c := figures(), scorecard(); f != withQuarters || c != cardQuarters {
			t.Errorf("figures and scorecard back with the cadence: %d/%d, were %d/%d", f, c, withQuarters, cardQuarters)
		}

		// 区应急局 reports Q3 early; the office then asks monthly, 3 days after.
		is, _, err := w.plans.ListInstances(ctx, w.member, plan.InstanceFilter{PlanID: w.plan, UnitID: unit, Page: paging.Page{Limit: 500}})
		if err != nil {
			t.Fatal(err)
		}
		var q3 int64
		for _, x := range is {
			if x.ItemRef == "四.20" && x.Label == "第3季度" {
				q3 = x.ID
			}
		}
		if err := w.plans.CompleteInstance(ctx, w.member, q3, "7月9日报送三季度专项整治进展"); err != nil {
			t.Fatal(err)
		}
		if err := w.plans.SetCadence(ctx, w.office, w.plan, plan.Cadence{Period: "month", Days: 3}); err != nil {
			t.Fatal(err)
		}
		got := dueDates(t, w.db, w.plan, unit, "四.20")
		want := append(slices.Clone(reported), "2026-08-05", "2026-09-03", "2026-10-13", "2026-10-10", "2026-11-04", "2026-12-03", "2027-01-06")
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("四.20 after the monthly cadence: %v, want the reported quarters and July to December %v", got, want)
		}
		if d := dutyOf(t, w, w.member, unit, "四.20"); d.Done != 3 || d.Total != 9 {
			t.Errorf("四.20's duty after the change: %+v", d)
		}
		if n := textDuties(); n != text {
			t.Errorf("duties read from the text: %d → %d", text, n)
		}
		evs, _, err := audit.List(ctx, w.db, w.office.Scope, audit.Filter{Action: "plan.cadence"})
		if err != nil || len(evs) != 3 || !strings.Contains(evs[0].After, `"cadence":"month"`) || !strings.Contains(evs[0].Before, `"cadence":"quarter"`) {
			t.Fatalf("audit of the changes: %+v %v", evs, err)
		}
		if err := w.plans.SetCadence(ctx, w.office, w.plan, plan.Cadence{Period: "month", Days: 3}); err != nil {
			t.Fatal(err)
		}
		if evs, _, _ := audit.List(ctx, w.db, w.office.Scope, audit.Filter{Action: "plan.cadence"}); len(evs) != 3 {
			t.Errorf("the same cadence again wrote an event: %d", len(evs))
		}
		if got2 := dueDates(t, w.db, w.plan, unit, "四.20"); !slices.Equal(got2, got) {
			t.Errorf("the same cadence again changed the duties: %v → %v", got, got2)
		}
		// No cadence: the reported quarters stay, what was to come goes.
		if err := w.plans.SetCadence(ctx, w.office, w.plan, plan.Cadence{}); err != nil {
			t.Fatal(err)
		}
		if got := dueDates(t, w.db, w.plan, unit, "四.20"); !slices.Equal(got, append(slices.Clone(reported), "2026-10-13")) {
			t.Errorf("四.20 without a cadence: %v", got)
		}
	})
}

// countCadence counts the plan's duties from its cadence.
func (w *world) countCadence(t *testing.T) int {
	t.Helper()
	var n int
	if err := w.db.QueryRow(context.Background(), `SELECT COUNT(*) FROM plan_instances pi JOIN plan_obligations o ON o.id = pi.obligation_id
		WHERE pi.plan_id = ? AND o.source = 'cadence'`, w.plan).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestDutiesOncePerItemAndUnit: the plan's division lists each unit once
// per item, a unit leading any task of the item as its lead (issue 14.8:
// 四.20 showed four times for 区应急局, lead on two of its tasks and
// support on two), with the tasks' own text.
func TestDutiesOncePerItemAndUnit(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		w := newWorld(t, dialect)
		d := dutyOf(t, w, w.member, w.member.Unit.ID, "四.20")
		roles := map[string]int{}
		for _, x := range d.Tasks {
			roles[x.Role]++
			if x.Text == "" || x.TaskID == 0 {
				t.Errorf("a task without its text: %+v", x)
			}
		}
		if d.Role != "lead" || roles["lead"] != 2 || roles["support"] != 2 || !strings.Contains(d.Tasks[0].Text, "工贸") {
			t.Errorf("区应急局 on 四.20: %+v", d)
		}
		ds, total, err := w.plans.ListDuties(ctx, w.office, plan.DutyFilter{PlanID: w.plan, Page: paging.Page{Limit: paging.Max}})
		if err != nil || total != len(ds) {
			t.Fatalf("office's duties: %d of %d, %v", len(ds), total, err)
		}
		seen := map[string]bool{}
		for _, x := range ds {
			k := x.ItemRef + "/" + x.UnitName
			if seen[k] {
				t.Errorf("%s listed twice", k)
			}
			seen[k] = true
		}
		as, _, err := w.plans.ListAssignments(ctx, w.office, plan.AssignmentFilter{PlanID: w.plan, Page: paging.Page{Limit: paging.Max}})
		if err != nil || len(as) <= len(ds) {
			t.Errorf("%d assignments, %d duties (%v)", len(as), len(ds), err)
		}
		// A department sees its own only.
		mine, _, err := w.plans.ListDuties(ctx, w.member, plan.DutyFilter{Page: paging.Page{Limit: paging.Max}})
		if err != nil || len(mine) == 0 {
			t.Fatalf("member's duties: %v", err)
		}
		for _, x := range mine {
			if x.UnitID != w.member.Unit.ID {
				t.Fatalf("member sees another unit's duty: %+v", x)
			}
		}
	})
}

// TestACadenceChangeKeepsEndedPeriods: changed after a quarter ended but
// before its report fell due, the quarter stays to be reported and the new
// cadence starts with the period under way — no month of the quarter is
// left without a report (review finding: Q3, due 13 October, was dropped on
// 9 October, and July–September were already past for the monthly one).
func TestACadenceChangeKeepsEndedPeriods(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		w := newWorld(t, dialect) // 10 July 2026, quarterly
		unit := w.member.Unit.ID
		w.clock.Advance(time.Date(2026, 10, 9, 2, 0, 0, 0, time.UTC).Sub(w.clock.Now()))
		if err := w.plans.SetCadence(ctx, w.office, w.plan, plan.Cadence{Period: "month", Days: 3}); err != nil {
			t.Fatal(err)
		}
		got := dueDates(t, w.db, w.plan, unit, "四.20")
		want := []string{"2026-04-08", "2026-07-07", "2026-10-13", "2026-11-04", "2026-12-03", "2027-01-06"}
		if !slices.Equal(got, want) {
			t.Errorf("四.20 after the change on 9 October: %v, want Q1–Q3 and October to December %v", got, want)
		}
		// Quarterly again on 2 November, half-yearly on 10 November: October's
		// month, ended and its report due 4 November, is no quarter's or
		// half-year's to drop (review finding: it was judged by the new
		// cadence's period and deleted, overdue and in the unit's 待办).
		for _, step := range []struct {
			day time.Time
			c   plan.Cadence
		}{{time.Date(2026, 11, 2, 2, 0, 0, 0, time.UTC), plan.Cadence{Period: "quarter", Days: 5}},
			{time.Date(2026, 11, 10, 2, 0, 0, 0, time.UTC), plan.Cadence{Period: "half-year", Days: 5}}} {
			w.clock.Advance(step.day.Sub(w.clock.Now()))
			if err := w.plans.SetCadence(ctx, w.office, w.plan, step.c); err != nil {
				t.Fatal(err)
			}
		}
		if got := dueDates(t, w.db, w.plan, unit, "四.20"); !slices.Contains(got, "2026-11-04") || !slices.Contains(got, "2026-10-13") {
			t.Errorf("四.20 after quarterly and half-yearly in November: %v, want October's month (2026-11-04) and Q3 kept", got)
		}
	})
}
