package org

import (
	"context"
	"fmt"
	"strings"

	"anwei/internal/apperr"
	"anwei/internal/audit"
	"anwei/internal/paging"
	"anwei/internal/store"
)

// UnitFilter narrows a unit listing.
type UnitFilter struct {
	Kind   UnitKind
	Kinds  []UnitKind  // any of these (with Kind): a picker's "department or street"
	Region string      // subtree
	Q      string      // name, short name or alias contains
	Active string      // "" all, "1" active, "0" disabled
	Sort   paging.Sort // a key of UnitOrders; as the chart reads when none
	paging.Page
}

// UnitOrders are the unit list's sort keys (?sort=, issue 16.4): each names
// the SQL it orders by; nothing a request says reaches the SQL.
var UnitOrders = paging.Orders{
	"name":   "u.name",
	"kind":   kindRank,
	"level":  "u.level",
	"region": "u.region_code",
	"active": "u.active",
}

const unitCols = `u.id, u.name, u.short_name, u.kind, u.level, u.region_code, COALESCE(r.name, ''),
	COALESCE(u.parent_id, 0), u.active, u.created_at, u.updated_at`

const unitFrom = " FROM units u LEFT JOIN regions r ON r.code = u.region_code"

// kindRank orders units as an organisation chart reads: government,
// committee, office, special committees, departments, streets, zones,
// enterprises, experts.
var kindRank = func() string {
	var b strings.Builder
	b.WriteString("CASE u.kind")
	for i, k := range UnitKinds {
		fmt.Fprintf(&b, " WHEN '%s' THEN %d", k, i)
	}
	b.WriteString(" ELSE 99 END")
	return b.String()
}()

func scanUnit(row interface{ Scan(...any) error }) (Unit, error) {
	var u Unit
	var lvl int
	err := row.Scan(&u.ID, &u.Name, &u.ShortName, &u.Kind, &lvl, &u.RegionCode, &u.RegionName,
		&u.ParentID, &u.Active, &u.CreatedAt, &u.UpdatedAt)
	u.Level = Level(lvl)
	u.Aliases = []string{}
	return u, err
}

func (f UnitFilter) where(a *Actor) (string, []any) {
	where, args := a.Scope.UnitsWhere("u.region_code", "u.id")
	kinds := f.Kinds
	if f.Kind != "" {
		kinds = append([]UnitKind{f.Kind}, kinds...)
	}
	if len(kinds) > 0 {
		where += " AND u.kind IN (" + strings.TrimSuffix(strings.Repeat("?,", len(kinds)), ",") + ")"
		for _, k := range kinds {
			args = append(args, string(k))
		}
	}
	if f.Region != "" {
		w, ra := inScopeRegion("u.region_code", f.Region)
		where += " AND " + w
		args = append(args, ra...)
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		where += " AND (u.name LIKE ? OR u.short_name LIKE ? OR EXISTS (SELECT 1 FROM unit_aliases al WHERE al.unit_id = u.id AND al.alias LIKE ?))"
		like := "%" + q + "%"
		args = append(args, like, like, like)
	}
	switch f.Active {
	case "1":
		where += " AND u.active = TRUE"
	case "0":
		where += " AND u.active = FALSE"
	}
	return where, args
}

// ListUnits lists the units the actor may see.
func (s *Service) ListUnits(ctx context.Context, a *Actor, f UnitFilter) ([]Unit, int, error) {
	if err := a.Require(PermOrgRead); err != nil {
		return nil, 0, err
	}
	order, err := UnitOrders.By(f.Sort, "", "u.id")
	if err != nil {
		return nil, 0, apperr.Field("sort", err.Error())
	}
	where, args := f.where(a)
	var total int
	if err := s.db.QueryRow(ctx, "SELECT COUNT(*)"+unitFrom+" WHERE "+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	pg := f.Page.Clamp()
	if order == "" {
		// As the chart reads; a search (a picker typed into) lists the
		// unit named exactly so first, then the names that begin so.
		order = "u.level, u.region_code, " + kindRank + ", u.id"
		if q := strings.TrimSpace(f.Q); q != "" {
			order = "CASE WHEN u.name = ? THEN 0 WHEN u.name LIKE ? THEN 1 ELSE 2 END, " + order
			args = append(args, q, q+"%")
		}
	}
	rows, err := s.db.Query(ctx, "SELECT "+unitCols+unitFrom+" WHERE "+where+
		" ORDER BY "+order+" LIMIT ? OFFSET ?", append(args, pg.Limit, pg.Offset)...)
	out, err := store.Collect(rows, err, scanUnit)
	if err != nil {
		return nil, 0, err
	}
	return out, total, s.loadAliases(ctx, out)
}

func (s *Service) loadAliases(ctx context.Context, units []Unit) error {
	if len(units) == 0 {
		return nil
	}
	idx := make(map[int64]int, len(units))
	args := make([]any, len(units))
	for i, u := range units {
		idx[u.ID] = i
		args[i] = u.ID
	}
	ph := strings.TrimSuffix(strings.Repeat("?,", len(units)), ",")
	rows, err := s.db.Query(ctx, "SELECT unit_id, alias FROM unit_aliases WHERE unit_id IN ("+ph+") ORDER BY alias", args...)
	return store.Each(rows, err, func(r store.Scanner) error {
		var uid int64
		var alias string
		if err := r.Scan(&uid, &alias); err != nil {
			return err
		}
		units[idx[uid]].Aliases = append(units[idx[uid]].Aliases, alias)
		return nil
	})
}

// GetUnit returns one unit if the actor may see it.
func (s *Service) GetUnit(ctx context.Context, a *Actor, unitID int64) (Unit, error) {
	if err := a.Require(PermOrgRead); err != nil {
		return Unit{}, err
	}
	where, args := a.Scope.UnitsWhere("u.region_code", "u.id")
	u, err := scanUnit(s.db.QueryRow(ctx, "SELECT "+unitCols+unitFrom+" WHERE u.id = ? AND "+where,
		append([]any{unitID}, args...)...))
	if store.NoRows(err) {
		return Unit{}, apperr.New(apperr.NotFound, "单位不存在或不在您的管辖范围内")
	}
	if err != nil {
		return Unit{}, err
	}
	one := []Unit{u}
	err = s.loadAliases(ctx, one)
	return one[0], err
}

// checkUnitInput validates in against the database within tx.
func (s *Service) checkUnitInput(ctx context.Context, tx *store.Tx, a *Actor, in *UnitInput, self int64) error {
	in.Normalize()
	if err := in.Validate(); err != nil {
		return err
	}
	if in.RegionCode != "" {
		ok, err := regionExists(ctx, tx, in.RegionCode)
		if err != nil {
			return err
		}
		if !ok {
			return apperr.Field("region_code", "行政区划代码「"+in.RegionCode+"」不在本部署的区划内")
		}
		if _, err := s.GetRegion(ctx, a, in.RegionCode); err != nil {
			return apperr.Field("region_code", "行政区划「"+in.RegionCode+"」不在您的管辖范围内")
		}
		in.Level, _ = LevelOf(in.RegionCode)
	}
	if in.ParentID != 0 {
		if in.ParentID == self {
			return apperr.Field("parent_id", "上级单位不能是自己")
		}
		if _, err := s.GetUnit(ctx, a, in.ParentID); err != nil {
			return apperr.Field("parent_id", "上级单位不存在或不在您的管辖范围内")
		}
	}
	return nil
}

func (s *Service) insertUnit(ctx context.Context, tx *store.Tx, in UnitInput) (Unit, error) {
	now := s.clock.Now()
	var parent any
	if in.ParentID != 0 {
		parent = in.ParentID
	}
	newID, err := tx.InsertID(ctx, `INSERT INTO units (name, short_name, kind, level, region_code, parent_id, active, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, TRUE, ?, ?)`, in.Name, in.ShortName, string(in.Kind), int(in.Level), in.RegionCode, parent, now, now)
	if store.IsUniqueViolation(err) {
		return Unit{}, apperr.Field("name", "已有名为「"+in.Name+"」的单位")
	}
	if err != nil {
		return Unit{}, err
	}
	if err := setAliases(ctx, tx, newID, in.Aliases); err != nil {
		return Unit{}, err
	}
	return Unit{ID: newID, Name: in.Name, ShortName: in.ShortName, Kind: in.Kind, Level: in.Level, RegionCode: in.RegionCode,
		ParentID: in.ParentID, Active: true, Aliases: in.Aliases, CreatedAt: now, UpdatedAt: now}, nil
}

func setAliases(ctx context.Context, tx *store.Tx, unitID int64, aliases []string) error {
	if _, err := tx.Exec(ctx, "DELETE FROM unit_aliases WHERE unit_id = ?", unitID); err != nil {
		return err
	}
	for _, al := range aliases {
		if _, err := tx.Exec(ctx, "INSERT INTO unit_aliases (unit_id, alias) VALUES (?, ?)", unitID, al); err != nil {
			return err
		}
	}
	return nil
}

// CreateUnit creates a unit.
func (s *Service) CreateUnit(ctx context.Context, a *Actor, in UnitInput) (Unit, error) {
	if err := a.Require(PermUnitWrite); err != nil {
		return Unit{}, err
	}
	var u Unit
	err := s.db.Tx(ctx, func(tx *store.Tx) error {
		if err := s.checkUnitInput(ctx, tx, a, &in, 0); err != nil {
			return err
		}
		var err error
		if u, err = s.insertUnit(ctx, tx, in); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit.Entry{Action: "unit.create", ObjectKind: "unit", ObjectID: id(u.ID), Region: u.RegionCode, After: u})
	})
	return u, err
}

// UpdateUnit changes a unit's fields.
func (s *Service) UpdateUnit(ctx context.Context, a *Actor, unitID int64, in UnitInput) (Unit, error) {
	if err := a.Require(PermUnitWrite); err != nil {
		return Unit{}, err
	}
	before, err := s.GetUnit(ctx, a, unitID)
	if err != nil {
		return Unit{}, err
	}
	var after Unit
	err = s.db.Tx(ctx, func(tx *store.Tx) error {
		if err := s.checkUnitInput(ctx, tx, a, &in, unitID); err != nil {
			return err
		}
		var parent any
		if in.ParentID != 0 {
			parent = in.ParentID
		}
		now := s.clock.Now()
		_, err := tx.Exec(ctx, `UPDATE units SET name = ?, short_name = ?, kind = ?, level = ?, region_code = ?, parent_id = ?, updated_at = ?
			WHERE id = ?`, in.Name, in.ShortName, string(in.Kind), int(in.Level), in.RegionCode, parent, now, unitID)
		if store.IsUniqueViolation(err) {
			return apperr.Field("name", "已有名为「"+in.Name+"」的单位")
		}
		if err != nil {
			return err
		}
		if err := setAliases(ctx, tx, unitID, in.Aliases); err != nil {
			return err
		}
		after = before
		after.Name, after.ShortName, after.Kind, after.Level, after.RegionCode = in.Name, in.ShortName, in.Kind, in.Level, in.RegionCode
		after.ParentID, after.Aliases, after.UpdatedAt = in.ParentID, in.Aliases, now
		if after.Aliases == nil {
			after.Aliases = []string{}
		}
		return s.record(ctx, tx, a, audit.Entry{Action: "unit.update", ObjectKind: "unit", ObjectID: id(unitID),
			Region: in.RegionCode, Before: before, After: after})
	})
	return after, err
}

// SetUnitActive disables or re-enables a unit. A disabled unit's users can
// no longer log in.
func (s *Service) SetUnitActive(ctx context.Context, a *Actor, unitID int64, active bool) error {
	if err := a.Require(PermUnitWrite); err != nil {
		return err
	}
	u, err := s.GetUnit(ctx, a, unitID)
	if err != nil {
		return err
	}
	if u.Active == active {
		return nil
	}
	if !active && a.Unit.ID == unitID {
		return apperr.New(apperr.Conflict, "不能停用自己所在的单位")
	}
	return s.db.Tx(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(ctx, "UPDATE units SET active = ?, updated_at = ? WHERE id = ?", active, s.clock.Now(), unitID); err != nil {
			return err
		}
		action := "unit.disable"
		if active {
			action = "unit.enable"
		}
		return s.record(ctx, tx, a, audit.Entry{Action: action, ObjectKind: "unit", ObjectID: id(unitID), Region: u.RegionCode,
			Before: map[string]any{"active": u.Active}, After: map[string]any{"active": active}})
	})
}

// Grant lets unit grantee see an object outside its region (a unit named by
// its plans at another level, a zone without a region code). The actor must
// see both units: a grant never reaches past the granter's own scope.
func (s *Service) Grant(ctx context.Context, a *Actor, grantee int64, kind string, objectID int64, reason string) error {
	if err := a.Require(PermUnitWrite); err != nil {
		return err
	}
	if kind != "unit" {
		return apperr.Field("kind", "只能授权查看单位")
	}
	if err := apperr.Lengths(text("reason", "授权理由", reason)); err != nil {
		return err
	}
	for _, id := range []int64{grantee, objectID} {
		if _, err := s.GetUnit(ctx, a, id); err != nil {
			return err
		}
	}
	return s.db.Tx(ctx, func(tx *store.Tx) error {
		return s.grant(ctx, tx, a, grantee, kind, objectID, reason)
	})
}

func (s *Service) grant(ctx context.Context, tx *store.Tx, a *Actor, grantee int64, kind string, objectID int64, reason string) error {
	var n int
	if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM scope_grants WHERE unit_id = ? AND object_kind = ? AND object_id = ?",
		grantee, kind, objectID).Scan(&n); err != nil || n > 0 {
		return err
	}
	if _, err := tx.Exec(ctx, "INSERT INTO scope_grants (unit_id, object_kind, object_id, reason) VALUES (?, ?, ?, ?)",
		grantee, kind, objectID, reason); err != nil {
		return err
	}
	// The event belongs to the grantee's jurisdiction: it is what it now sees.
	var region string
	if err := tx.QueryRow(ctx, "SELECT region_code FROM units WHERE id = ?", grantee).Scan(&region); err != nil {
		return apperr.Field("grantee", "被授权单位不存在")
	}
	return s.record(ctx, tx, a, audit.Entry{Action: "scope.grant", ObjectKind: kind, ObjectID: id(objectID), Region: region,
		After: map[string]any{"grantee": grantee, "kind": kind, "object_id": objectID, "reason": reason}})
}

// SetSupervision records (on) or ends (off) a department's supervision of an
// enterprise (三管三必须). The enterprise registry builds its duties on this.
func (s *Service) SetSupervision(ctx context.Context, a *Actor, deptID, enterpriseID int64, on bool) error {
	if err := a.Require(PermUnitWrite); err != nil {
		return err
	}
	d, err := s.GetUnit(ctx, a, deptID)
	if err != nil {
		return err
	}
	e, err := s.GetUnit(ctx, a, enterpriseID)
	if err != nil {
		return err
	}
	if e.Kind != KindEnterprise {
		return apperr.Field("enterprise_id", "「"+e.Name+"」不是企业")
	}
	return s.db.Tx(ctx, func(tx *store.Tx) error {
		var n int
		if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM supervisions WHERE dept_id = ? AND enterprise_id = ?", deptID, enterpriseID).Scan(&n); err != nil {
			return err
		}
		if (n > 0) == on {
			return nil
		}
		q, action := "INSERT INTO supervisions (dept_id, enterprise_id) VALUES (?, ?)", "supervision.add"
		if !on {
			q, action = "DELETE FROM supervisions WHERE dept_id = ? AND enterprise_id = ?", "supervision.remove"
		}
		if _, err := tx.Exec(ctx, q, deptID, enterpriseID); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit.Entry{Action: action, ObjectKind: "unit", ObjectID: id(enterpriseID), Region: e.RegionCode,
			After: map[string]any{"dept_id": deptID, "dept": d.Name, "enterprise_id": enterpriseID, "on": on}})
	})
}
