package demo_test

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"anwei/internal/app"
	"anwei/internal/app/apptest"
	"anwei/internal/calendar"
	"anwei/internal/enterprise"
	"anwei/internal/hazard"
	"anwei/internal/org"
	"anwei/internal/paging"
)

// TestDemoReadsAsACountysYear checks what makes the demo read as a real
// county's year (issue 14.9): every hazard step taken by the unit that
// takes it — the enterprise rectifies its own, its supervising department
// or its street judges, assigns and reviews, the office only lists —;
// 九小场所 the size of small shops; records filled as their owners fill
// them, with amounts nobody gave left blank, not 0; the year's dates up to
// today, and a smaller last year of closed hazards (for the trend's 同比).
func TestDemoReadsAsACountysYear(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		now := time.Date(2026, 11, 20, 15, 0, 0, 0, calendar.Shanghai)
		_, s := apptest.SeededDemo(t, dialect, app.Wiring{Clock: calendar.NewFixed(now)}, 150, true)
		office, err := s.Org.ActorByUsername(ctx, "office")
		if err != nil {
			t.Fatal(err)
		}

		es, n, err := s.Ents.List(ctx, office, enterprise.Filter{Page: paging.Page{Limit: paging.Max}})
		if err != nil || n != 151 {
			t.Fatalf("registry: %d, %v", n, err)
		}
		road := regexp.MustCompile(`^济南市天桥区[^街]{2,10}(路|街|大街|大道)\d+号$`)
		names := map[string]bool{}
		shops := 0
		ents := map[int64]enterprise.Enterprise{}
		for _, e := range es {
			ents[e.UnitID] = e
			if names[e.Name] {
				t.Errorf("two enterprises named %s", e.Name)
			}
			names[e.Name] = true
			if e.Grid == "" || e.Principal == "" || e.PrincipalPhone == "" || e.SafetyManager == "" || e.Staff == 0 {
				t.Errorf("%s: left blank what its owner would fill (网格 %q, 主要负责人 %q %q, 安全管理 %q, 从业人数 %d)",
					e.Name, e.Grid, e.Principal, e.PrincipalPhone, e.SafetyManager, e.Staff)
			}
			if e.Name != "济南泺口精细化工有限公司" && !road.MatchString(e.Address) {
				t.Errorf("%s: address %q is no road of Tianqiao", e.Name, e.Address)
			}
			if slices.Contains(e.Categories, "small") {
				shops++
				if e.Staff > 10 || e.Scale != "micro" || !strings.HasPrefix(e.CreditCode, "92") {
					t.Errorf("九小场所 %s: %d staff, scale %s, code %s: want a 个体工商户 of at most 10", e.Name, e.Staff, e.Scale, e.CreditCode)
				}
			}
		}
		if shops < 25 {
			t.Errorf("%d 九小场所 of 150", shops)
		}

		// Who took each step.
		var ids []int64
		for id := range ents {
			ids = append(ids, id)
		}
		depts, err := s.Ents.SupervisingDepts(ctx, ids)
		if err != nil {
			t.Fatal(err)
		}
		streets, _, err := s.Org.ListUnits(ctx, org.System, org.UnitFilter{Kind: org.KindStreet, Page: paging.Page{Limit: 100}})
		if err != nil {
			t.Fatal(err)
		}
		streetOf := map[string]int64{}
		for _, u := range streets {
			streetOf[u.RegionCode] = u.ID
		}
		hs, _, err := s.Hazards.List(ctx, office, hazard.Filter{Page: paging.Page{Limit: paging.Max}})
		if err != nil || len(hs) < 100 {
			t.Fatalf("%d hazards, %v", len(hs), err)
		}
		yearAgo := now.AddDate(-1, 0, 0)
		lastJan := time.Date(now.Year()-1, 1, 1, 0, 0, 0, 0, calendar.Shanghai)
		states := map[hazard.State]int{}
		lastYears := 0
		for _, h := range hs {
			states[h.State]++
			// The year up to today; a closed hazard may reach back to the last
			// year's January (the trend's 同比 compares with it).
			from := yearAgo
			if h.State == hazard.Closed {
				from = lastJan
			}
			if h.CreatedAt.Before(yearAgo) {
				lastYears++
			}
			gov := append([]int64{streetOf[h.Region[:min(9, len(h.Region))]]}, depts[h.UnitID]...)
			hist, err := s.Hazards.GetHistory(ctx, office, h.ID)
			if err != nil {
				t.Fatal(err)
			}
			last := time.Time{}
			for _, ev := range hist {
				var ok bool
				switch ev.Action {
				case "report":
					ok = ev.UnitID == h.UnitID || slices.Contains(gov, ev.UnitID)
				case "list":
					ok = ev.UnitID == office.Unit.ID
				case string(hazard.Start), string(hazard.Submit), string(hazard.Fix), string(hazard.Self), string(hazard.Accept): // the enterprise's own steps
					ok = ev.UnitID == h.UnitID
				default: // judge, assign, pass, fail, reopen
					ok = slices.Contains(gov, ev.UnitID)
				}
				if !ok {
					t.Errorf("%s (%s): %s by %s, not the unit that would", h.Number, h.Enterprise, hazard.ActionName(ev.Action), ev.Actor)
				}
				if ev.At.Before(last) || ev.At.After(now) || ev.At.Before(from) {
					t.Errorf("%s: %s at %s, out of order or outside the year up to %s", h.Number, ev.Action, ev.At, now)
				}
				last = ev.At
			}
		}
		if lastYears < 20 || lastYears*2 > len(hs) {
			t.Errorf("%d of %d hazards from before the year: want a last year to compare with, smaller than this one", lastYears, len(hs))
		}
		tr, err := s.Hazards.Trend(ctx, office, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range tr.Months {
			if m.ReportedChange.YoY == nil || m.ClosedChange.YoY == nil {
				t.Errorf("%s: no 同比 (%d reported, %d closed)", m.Month, m.Reported, m.Closed)
			}
		}
		for _, st := range []hazard.State{hazard.Reported, hazard.Rectifying, hazard.Rectified, hazard.Closed} {
			if states[st] == 0 {
				t.Errorf("no hazard %s: %v", st.Name(), states)
			}
		}

		// 整改资金 nobody gave stays blank in the 台账, never 0.
		sh, err := s.Hazards.Ledger(ctx, office, hazard.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		col := slices.Index(sh.Header, "整改资金(元)")
		if col < 0 {
			t.Fatalf("ledger header %v has no 整改资金", sh.Header)
		}
		given := 0
		for _, row := range sh.Rows {
			if v := row[col]; v != "" {
				given++
				if strings.Trim(v, "0.") == "" {
					t.Errorf("%s: 整改资金 %q, want it blank", row[0], v)
				}
			}
		}
		if given == 0 || given == len(sh.Rows) {
			t.Errorf("整改资金 given on %d of %d hazards: want the enterprises' own reports to carry it, the inspectors' not", given, len(sh.Rows))
		}
	})
}
