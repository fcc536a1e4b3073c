package plan_test

import (
	"context"
	"testing"
	"time"

	"anwei/internal/app"
	"anwei/internal/app/apptest"
	"anwei/internal/apperr"
	"anwei/internal/calendar"
)

// TestScorecardDefaultsToOwnUnitThisYear: a scorecard asked for no unit is
// the actor's own unit's, for no year this year's (the clock's, in
// Asia/Shanghai); a year out of range is refused.
func TestScorecardDefaultsToOwnUnitThisYear(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		clock := calendar.NewFixed(time.Date(2026, 12, 31, 17, 0, 0, 0, time.UTC)) // 1 January 2027 in Shanghai
		loaded := calendar.NewFixed(time.Date(2026, 7, 10, 2, 0, 0, 0, time.UTC))  // supervise_test's template
		_, s := apptest.SeededDemoLoadedAt(t, dialect, loaded, app.Wiring{Clock: clock}, 20, false)
		member := actor(t, s.Org, "member")
		c, err := s.Plans.UnitScorecard(ctx, member, 0, 0)
		if err != nil || c.UnitID != member.Unit.ID || c.Year != 2027 {
			t.Fatalf("scorecard for none: unit %d year %d, %v; want unit %d, 2027", c.UnitID, c.Year, err, member.Unit.ID)
		}
		if c, err := s.Plans.UnitScorecard(ctx, member, member.Unit.ID, 2026); err != nil || c.Year != 2026 {
			t.Errorf("scorecard for 2026: year %d, %v", c.Year, err)
		}
		if _, err := s.Plans.UnitScorecard(ctx, member, 0, 1999); apperr.FieldOf(err) != "year" {
			t.Errorf("scorecard for 1999: err = %v, want a field error on year", err)
		}
	})
}
