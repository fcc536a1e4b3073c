package enforce_test

import (
	"context"
	"testing"
	"time"

	"anwei/internal/calendar"
	"anwei/internal/enforce"
	"anwei/internal/org"
	"anwei/internal/paging"
)

// TestCaseFiguresOpenTheirCases: on both databases, the year's case
// figures of the demo (a department's and the office's) count what their
// lists hold — each article's and each department's number is the total
// of the case list filtered the way its link opens it, the fines are the
// decided fines of that list — and the publication figures are the
// department's list of the year's publications.
func TestCaseFiguresOpenTheirCases(t *testing.T) {
	dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		clock := calendar.NewFixed(time.Date(2026, 9, 14, 2, 0, 0, 0, time.UTC))
		_, s, crew := setUp(t, dialect, clock)
		office := actor(t, s, "office")
		for _, a := range []*org.Actor{crew.Planner, office} {
			f, err := s.Enforce.CaseFigures(ctx, a, 2026)
			if err != nil {
				t.Fatal(err)
			}
			all, total, err := s.Enforce.Cases(ctx, a, enforce.CaseFilter{Year: 2026, Page: paging.Page{Limit: paging.Max}})
			if err != nil || total != f.Cases || f.Cases == 0 {
				t.Fatalf("%s: %d cases counted, the list holds %d (%v)", a.Username, f.Cases, total, err)
			}
			var fines float64
			var decided, daily int
			for _, c := range all {
				if c.DecidedOn != "" && !c.Waived && c.State != enforce.CaseRevoked {
					fines += c.Fine
					decided++
				}
				if c.Source == "daily" {
					daily++
				}
			}
			if fines != f.Fines || decided != f.Decided || daily != f.Daily || f.AvgDays <= 0 {
				t.Errorf("%s: fines %v/%v, decided %d/%d, daily %d/%d, average days %v", a.Username, f.Fines, fines, f.Decided, decided, f.Daily, daily, f.AvgDays)
			}
			for _, x := range f.ByArticle {
				if _, n, err := s.Enforce.Cases(ctx, a, enforce.CaseFilter{Year: 2026, Article: x.Article}); err != nil || n != x.Cases {
					t.Errorf("%s: %s counts %d, its list holds %d (%v)", a.Username, x.Name, x.Cases, n, err)
				}
			}
			for _, x := range f.ByDepartment {
				if _, n, err := s.Enforce.Cases(ctx, a, enforce.CaseFilter{Year: 2026, Unit: x.UnitID}); err != nil || n != x.Cases {
					t.Errorf("%s: %s counts %d, its list holds %d (%v)", a.Username, x.Unit, x.Cases, n, err)
				}
			}
			ps, _, err := s.Enforce.Publications(ctx, a, enforce.PublicationFilter{Page: paging.Page{Limit: paging.Max}})
			if err != nil {
				t.Fatal(err)
			}
			var onTime, late, overdue int
			for _, p := range ps {
				switch {
				case p.BasisOn[:4] != "2026":
				case p.PublishedOn != "" && !p.Late:
					onTime++
				case p.PublishedOn != "":
					late++
				case p.State == enforce.PubDue && p.Overdue:
					overdue++
				}
			}
			if onTime != f.OnTime || late != f.Late || overdue != f.Overdue || f.Overdue == 0 || f.OnTime == 0 {
				t.Errorf("%s: publications on time %d/%d, late %d/%d, overdue %d/%d", a.Username, f.OnTime, onTime, f.Late, late, f.Overdue, overdue)
			}
		}
	})
}
