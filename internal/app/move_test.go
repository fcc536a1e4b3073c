package app_test

import (
	"context"
	"testing"

	"anwei/internal/apperr"
	"anwei/internal/enforce"
	"anwei/internal/enterprise"
	"anwei/internal/org"
	"anwei/internal/paging"
	"anwei/internal/store"
	"anwei/internal/store/storetest"
)

// TestChangeApprovalKeepsJurisdiction: an enterprise asks to move to a
// street of another county. Its own county's department and office cannot
// approve that (an approval passes the checks of a direct edit by the
// approver, issue 11 finding 3); the city's office, whose region holds both
// counties, can, and the enterprise's open hazard and risk point go with it.
func TestChangeApprovalKeepsJurisdiction(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		own, err := f.orgs.ActorByUsername(ctx, "u"+f.a.code+"f")
		if err != nil {
			t.Fatal(err)
		}
		e, err := f.ents.Get(ctx, f.a.officeUser, f.a.firm)
		if err != nil {
			t.Fatal(err)
		}
		in := enterprise.Input{Name: e.Name, CreditCode: e.CreditCode, RegionCode: streetOf(t, f.b.code), Categories: "危险化学品"}
		_, change, err := f.ents.Update(ctx, own, e.UnitID, in)
		if err != nil || change == 0 {
			t.Fatalf("move request: %d %v", change, err)
		}
		for _, who := range []struct {
			name string
			a    *org.Actor
		}{{"county A's department", f.a.deptUser}, {"county A's office", f.a.officeUser}} {
			if err := f.ents.DecideChange(ctx, who.a, change, true, ""); !apperr.Is(err, apperr.Invalid) {
				t.Errorf("%s approved a move into county B: err = %v", who.name, err)
			}
			// A direct edit by the same user is refused the same way.
			if _, _, err := f.ents.Update(ctx, who.a, e.UnitID, in); !apperr.Is(err, apperr.Invalid) {
				t.Errorf("%s moved the enterprise into county B directly: err = %v", who.name, err)
			}
		}
		if _, err := f.ents.Get(ctx, f.b.officeUser, e.UnitID); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("county B sees the enterprise after refused approvals: %v", err)
		}
		if got, err := f.ents.Get(ctx, f.a.officeUser, e.UnitID); err != nil || got.RegionCode != e.RegionCode {
			t.Fatalf("the enterprise left county A: %+v %v", got.RegionCode, err)
		}
		cs, _, err := f.ents.ListChanges(ctx, f.a.deptUser, "pending", paging.Page{Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		var pending bool
		for _, c := range cs {
			if c.ID == change {
				pending = true
				if !c.CrossCounty() || !c.Moves() {
					t.Errorf("the change does not say it crosses counties: %+v", c)
				}
			}
		}
		if !pending {
			t.Fatal("the refused change is no longer pending")
		}

		// The city's office holds both counties.
		cityOffice, err := f.orgs.CreateUnit(ctx, org.System, org.UnitInput{Name: "济南市安全生产委员会办公室", Kind: org.KindCommitteeOffice, RegionCode: "3701"})
		if err != nil {
			t.Fatal(err)
		}
		city := f.user(t, "city", cityOffice, org.RoleOffice)
		if err := f.ents.DecideChange(ctx, city, change, true, ""); err != nil {
			t.Fatalf("the city office's approval: %v", err)
		}
		if _, err := f.ents.Get(ctx, f.b.officeUser, e.UnitID); err != nil {
			t.Errorf("county B does not see the enterprise that moved in: %v", err)
		}
		if _, err := f.ents.Get(ctx, f.a.officeUser, e.UnitID); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("county A still sees the enterprise that moved out: %v", err)
		}
		if h, err := f.hzs.Get(ctx, f.b.deptUser, f.a.hazard); err != nil || h.Region != streetOf(t, f.b.code) {
			t.Errorf("the open hazard did not go with the enterprise: %+v %v", h.Region, err)
		}
		if _, err := f.risks.Get(ctx, f.b.officeUser, f.a.riskPoint); err != nil {
			t.Errorf("the risk point did not go with the enterprise: %v", err)
		}
		// Its planned inspections (the fixture's draws) are county B's office's to see now.
		is, _, err := f.enf.ListInspections(ctx, f.b.officeUser, enforce.InspectionFilter{EnterpriseID: e.UnitID, Page: paging.Page{Limit: 50}})
		if err != nil || len(is) == 0 {
			t.Errorf("the planned inspections did not go with the enterprise: %d (%v)", len(is), err)
		}
	})
}
