package hazard_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"anwei/internal/app"
	"anwei/internal/app/apptest"
	"anwei/internal/apperr"
	"anwei/internal/calendar"
	"anwei/internal/enterprise"
	"anwei/internal/hazard"
	"anwei/internal/paging"
	"anwei/internal/store"
)

// knownHazards loads a known set into the demo: 泺口化工 (in the street
// account's 泺口街道) two hazards in March 2025 (one closed in April), three
// in March 2026 (one major, one closed in March, one open past its
// deadline, one on 31 March at 23:50); another street's enterprise one on 28 February 2026 at 23:30
// Shanghai time (15:30 UTC: February, not March) and one in April 2026.
func knownHazards(t *testing.T, db *store.DB, s *app.Services) (own, other enterprise.Enterprise) {
	t.Helper()
	ctx := context.Background()
	office, street := actor(t, s.Org, "office"), actor(t, s.Org, "street")
	es, _, err := s.Ents.List(ctx, office, enterprise.Filter{Page: paging.Page{Limit: paging.Max}})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		switch {
		case e.Name == "济南泺口精细化工有限公司":
			own = e
		case other.UnitID == 0 && !strings.HasPrefix(e.RegionCode, street.Unit.Region):
			other = e
		}
	}
	if own.UnitID == 0 || other.UnitID == 0 {
		t.Fatalf("the demo's enterprises: %+v / %+v", own, other)
	}
	sh := func(y int, m time.Month, d, h, min int) time.Time {
		return time.Date(y, m, d, h, min, 0, 0, calendar.Shanghai).UTC()
	} // as clocks give it
	at := func(tm time.Time) *time.Time { return &tm }
	n := 0
	hz := func(e enterprise.Enterprise, created time.Time, level string, st hazard.State, closed *time.Time, deadline string) hazard.Loaded {
		n++
		return hazard.Loaded{Number: fmt.Sprintf("YHTEST-%03d", n), Place: "仓库", Description: "消防通道堵塞", Source: "inspection", Level: level,
			Deadline: deadline, UnitID: e.UnitID, Region: e.RegionCode, State: st, CreatedAt: created, UpdatedAt: created, CreatedBy: 1, ClosedAt: closed}
	}
	hs := []hazard.Loaded{
		hz(own, sh(2025, 3, 10, 9, 0), hazard.General, hazard.Closed, at(sh(2025, 4, 2, 10, 0)), "2025-04-01"),
		hz(own, sh(2025, 3, 12, 9, 0), hazard.General, hazard.Rectifying, nil, "2026-12-31"),
		hz(own, sh(2026, 3, 5, 9, 0), hazard.Major, hazard.Rectifying, nil, "2026-12-31"),
		hz(own, sh(2026, 3, 6, 9, 0), hazard.General, hazard.Closed, at(sh(2026, 3, 20, 10, 0)), "2026-03-30"),
		hz(own, sh(2026, 3, 31, 23, 50), hazard.General, hazard.Assigned, nil, "2026-05-01"),
		hz(other, sh(2026, 2, 28, 23, 30), hazard.General, hazard.Reported, nil, ""),
		hz(other, sh(2026, 4, 8, 9, 0), hazard.General, hazard.Reported, nil, ""),
	}
	if err := db.Tx(ctx, func(tx *store.Tx) error {
		lc, err := hazard.Load(ctx, tx, hs)
		if err != nil {
			return err
		}
		return hazard.WriteCounts(ctx, tx, lc)
	}); err != nil {
		t.Fatal(err)
	}
	return own, other
}

func pctOf(v *float64) string {
	if v == nil {
		return "—"
	}
	return fmt.Sprintf("%+.1f", *v)
}

// TestTrendCountsMonths: the trend counts each month's reported, closed
// and major hazards on the Shanghai calendar, with 同比 against last
// year's month and 环比 against the month before ("—" over 0), up to this
// month; a street sees only its own enterprises' (both databases).
func TestTrendCountsMonths(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		clock := calendar.NewFixed(time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC))
		db, s := apptest.SeededDemo(t, dialect, app.Wiring{Clock: clock}, 20, false)
		knownHazards(t, db, s)
		office, street := actor(t, s.Org, "office"), actor(t, s.Org, "street")
		tr, err := s.Hazards.Trend(ctx, office, 2026)
		if err != nil {
			t.Fatal(err)
		}
		if len(tr.Months) != 11 || len(tr.LastYear) != 12 || tr.Months[0].Month != "2026-01" {
			t.Fatalf("months up to November and last year's twelve: %d, %d, %+v", len(tr.Months), len(tr.LastYear), tr.Months)
		}
		line := func(m hazard.MonthCount) string {
			return fmt.Sprintf("%s %d/%d/%d %s %s %s %s %s %s", m.Month, m.Reported, m.Closed, m.Major,
				pctOf(m.ReportedChange.YoY), pctOf(m.ReportedChange.MoM), pctOf(m.ClosedChange.YoY), pctOf(m.ClosedChange.MoM),
				pctOf(m.MajorChange.YoY), pctOf(m.MajorChange.MoM))
		}
		for i, want := range map[int]string{
			1: "2026-02 1/0/0 — — — — — —",
			2: "2026-03 3/1/1 +50.0 +200.0 — — — —",
			3: "2026-04 1/0/0 — -66.7 -100.0 -100.0 — -100.0",
			4: "2026-05 0/0/0 — -100.0 — — — —",
		} {
			if got := line(tr.Months[i]); got != want {
				t.Errorf("office's month %d: %s, want %s", i+1, got, want)
			}
		}
		if got := line(tr.LastYear[3]); !strings.HasPrefix(got, "2025-04 0/1/0") {
			t.Errorf("last April: %s", got)
		}
		st, err := s.Hazards.Trend(ctx, street, 2026)
		if err != nil {
			t.Fatal(err)
		}
		if got := line(st.Months[1]) + " | " + line(st.Months[3]); got != "2026-02 0/0/0 — — — — — — | 2026-04 0/0/0 — -100.0 -100.0 -100.0 — -100.0" {
			t.Errorf("the street sees another street's hazards: %s", got)
		}
		if tr, err := s.Hazards.Trend(ctx, office, 2025); err != nil || len(tr.Months) != 12 || tr.Months[2].Reported != 2 {
			t.Errorf("a past year has its twelve months: %+v, %v", tr.Months, err)
		}
	})
}

// TestDrillDownListsWhatTheFiguresCount: every line of the figures (by
// street, department, category, source) and every month of the trend,
// opened as a listing with the same filters, lists as many hazards as the
// bar showed — reported in the year, of those closed and major, open major
// and overdue now; for the office and for a street (both databases).
func TestDrillDownListsWhatTheFiguresCount(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		clock := calendar.NewFixed(time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC))
		db, s := apptest.SeededDemo(t, dialect, app.Wiring{Clock: clock}, 20, false)
		knownHazards(t, db, s)
		for _, who := range []string{"office", "street", "member"} {
			a := actor(t, s.Org, who)
			count := func(f hazard.Filter) int {
				t.Helper()
				_, n, err := s.Hazards.List(ctx, a, f)
				if err != nil {
					t.Fatal(err)
				}
				return n
			}
			f, err := s.Hazards.Figures(ctx, a, 2026)
			if err != nil {
				t.Fatal(err)
			}
			lines := 0
			for _, b := range []struct {
				name  string
				lines []hazard.Count
				set   func(*hazard.Filter, string)
			}{
				{"region", f.ByRegion, func(f *hazard.Filter, k string) { f.Region = k }},
				{"dept", f.ByDept, func(f *hazard.Filter, k string) { fmt.Sscan(k, &f.Dept) }},
				{"category", f.ByCategory, func(f *hazard.Filter, k string) { f.Category = k }},
				{"source", f.BySource, func(f *hazard.Filter, k string) { f.Source = k }},
			} {
				for _, l := range b.lines {
					lines++
					var base hazard.Filter
					b.set(&base, l.Key)
					year, closed, major, openMajor, overdue := base, base, base, base, base
					year.Year, closed.Year, closed.State, major.Year, major.Level = 2026, 2026, hazard.Closed, 2026, hazard.Major
					openMajor.Level, openMajor.Open, overdue.Overdue = hazard.Major, true, true
					got := []int{count(year), count(closed), count(major), count(openMajor), count(overdue)}
					want := []int{l.Total, l.Closed, l.Major, l.OpenMajor, l.Overdue}
					if fmt.Sprint(got) != fmt.Sprint(want) {
						t.Errorf("%s: %s %s (%s): the lists hold %v, the bars show %v", who, b.name, l.Key, l.Name, got, want)
					}
				}
			}
			if who == "office" && (lines < 6 || f.All.Total != 5 || f.All.Overdue != 1) {
				t.Errorf("office: %d lines, %+v: the known set is not what the figures read", lines, f.All)
			}
			if who == "street" && f.All.Total != 3 {
				t.Errorf("street: %+v, want its own three of 2026", f.All)
			}
			tr, err := s.Hazards.Trend(ctx, a, 2026)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range tr.Months {
				got := []int{count(hazard.Filter{Month: m.Month}), count(hazard.Filter{ClosedMonth: m.Month}), count(hazard.Filter{Month: m.Month, Level: hazard.Major})}
				if want := []int{m.Reported, m.Closed, m.Major}; fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("%s: %s: the lists hold %v, the trend shows %v", who, m.Month, got, want)
				}
			}
		}
		office := actor(t, s.Org, "office")
		if _, _, err := s.Hazards.List(ctx, office, hazard.Filter{Month: "2026-3"}); apperr.FieldOf(err) != "month" {
			t.Errorf("a month that does not read: %v", err)
		}
	})
}
