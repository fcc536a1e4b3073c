package demo_test

import (
	"context"
	"testing"

	"anwei/internal/audit"
	"anwei/internal/calendar"
	"anwei/internal/demo"
	"anwei/internal/org"
	"anwei/internal/plan"
	"anwei/internal/store"
	"anwei/internal/store/storetest"
)

func TestDemoLoadsTianqiao(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		orgs := org.NewService(db, calendar.System{})
		plans := plan.NewService(db, calendar.System{}, orgs)
		logins, err := demo.Load(ctx, orgs, plans)
		if err != nil {
			t.Fatal(err)
		}
		if len(logins) != len(org.Roles) {
			t.Fatalf("%d logins, want one per role (%d)", len(logins), len(org.Roles))
		}
		streets, n, err := orgs.ListUnits(ctx, org.System, org.UnitFilter{Kind: org.KindStreet, Page: org.Page{Limit: 100}})
		if err != nil || n != 15 {
			t.Fatalf("streets: n=%d err=%v", n, err)
		}
		if streets[0].Name != "济南市天桥区无影山街道办事处" {
			t.Fatalf("first street %q", streets[0].Name)
		}
		// The plan's short forms find the official units.
		for short, official := range map[string]string{"区应急局": "济南市天桥区应急管理局", "区发展改革局": "济南市天桥区发展和改革局", "区交警大队": "济南市公安局交通警察支队天桥区大队"} {
			us, _, err := orgs.ListUnits(ctx, org.System, org.UnitFilter{Q: short})
			if err != nil || len(us) == 0 || us[0].Name != official {
				t.Errorf("%s: got %+v err=%v, want %s", short, us, err, official)
			}
		}
		// The office sees the city bureau on its committee through a grant.
		office, err := orgs.CredentialsFor(ctx, "office")
		if err != nil {
			t.Fatal(err)
		}
		a, err := orgs.ActorByID(ctx, office.UserID)
		if err != nil {
			t.Fatal(err)
		}
		if us, _, _ := orgs.ListUnits(ctx, a, org.UnitFilter{Q: "市邮政管理局"}); len(us) != 1 {
			t.Fatalf("office cannot see 济南市邮政管理局: %+v", us)
		}
		// The Tianqiao plan is imported against these units.
		ps, n, err := plans.ListPlans(ctx, a, org.Page{})
		if err != nil || n != 1 || ps[0].Items != 27 || ps[0].Title != "天桥区安委会"+plans.Today()[:4]+"年工作要点" {
			t.Fatalf("demo plan: %+v %v", ps, err)
		}
		if _, err := demo.Load(ctx, orgs, plans); err == nil {
			t.Fatal("second load into a full database succeeded")
		}
		if n, err := audit.Verify(ctx, db); err != nil || n == 0 {
			t.Fatalf("audit chain after demo: n=%d err=%v", n, err)
		}
	})
}
