package hazard_test

import (
	"strings"
	"testing"

	"anwei/internal/app/apptest"
	"anwei/internal/apperr"
	"anwei/internal/hazard"
	"anwei/internal/numbering"
	"anwei/internal/store"
)

// TestUpgradeNumbersOn: a deployment that issued 隐患编号 and 督办文号 before
// the counters existed (schema 00010) numbers on from them once upgraded
// (migration 00011 seeds the counters): the largest number of each county
// and year by value, not by text; the 督办文号 of an office per year whatever
// 代字 it wrote, each 代字 on its own; numbers of another form (a bench's YHB-…, T-…) ignored.
func TestUpgradeNumbersOn(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		w := newWorld(t, dialect)
		h := w.major(t, "液氯储罐区", "2026-12-20")
		if h.Number != "YH370105-2026-000001" {
			t.Fatalf("first number %s", h.Number)
		}
		if l, err := w.svc.AddListing(w.ctx, w.office, h.ID, hazard.ListingInput{Deadline: "2026-12-31"}); err != nil || l.DocNumber != "天安办督〔2026〕1号" {
			t.Fatalf("first listing %+v %v", l, err)
		}
		// What the earlier code issued, written as it left it.
		if err := w.db.Tx(w.ctx, func(tx *store.Tx) error {
			for _, n := range []string{"YH370105-2026-000041", "YH370105-2026-000009", "YH370105-2025-999999", "YH370105-2025-1000000",
				"YH370112-2026-000003", "YHB-000000077", "T-99"} {
				if _, err := tx.Exec(w.ctx, `INSERT INTO hazards (number, unit_id, region_code, place, description, source, level, state, created_at, created_by, updated_at)
					SELECT ?, unit_id, region_code, place, description, source, level, state, created_at, created_by, updated_at FROM hazards WHERE id = ?`, n, h.ID); err != nil {
					return err
				}
			}
			for _, l := range []struct{ number, doc string }{{"YH370105-2026-000041", "天应急督〔2026〕7号"}, {"YH370105-2026-000009", "天安办督〔2025〕12号"},
				{"YH370112-2026-000003", "天安办督〔2026〕2号"}} {
				if _, err := tx.Exec(w.ctx, `INSERT INTO hazard_listings (hazard_id, office_id, office_region, tier, doc_number, deadline, requirement, listed_at, listed_by)
					SELECT h.id, l.office_id, l.office_region, l.tier, ?, l.deadline, l.requirement, l.listed_at, l.listed_by
					FROM hazards h, hazard_listings l WHERE h.number = ? AND l.hazard_id = ?`, l.doc, l.number, h.ID); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if err := w.db.MigrateTo(w.ctx, 10); err != nil {
			t.Fatal(err)
		}
		if _, err := w.db.Migrate(w.ctx); err != nil {
			t.Fatal(err)
		}

		g := w.major(t, "配电室", "2026-12-25")
		if g.Number != "YH370105-2026-000042" {
			t.Errorf("after the upgrade a report is numbered %s, want YH370105-2026-000042", g.Number)
		}
		// Each 代字 numbers on its own: 天安办督 had 1 and 2 this year, 天应急督 7.
		if l, err := w.svc.AddListing(w.ctx, w.office, g.ID, hazard.ListingInput{Deadline: "2026-12-31"}); err != nil || l.DocNumber != "天安办督〔2026〕3号" {
			t.Errorf("after the upgrade the office lists %q (%v), want 天安办督〔2026〕3号", l.DocNumber, err)
		}
		g2 := w.major(t, "仓库", "2026-12-25")
		if l, err := w.svc.AddListing(w.ctx, w.office, g2.ID, hazard.ListingInput{Deadline: "2026-12-31", DocPrefix: "天应急"}); err != nil || l.DocNumber != "天应急督〔2026〕8号" {
			t.Errorf("after the upgrade the office lists under 天应急 %q (%v), want 天应急督〔2026〕8号", l.DocNumber, err)
		}
		if l, err := w.svc.AddListing(w.ctx, w.city, g.ID, hazard.ListingInput{Deadline: "2026-12-31"}); err != nil || l.DocNumber != "济安办督〔2026〕1号" {
			t.Errorf("the city, which listed nothing, lists %q (%v)", l.DocNumber, err)
		}
		for _, c := range []struct {
			s     numbering.Series
			scope string
			year  int
			want  int
		}{{hazard.Numbers, "370105", 2025, 1000000}, {hazard.Numbers, "370112", 2026, 3}, {hazard.Numbers, "370105", 2026, 43},
			{hazard.ListingNumbers, hazard.DocNumberScope(w.office.Unit.ID, "天安办督"), 2025, 12},
			{hazard.ListingNumbers, hazard.DocNumberScope(w.office.Unit.ID, "天应急督"), 2026, 8}, {hazard.Numbers, "B", 0, 0}} {
			if got, err := numbering.Last(w.ctx, w.db, c.s, c.scope, c.year); err != nil || got != c.want {
				t.Errorf("%s %s %d: last %d (%v), want %d", c.s.Name, c.scope, c.year, got, err, c.want)
			}
		}
	})
}

// TestUnprintableListingTakesNoNumber: a listing whose 督办通知书 could not be
// printed (a character no embedded face has, here in the place) is refused
// in the transaction that numbers it, so its gap-free 文号 goes back and the
// next listing takes it.
func TestUnprintableListingTakesNoNumber(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		w := newWorld(t, dialect)
		bad := w.major(t, "𠮷字号液氯储罐区", "2026-12-20")
		_, err := w.svc.AddListing(w.ctx, w.office, bad.ID, hazard.ListingInput{Deadline: "2026-12-31"})
		if !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), "𠮷") {
			t.Fatalf("listing an unprintable hazard: %v", err)
		}
		good := w.major(t, "配电室", "2026-12-20")
		if l, err := w.svc.AddListing(w.ctx, w.office, good.ID, hazard.ListingInput{Deadline: "2026-12-31"}); err != nil || l.DocNumber != "天安办督〔2026〕1号" {
			t.Errorf("the next listing: %q %v, want 天安办督〔2026〕1号", l.DocNumber, err)
		}
	})
}
