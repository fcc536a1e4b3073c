package risk_test

import (
	"context"
	"testing"
	"time"

	"anwei/internal/app"
	"anwei/internal/app/apptest"
	"anwei/internal/apperr"
	"anwei/internal/calendar"
	"anwei/internal/org"
	"anwei/internal/risk"
)

// TestSchemeOfIsTheActorsRegions: before any setting everyone sees the
// default scheme, set nowhere; once the office sets LS variant B for its
// region, the office and an enterprise below it see that scheme, its name,
// where it was set and its bands; an actor who may not read the
// organisation sees none.
func TestSchemeOfIsTheActorsRegions(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		clock := calendar.NewFixed(time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC))
		_, s := apptest.SeededDemo(t, dialect, app.Wiring{Clock: clock}, 20, false)
		orgs, svc := s.Org, s.Risks
		office, ent := actor(t, orgs, "office"), actor(t, orgs, "enterprise")
		v, err := svc.SchemeOf(ctx, ent)
		if err != nil || v.Scheme != risk.DefaultScheme || v.SetAt != "" || v.Name != risk.DefaultScheme.Name() || len(v.Bands) == 0 {
			t.Fatalf("default: %+v, %v", v, err)
		}
		sc := risk.Scheme{Method: "ls", Variant: "B"}
		if err := svc.SetScheme(ctx, office, sc); err != nil {
			t.Fatal(err)
		}
		for _, a := range []*org.Actor{office, ent} {
			v, err := svc.SchemeOf(ctx, a)
			if err != nil || v.Scheme != sc || v.SetAt != office.Unit.Region || v.Name != sc.Name() || len(v.Bands) == 0 {
				t.Errorf("%s sees %+v, %v; want LS B set at %s", a.Username, v, err, office.Unit.Region)
			}
		}
		nobody := &org.Actor{Username: "nobody", Unit: ent.Unit}
		if _, err := svc.SchemeOf(ctx, nobody); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("an actor without org.read: err = %v, want forbidden", err)
		}
	})
}
