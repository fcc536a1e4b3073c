package demo_test

import (
	"context"
	"testing"

	"anwei/internal/app"
	"anwei/internal/app/apptest"
	"anwei/internal/audit"
	"anwei/internal/demo"
	"anwei/internal/enterprise"
	"anwei/internal/org"
	"anwei/internal/paging"
	"anwei/internal/store"
	"anwei/internal/store/storetest"
)

func TestDemoLoadsTianqiao(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := apptest.New(t, db, app.Wiring{})
		orgs, plans, ents := s.Org, s.Plans, s.Ents
		logins, err := demo.Load(ctx, orgs, plans, ents, 50)
		if err != nil {
			t.Fatal(err)
		}
		roles := map[org.Role]bool{}
		for _, l := range logins {
			roles[l.Role] = true
		}
		if len(roles) != len(org.Roles) || len(logins) != len(org.Roles)+1 || logins[2].Username != "city" || logins[2].Unit != "济南市安全生产委员会办公室" {
			t.Fatalf("logins %+v: want every role, and the city office's", logins)
		}
		streets, n, err := orgs.ListUnits(ctx, org.System, org.UnitFilter{Kind: org.KindStreet, Page: paging.Page{Limit: 100}})
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
		ps, n, err := plans.ListPlans(ctx, a, paging.Page{})
		if err != nil || n != 1 || ps[0].Items != 27 || ps[0].Title != "天桥区安委会"+plans.Today()[:4]+"年工作要点" {
			t.Fatalf("demo plan: %+v %v", ps, err)
		}
		// The registry: 50 generated enterprises besides 泺口化工, classes, major
		// installations of every grade, blacklistings, expiring papers.
		all, n, err := ents.List(ctx, a, enterprise.Filter{Page: paging.Page{Limit: 100}})
		if err != nil || n != 51 {
			t.Fatalf("registry: %d enterprises, %v", n, err)
		}
		grades := map[string]bool{}
		for _, e := range all {
			grades[e.MajorGrade] = true
			if e.Class == "" || e.ClassReason == "" {
				t.Errorf("%s has no class", e.Name)
			}
		}
		for _, g := range []string{"一级", "二级", "三级", "四级"} {
			if !grades[g] {
				t.Errorf("no %s major installation in the demo", g)
			}
		}
		if _, nb, _ := ents.List(ctx, a, enterprise.Filter{Blacklisted: true}); nb != 2 {
			t.Errorf("%d blacklisted, want 2 (one of three repaired)", nb)
		}
		if p, err := ents.Expiring(ctx, a, 60); err != nil || len(p.Certificates) == 0 || len(p.Licences) == 0 {
			t.Errorf("expiring papers: %+v %v", p, err)
		}
		if _, err := demo.Load(ctx, orgs, plans, ents, 50); err == nil {
			t.Fatal("second load into a full database succeeded")
		}
		if n, err := audit.Verify(ctx, db); err != nil || n == 0 {
			t.Fatalf("audit chain after demo: n=%d err=%v", n, err)
		}
	})
}
