package hazard_test

import (
	"fmt"
	"testing"
	"time"

	"anwei/internal/app/apptest"
	"anwei/internal/hazard"
	"anwei/internal/store"
)

// TestLoadKeepsTheFigures: hazards written by the bulk loader (the bench's
// way in) are counted as the service counts its own: the figures of each
// year and the open major hazards equal what the hazards themselves say,
// with one enterprise, year and source met many times within one statement
// and again in a later batch, whose counts are added up and written once.
func TestLoadKeepsTheFigures(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		w := newWorld(t, dialect)
		now := w.clock.Now()
		var hs []hazard.Loaded
		for i := 0; i < 2500; i++ {
			created := now.Add(-time.Duration(i%500) * 24 * time.Hour)
			h := hazard.Loaded{Number: fmt.Sprintf("L-%05d", i), UnitID: w.ent.Unit.ID, Region: w.ent.Unit.Region, Place: "车间",
				Description: "生成", Source: []string{"self", "inspection", "tip"}[i%3], Level: "general", Deadline: "2026-11-01",
				State: hazard.Rectifying, CreatedAt: created, UpdatedAt: created}
			if i%7 == 0 {
				h.Level = "major"
			}
			if i%2 == 0 {
				closed := created.Add(24 * time.Hour)
				h.State, h.ClosedAt = hazard.Closed, &closed
			}
			hs = append(hs, h)
		}
		var all hazard.LoadCounts
		for _, part := range [][]hazard.Loaded{hs[:1200], hs[1200:]} {
			var c hazard.LoadCounts
			if err := w.db.Tx(w.ctx, func(tx *store.Tx) (err error) { c, err = hazard.Load(w.ctx, tx, part); return err }); err != nil {
				t.Fatal(err)
			}
			all.Add(c)
		}
		if err := w.db.Tx(w.ctx, func(tx *store.Tx) error { return hazard.WriteCounts(w.ctx, tx, all) }); err != nil {
			t.Fatal(err)
		}
		for _, year := range []int{2025, 2026} {
			f, err := w.svc.Figures(w.ctx, w.office, year)
			if err != nil {
				t.Fatal(err)
			}
			var want hazard.Count
			for _, h := range hs {
				if h.CreatedAt.In(time.FixedZone("CST", 8*3600)).Year() == year {
					want.Total++
					if h.State == hazard.Closed {
						want.Closed++
					}
					if h.Level == "major" {
						want.Major++
						if h.State == hazard.Closed {
							want.MajorClosed++
						}
					}
				}
				if h.Level == "major" && h.State != hazard.Closed {
					want.OpenMajor++
				}
				if h.State != hazard.Closed {
					want.Overdue++
				}
			}
			if f.All != want {
				t.Errorf("%d: figures %+v, the hazards say %+v", year, f.All, want)
			}
		}
		var open map[int64]int
		if err := w.db.Tx(w.ctx, func(tx *store.Tx) (err error) {
			open, err = w.svc.OpenMajorHazards(w.ctx, tx, []int64{w.ent.Unit.ID})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := w.db.QueryRow(w.ctx, "SELECT COUNT(*) FROM hazards WHERE unit_id = ? AND level = 'major' AND state <> 'closed'", w.ent.Unit.ID).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if open[w.ent.Unit.ID] != n || n == 0 {
			t.Errorf("open major hazards: counts %d, hazards %d", open[w.ent.Unit.ID], n)
		}
	})
}
