package org_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"anwei/internal/app"
	"anwei/internal/app/apptest"
	"anwei/internal/apperr"
	"anwei/internal/audit"
	"anwei/internal/calendar"
	"anwei/internal/org"
	"anwei/internal/paging"
	"anwei/internal/store"
)

// invented2027 is the calendar package's test fixture: a plausible 2027
// notice, NOT the State Council's (internal/calendar/testdata/README.md).
func invented2027(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("../calendar/testdata/holidays_2027_invented.csv")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestImportHolidays: the administrator loads the 2027 notice — stored as
// holidays:2027, audited with its counts and hash, counted by at once, and
// loaded by a second server on the same database (LoadHolidays) — the
// office may not; a wrong file is refused naming its row; the same notice
// again changes nothing.
func TestImportHolidays(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		t.Cleanup(func() { calendar.Load() }) // the table is the process's
		clock := calendar.NewFixed(time.Date(2026, 12, 4, 2, 0, 0, 0, time.UTC))
		db, s := apptest.SeededDemo(t, dialect, app.Wiring{Clock: clock}, 20, false)
		actor := func(name string) *org.Actor {
			a, err := s.Org.ActorByUsername(ctx, name)
			if err != nil {
				t.Fatal(err)
			}
			return a
		}
		admin, office := actor("admin"), actor("office")
		if _, err := s.Org.ImportHolidays(ctx, office, invented2027(t)); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("the office imports a notice: %v", err)
		}
		bad := strings.Replace(string(invented2027(t)), "2027-06-09,holiday", "2027-06-09,workday", 1)
		if _, err := s.Org.ImportHolidays(ctx, admin, []byte(bad)); apperr.FieldOf(err) != "file" || !strings.Contains(err.Error(), "第24行「类型」2027-06-09 是星期三") {
			t.Fatalf("a workday on a Wednesday: %v", err)
		}
		if _, err := s.Org.ImportHolidays(ctx, admin, []byte(strings.ReplaceAll(string(invented2027(t)), "2027-", "2029-"))); err == nil {
			t.Fatal("2029's notice in 2026")
		}
		if v, _ := s.Org.Setting(ctx, "holidays:2027"); v != "" || calendar.YearKnown(2027) {
			t.Fatal("a refused notice was stored or loaded")
		}
		events := func() int {
			_, n, err := s.Org.AuditEvents(ctx, org.System, audit.Filter{Action: "calendar.import", Page: paging.Page{Limit: 10}})
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		info, err := s.Org.ImportHolidays(ctx, admin, invented2027(t))
		if err != nil || info != (calendar.YearInfo{Year: 2027, Source: "导入", Imported: true, Holidays: 27, Workdays: 6}) {
			t.Fatalf("import: %+v %v", info, err)
		}
		if v, _ := s.Org.Setting(ctx, "holidays:2027"); v != string(invented2027(t)) {
			t.Errorf("stored: %q", v)
		}
		if d := calendar.WorkdaysAfter(time.Date(2026, 12, 28, 0, 0, 0, 0, time.UTC), 10); d.Date != "2027-01-12" || d.Provisional {
			t.Errorf("counted by at once: %+v", d)
		}
		evs, _, err := s.Org.AuditEvents(ctx, org.System, audit.Filter{Action: "calendar.import", Page: paging.Page{Limit: 10}})
		if err != nil || len(evs) != 1 || evs[0].Actor != "admin" || evs[0].ObjectKind != "holidays" || evs[0].ObjectID != "2027" ||
			!strings.Contains(evs[0].After, `"holidays":27`) || !strings.Contains(evs[0].After, `"sha256":"`) || evs[0].Before != "null" {
			t.Fatalf("the event: %+v %v", evs, err)
		}
		if _, err := s.Org.ImportHolidays(ctx, admin, invented2027(t)); err != nil || events() != 1 {
			t.Errorf("the same notice again: %v, %d events", err, events())
		}

		// Another server on the same database: its table is loaded from it.
		calendar.Load()
		other := apptest.New(t, db, app.Wiring{Clock: clock})
		if err := other.Org.LoadHolidays(ctx); err != nil || !calendar.YearKnown(2027) || calendar.KnownThrough() != "2027-12-31" {
			t.Fatalf("the second server loads: %v", err)
		}
		table, err := other.Org.Holidays(ctx)
		if err != nil || table.KnownThrough != "2027-12-31" || table.RunsOut || len(table.Years) != 8 || table.Years[7] != info {
			t.Errorf("the table: %+v %v", table, err)
		}

		// A built-in year replaced: its event says what it replaced.
		table2026 := "date,kind,name\n"
		data, err := os.ReadFile("../calendar/data/holidays_cn.csv")
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(data), "\n") {
			if strings.HasPrefix(line, "2026-") && !strings.HasPrefix(line, "2026-10-10,") {
				table2026 += line + "\n"
			}
		}
		if _, err := s.Org.ImportHolidays(ctx, admin, []byte(table2026)); err != nil {
			t.Fatal(err)
		}
		if calendar.IsWorkday(time.Date(2026, 10, 10, 0, 0, 0, 0, time.UTC)) || calendar.Years()[6].Source != "导入" {
			t.Error("the imported 2026 replaces the built-in one: Saturday 10 October no longer worked")
		}
		evs, _, err = s.Org.AuditEvents(ctx, org.System, audit.Filter{Action: "calendar.import", Page: paging.Page{Limit: 10}})
		if err != nil || len(evs) != 2 || evs[0].ObjectID != "2026" || !strings.Contains(evs[0].Before, `"source":"内置"`) || !strings.Contains(evs[0].Before, `"workdays":6`) {
			t.Errorf("the event of 2026: %+v %v", evs, err)
		}

		// A stored notice that cannot be read is named; the others load.
		if err := db.Tx(ctx, func(tx *store.Tx) error {
			return org.WriteSetting(ctx, tx, "holidays:2030", "date,kind,name\n2031-01-01,holiday,元旦\n")
		}); err != nil {
			t.Fatal(err)
		}
		calendar.Load()
		if err := s.Org.LoadHolidays(ctx); err == nil || !strings.Contains(err.Error(), "holidays:2030") || !calendar.YearKnown(2027) {
			t.Errorf("an unreadable notice: %v, 2027 loaded %v", err, calendar.YearKnown(2027))
		}
		if table, err := s.Org.Holidays(ctx); err != nil || len(table.Unreadable) != 1 || !strings.Contains(table.Unreadable[0], "holidays:2030") {
			t.Errorf("the table names the unreadable notice: %+v %v", table, err)
		}
	})
}
