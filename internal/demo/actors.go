package demo

import (
	"context"

	"anwei/internal/org"
	"anwei/internal/paging"
)

// staff are the people of the demo's units at work: each step of the
// demo's year is taken by the unit that would take it — a department
// judges the hazards of the enterprises it supervises, a street those its
// grid finds, the enterprise rectifies its own, a unit reports its own
// duties — as an actor of that unit with the role its kind of unit holds,
// named "<unit>（演示数据）" in the histories and the audit log.
type staff struct {
	orgs    *org.Service
	byUnit  map[int64]*org.Actor
	streets map[string]int64 // a street's region code → its office
}

func newStaff(ctx context.Context, orgs *org.Service) (*staff, error) {
	s := &staff{orgs: orgs, byUnit: map[int64]*org.Actor{}, streets: map[string]int64{}}
	us, _, err := orgs.ListUnits(ctx, org.System, org.UnitFilter{Kind: org.KindStreet, Page: paging.Page{Limit: paging.Max}})
	if err != nil {
		return nil, err
	}
	for _, u := range us {
		s.streets[u.RegionCode] = u.ID
	}
	return s, nil
}

// roleOf is the role a unit's staff act in.
var roleOf = map[org.UnitKind]org.Role{org.KindCommitteeOffice: org.RoleOffice, org.KindStreet: org.RoleTerritorial,
	org.KindGovernment: org.RoleTerritorial, org.KindEnterprise: org.RoleEnterprise, org.KindExpertPool: org.RoleExpert}

// of is the actor of a unit.
func (s *staff) of(ctx context.Context, unitID int64) (*org.Actor, error) {
	if a := s.byUnit[unitID]; a != nil {
		return a, nil
	}
	u, err := s.orgs.GetUnit(ctx, org.System, unitID)
	if err != nil {
		return nil, err
	}
	role, ok := roleOf[u.Kind]
	if !ok {
		role = org.RoleMember
	}
	a := org.NewActor(0, "demo", u.Name+"（演示数据）", org.UnitRef{ID: u.ID, Name: u.Name, Kind: u.Kind, Level: u.Level, Region: u.RegionCode},
		[]org.Role{role})
	s.byUnit[unitID] = a
	return a, nil
}

// street is the actor of the street office whose territory holds region
// (a street's code or below it), nil when none does.
func (s *staff) street(ctx context.Context, region string) (*org.Actor, error) {
	if len(region) < 9 {
		return nil, nil
	}
	id, ok := s.streets[region[:9]]
	if !ok {
		return nil, nil
	}
	return s.of(ctx, id)
}
