package plan_test

import (
	"context"
	"math"
	"strconv"
	"testing"
	"time"

	"anwei/internal/app"
	"anwei/internal/app/apptest"
	"anwei/internal/apperr"
	"anwei/internal/calendar"
	"anwei/internal/paging"
	"anwei/internal/plan"
)

// TestRankingScoresAsTheScorecards: the office's ranking lists every
// responsible unit of the year's plan, best first, each scored with its
// scorecard's on-time rate and counts; a department sees its own line, at
// the place the office's ranking gives it, and nothing else (both
// databases).
func TestRankingScoresAsTheScorecards(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		clock := calendar.NewFixed(time.Date(2026, 7, 10, 2, 0, 0, 0, time.UTC)) // supervise_test's template
		_, s := apptest.SeededDemo(t, dialect, app.Wiring{Clock: clock}, 20, false)
		office, member := actor(t, s.Org, "office"), actor(t, s.Org, "member")
		rk, err := s.Plans.Ranking(ctx, office, 2026)
		if err != nil {
			t.Fatal(err)
		}
		if rk.Of < 5 || len(rk.Units) != rk.Of {
			t.Fatalf("the office sees every ranked unit: %d of %d", len(rk.Units), rk.Of)
		}
		due, place := 0, 0
		for i, u := range rk.Units {
			c, err := s.Plans.UnitScorecard(ctx, office, u.UnitID, 2026)
			if err != nil {
				t.Fatal(err)
			}
			if want := math.Round(c.OnTimeRate()*1000) / 10; u.Score != want || u.Tally.Due != c.Tally.Due || u.Tally.OnTime != c.Tally.OnTime ||
				u.Tally.Overdue != c.Tally.Overdue || u.Tally.Done != c.Tally.Done {
				t.Errorf("%s: ranked %.1f %+v, its scorecard %.1f %+v", u.Name, u.Score, u.Tally, want, c.Tally)
			}
			due += u.Tally.Due
			if i > 0 {
				p := rk.Units[i-1]
				switch {
				case u.Rank < p.Rank:
					t.Errorf("%s ranks %d after %s at %d", u.Name, u.Rank, p.Name, p.Rank)
				case p.Tally.Due > 0 && u.Tally.Due > 0 && p.Score < u.Score:
					t.Errorf("%s (%.1f) ranks below %s (%.1f)", u.Name, u.Score, p.Name, p.Score)
				case p.Tally.Due == 0 && u.Tally.Due > 0:
					t.Errorf("%s has nothing due yet ranks above %s", p.Name, u.Name)
				}
			}
			if u.UnitID == member.Unit.ID {
				place = u.Rank
			}
		}
		if due == 0 || place == 0 {
			t.Fatalf("nothing due in the demo's July (%d), or the member's department not ranked", due)
		}
		mk, err := s.Plans.Ranking(ctx, member, 2026)
		if err != nil {
			t.Fatal(err)
		}
		if len(mk.Units) != 1 || mk.Units[0].UnitID != member.Unit.ID || mk.Units[0].Rank != place || mk.Of != rk.Of {
			t.Errorf("the department's ranking: %+v of %d, want its own line at %d of %d", mk.Units, mk.Of, place, rk.Of)
		}
		if _, err := s.Plans.Ranking(ctx, office, 1999); apperr.FieldOf(err) != "year" {
			t.Errorf("a ranking for 1999: %v", err)
		}
	})
}

// TestPlanFiguresOpenTheirDuties: a unit's line of the plan figures,
// opened as its duties (the 督办 page's listing: plan, unit, status), lists
// as many overdue and done as the line counts (both databases).
func TestPlanFiguresOpenTheirDuties(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		clock := calendar.NewFixed(time.Date(2026, 7, 10, 2, 0, 0, 0, time.UTC))
		_, s := apptest.SeededDemo(t, dialect, app.Wiring{Clock: clock}, 20, false)
		office := actor(t, s.Org, "office")
		ps, _, err := s.Plans.ListPlans(ctx, office, paging.Page{})
		if err != nil || len(ps) == 0 {
			t.Fatalf("plans: %v, %v", ps, err)
		}
		f, err := s.Plans.PlanFigures(ctx, office, ps[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		overdue := 0
		for _, u := range f.ByUnit {
			id, _ := strconv.ParseInt(u.Key, 10, 64)
			_, late, err := s.Plans.ListInstances(ctx, office, plan.InstanceFilter{PlanID: ps[0].ID, UnitID: id, Status: plan.StatusOverdue})
			if err != nil {
				t.Fatal(err)
			}
			_, done, err := s.Plans.ListInstances(ctx, office, plan.InstanceFilter{PlanID: ps[0].ID, UnitID: id, Status: plan.StatusDone})
			if err != nil {
				t.Fatal(err)
			}
			if late != u.Overdue || done != u.Done {
				t.Errorf("%s: the line counts %d overdue, %d done; its duties %d, %d", u.Name, u.Overdue, u.Done, late, done)
			}
			overdue += late
		}
		if overdue == 0 {
			t.Error("nothing overdue in the demo's July: the test compares nothing")
		}
	})
}
