package hazard_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"anwei/internal/app"
	"anwei/internal/app/apptest"
	"anwei/internal/apperr"
	"anwei/internal/calendar"
	"anwei/internal/hazard"
)

// TestReportFindsItsEnterprise: an enterprise user that names no
// enterprise reports about itself; an office reports by the name it typed
// (enterprise.Find), and a name matching nothing is an error on the form's
// field; an office that names neither id nor name is told the enterprise
// does not exist.
func TestReportFindsItsEnterprise(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		clock := calendar.NewFixed(time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC))
		_, s := apptest.SeededDemo(t, dialect, app.Wiring{Clock: clock}, 20, false)
		ent, office := actor(t, s.Org, "enterprise"), actor(t, s.Org, "office")
		in := hazard.ReportInput{Place: "二号仓库", Description: "消防通道堵塞", Source: "inspection"}
		h, err := s.Hazards.Report(ctx, ent, in)
		if err != nil || h.UnitID != ent.Unit.ID || h.Source != "self" {
			t.Fatalf("the enterprise reports naming none: %+v, %v", h, err)
		}
		named := in
		named.EnterpriseName = ent.Unit.Name
		if h, err := s.Hazards.Report(ctx, office, named); err != nil || h.UnitID != ent.Unit.ID {
			t.Errorf("office reports about %s by name: %+v, %v", ent.Unit.Name, h, err)
		}
		named.EnterpriseName = "没有这家企业"
		if _, err := s.Hazards.Report(ctx, office, named); apperr.FieldOf(err) != "enterprise_name" {
			t.Errorf("office names no enterprise in scope: err = %v, want a field error on enterprise_name", err)
		}
		if _, err := s.Hazards.Report(ctx, office, in); apperr.FieldOf(err) != "enterprise_id" {
			t.Errorf("office names no enterprise at all: err = %v, want a field error on enterprise_id", err)
		}
		// An empty report is told every field it lacks at once, the enterprise first (issue 16.2).
		e := apperr.As(func() error { _, err := s.Hazards.Report(ctx, office, hazard.ReportInput{Funds: -1}); return err }())
		var fields []string
		for _, f := range e.Fields {
			fields = append(fields, f.Field)
		}
		if got := strings.Join(fields, ","); got != "enterprise_id,place,description,source,funds" {
			t.Errorf("an empty report: %s (%v)", got, e)
		}
	})
}

// TestFiguresYearDefaultsToThisOne: figures asked for no year, or for one
// out of range, are this year's (the clock's, in Asia/Shanghai).
func TestFiguresYearDefaultsToThisOne(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		clock := calendar.NewFixed(time.Date(2026, 12, 31, 17, 0, 0, 0, time.UTC)) // 1 January 2027 in Shanghai
		loaded := calendar.NewFixed(time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC)) // the package's other tests' template
		_, s := apptest.SeededDemoLoadedAt(t, dialect, loaded, app.Wiring{Clock: clock}, 20, false)
		office := actor(t, s.Org, "office")
		for _, asked := range []int{0, 1999, 2101, 2027} {
			f, err := s.Hazards.Figures(ctx, office, asked)
			if err != nil || f.Year != 2027 {
				t.Errorf("figures for %d: year %d, %v; want 2027", asked, f.Year, err)
			}
		}
		if f, err := s.Hazards.Figures(ctx, office, 2026); err != nil || f.Year != 2026 {
			t.Errorf("figures for 2026: year %d, %v", f.Year, err)
		}
	})
}

// TestBulletinDefaultsToThisMonthSoFar: a bulletin asked for no period is
// this month's so far; a period that does not read is a field error that
// keeps the dates asked for.
func TestBulletinDefaultsToThisMonthSoFar(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		clock := calendar.NewFixed(time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC))
		_, s := apptest.SeededDemo(t, dialect, app.Wiring{Clock: clock}, 20, false)
		office := actor(t, s.Org, "office")
		b, err := s.Hazards.Bulletin(ctx, office, "", "")
		if err != nil || b.From != "2026-11-01" || b.To != "2026-11-23" {
			t.Errorf("bulletin for no period: %s–%s, %v; want 2026-11-01–2026-11-23", b.From, b.To, err)
		}
		b, err = s.Hazards.Bulletin(ctx, office, "2026-11-20", "2026-11-01")
		if apperr.FieldOf(err) != "to" || b.From != "2026-11-20" || b.To != "2026-11-01" {
			t.Errorf("bulletin ending before it starts: %s–%s, %v; want a field error on to, the dates kept", b.From, b.To, err)
		}
	})
}
