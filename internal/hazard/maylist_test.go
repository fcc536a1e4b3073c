package hazard_test

import (
	"testing"

	"anwei/internal/hazard"
	"anwei/internal/org"
)

// TestMayListIsAddListingsRule: the page offers 挂牌督办 to a county, city
// or province office holding hazard.list, on an open major hazard of its
// jurisdiction that its office has not listed yet — to nobody else.
func TestMayListIsAddListingsRule(t *testing.T) {
	office := &org.Actor{Perms: []org.Perm{org.PermHazardList}, Unit: org.UnitRef{ID: 5, Kind: org.KindCommitteeOffice, Region: "370105"}}
	street := &org.Actor{Perms: []org.Perm{org.PermHazardList}, Unit: org.UnitRef{ID: 6, Kind: org.KindCommitteeOffice, Region: "370105001"}}
	dept := &org.Actor{Perms: []org.Perm{org.PermHazardList}, Unit: org.UnitRef{ID: 7, Kind: org.KindDepartment, Region: "370105"}}
	noPerm := &org.Actor{Unit: office.Unit}
	major := hazard.Hazard{ID: 1, Region: "370105001", Level: hazard.Major, State: hazard.Judged}
	with := func(f func(*hazard.Hazard)) hazard.Hazard { h := major; f(&h); return h }
	for _, c := range []struct {
		why      string
		a        *org.Actor
		h        hazard.Hazard
		listings []hazard.Listing
		want     bool
	}{
		{"the county office, an open major hazard", office, major, nil, true},
		{"listed by another office", office, major, []hazard.Listing{{OfficeID: 9}}, true},
		{"listed by this office", office, major, []hazard.Listing{{OfficeID: 5}}, false},
		{"a general hazard", office, with(func(h *hazard.Hazard) { h.Level = hazard.General }), nil, false},
		{"a closed hazard", office, with(func(h *hazard.Hazard) { h.State = hazard.Closed }), nil, false},
		{"another county's hazard", office, with(func(h *hazard.Hazard) { h.Region = "370102001" }), nil, false},
		{"a street's office (no tier)", street, major, nil, false},
		{"a department", dept, major, nil, false},
		{"without hazard.list", noPerm, major, nil, false},
	} {
		if got := hazard.MayList(c.a, c.h, c.listings); got != c.want {
			t.Errorf("%s: MayList = %v, want %v", c.why, got, c.want)
		}
	}
}
