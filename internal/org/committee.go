package org

import (
	"context"
	"strings"

	"anwei/internal/apperr"
	"anwei/internal/audit"
	"anwei/internal/store"
)

// ListMembers lists the members of a committee that the actor may see.
func (s *Service) ListMembers(ctx context.Context, a *Actor, committeeID int64) ([]Member, error) {
	c, err := s.GetUnit(ctx, a, committeeID)
	if err != nil {
		return nil, err
	}
	if c.Kind != KindCommittee {
		return nil, apperr.New(apperr.Invalid, "「"+c.Name+"」不是安委会")
	}
	where, args := a.Scope.UnitsWhere("u.region_code", "u.id")
	rows, err := s.db.Query(ctx, "SELECT "+unitCols+", m.role"+unitFrom+
		" JOIN committee_members m ON m.member_id = u.id WHERE m.committee_id = ? AND "+where+
		" ORDER BY CASE m.role WHEN 'office' THEN 0 WHEN 'special' THEN 1 ELSE 2 END, u.level, u.id",
		append([]any{committeeID}, args...)...)
	var out []Member
	var units []Unit
	if err := store.Each(rows, err, func(r store.Scanner) error {
		var m Member
		var lvl int
		u := &m.Unit
		if err := r.Scan(&u.ID, &u.Name, &u.ShortName, &u.Kind, &lvl, &u.RegionCode, &u.RegionName,
			&u.ParentID, &u.Active, &u.CreatedAt, &u.UpdatedAt, &m.Role); err != nil {
			return err
		}
		u.Level, u.Aliases, m.CommitteeID = Level(lvl), []string{}, committeeID
		out = append(out, m)
		units = append(units, m.Unit)
		return nil
	}); err != nil {
		return nil, err
	}
	if err := s.loadAliases(ctx, units); err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Unit.Aliases = units[i].Aliases
	}
	return out, nil
}

// SetMember adds a unit to a committee in a role, or changes its role. A
// member from outside the committee's region (a city bureau on a district
// committee) becomes visible to the committee's office through a grant.
func (s *Service) SetMember(ctx context.Context, a *Actor, committeeID, memberID int64, role CommitteeRole) error {
	if err := a.Require(PermCommitteeWrite); err != nil {
		return err
	}
	var ch apperr.Checks // every field at once (issue 16.2), before any lookup
	ch.If(memberID <= 0, "member_id", "请选择要加入的单位")
	ch.If(!role.Valid(), "role", "请选择成员类别")
	if err := ch.Err(); err != nil {
		return err
	}
	c, err := s.GetUnit(ctx, a, committeeID)
	if err != nil {
		return err
	}
	if c.Kind != KindCommittee {
		return apperr.New(apperr.Invalid, "「"+c.Name+"」不是安委会")
	}
	m, err := s.getUnitForMembership(ctx, a, c, memberID)
	if err != nil {
		return err
	}
	if m.Kind == KindEnterprise || m.Kind == KindCommittee {
		return apperr.Field("member_id", "「"+m.Name+"」不能作为安委会成员")
	}
	return s.db.Tx(ctx, func(tx *store.Tx) error {
		var old string
		err := tx.QueryRow(ctx, "SELECT role FROM committee_members WHERE committee_id = ? AND member_id = ?", committeeID, memberID).Scan(&old)
		switch {
		case store.NoRows(err):
			_, err = tx.Exec(ctx, "INSERT INTO committee_members (committee_id, member_id, role) VALUES (?, ?, ?)", committeeID, memberID, string(role))
		case err == nil && old == string(role):
			return nil
		case err == nil:
			_, err = tx.Exec(ctx, "UPDATE committee_members SET role = ? WHERE committee_id = ? AND member_id = ?", string(role), committeeID, memberID)
		}
		if err != nil {
			return err
		}
		if !regionContains(c.RegionCode, m.RegionCode) {
			offices, err := committeeOffices(ctx, tx, committeeID)
			if err != nil {
				return err
			}
			for _, o := range append(offices, committeeID) {
				if err := s.grant(ctx, tx, a, o, "unit", memberID, "安委会成员: "+c.Name); err != nil {
					return err
				}
			}
		}
		var before any
		if old != "" {
			before = map[string]any{"member_id": memberID, "role": old}
		}
		return s.record(ctx, tx, a, audit.Entry{Action: "committee.set_member", ObjectKind: "unit", ObjectID: id(committeeID),
			Region: c.RegionCode, Before: before, After: map[string]any{"member_id": memberID, "member": m.Name, "role": string(role)}})
	})
}

// getUnitForMembership finds a prospective member: one in the actor's scope,
// or a unit of a higher level whose region contains the committee's (the
// city bureau a district plan names) — membership is what then grants the
// office its visibility. A unit of a sibling region stays out of reach.
func (s *Service) getUnitForMembership(ctx context.Context, a *Actor, c Unit, memberID int64) (Unit, error) {
	u, err := s.GetUnit(ctx, a, memberID)
	if err == nil || !apperr.Is(err, apperr.NotFound) {
		return u, err
	}
	u, err = s.GetUnit(ctx, System, memberID)
	if err != nil || u.RegionCode == "" || len(u.RegionCode) >= len(c.RegionCode) || !strings.HasPrefix(c.RegionCode, u.RegionCode) {
		return Unit{}, apperr.New(apperr.NotFound, "单位不存在或不在您的管辖范围内")
	}
	return u, nil
}

// RemoveMember takes a unit off a committee.
func (s *Service) RemoveMember(ctx context.Context, a *Actor, committeeID, memberID int64) error {
	if err := a.Require(PermCommitteeWrite); err != nil {
		return err
	}
	c, err := s.GetUnit(ctx, a, committeeID)
	if err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *store.Tx) error {
		var old string
		err := tx.QueryRow(ctx, "SELECT role FROM committee_members WHERE committee_id = ? AND member_id = ?", committeeID, memberID).Scan(&old)
		if store.NoRows(err) {
			return apperr.New(apperr.NotFound, "该单位不是本安委会成员")
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "DELETE FROM committee_members WHERE committee_id = ? AND member_id = ?", committeeID, memberID); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit.Entry{Action: "committee.remove_member", ObjectKind: "unit", ObjectID: id(committeeID),
			Region: c.RegionCode, Before: map[string]any{"member_id": memberID, "role": old}})
	})
}

func committeeOffices(ctx context.Context, tx *store.Tx, committeeID int64) ([]int64, error) {
	rows, err := tx.Query(ctx, "SELECT member_id FROM committee_members WHERE committee_id = ? AND role = 'office'", committeeID)
	return store.Collect(rows, err, store.Value[int64])
}

// regionContains reports whether region code inner lies in outer's subtree.
func regionContains(outer, inner string) bool {
	return outer == "" || strings.HasPrefix(inner, outer)
}
