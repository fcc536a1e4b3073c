package org_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"anwei/internal/app"
	"anwei/internal/app/apptest"
	"anwei/internal/calendar"
	"anwei/internal/org"
)

// TestTownshipsAreTheActorsToPlaceAnEnterpriseIn: the county office is
// offered every township of its county; an enterprise the townships of its
// own county (its record's 所在街道 list held only "请选择" before, issue
// 14.1); a street office only its own township — all of level 4 and active.
func TestTownshipsAreTheActorsToPlaceAnEnterpriseIn(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		clock := calendar.NewFixed(time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC))
		_, s := apptest.SeededDemo(t, dialect, app.Wiring{Clock: clock}, 20, false)
		codes := func(user string) []string {
			a, err := s.Org.ActorByUsername(ctx, user)
			if err != nil {
				t.Fatal(err)
			}
			rs, err := s.Org.Townships(ctx, a)
			if err != nil {
				t.Fatalf("%s: %v", user, err)
			}
			var out []string
			for _, r := range rs {
				if r.Level != org.LevelTownship || !r.Active {
					t.Errorf("%s is offered %s (level %d, active %v)", user, r.Code, r.Level, r.Active)
				}
				out = append(out, r.Code)
			}
			return out
		}
		office, ent, street := codes("office"), codes("enterprise"), codes("street")
		if len(office) < 10 || strings.Join(ent, ",") != strings.Join(office, ",") {
			t.Errorf("office offered %d townships, the enterprise %d; want the county's, the same", len(office), len(ent))
		}
		for _, c := range office {
			if !strings.HasPrefix(c, "370105") {
				t.Errorf("the 天桥区 office is offered %s", c)
			}
		}
		st, err := s.Org.ActorByUsername(ctx, "street")
		if err != nil {
			t.Fatal(err)
		}
		if len(street) != 1 || street[0] != st.Unit.Region {
			t.Errorf("the street office is offered %v, want its own %s", street, st.Unit.Region)
		}
	})
}
