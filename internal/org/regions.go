package org

import (
	"context"
	"fmt"
	"strings"

	"anwei/internal/apperr"
	"anwei/internal/audit"
	"anwei/internal/org/scope"
	"anwei/internal/paging"
	"anwei/internal/store"
)

// RegionFilter narrows a region listing.
type RegionFilter struct {
	Parent string // exact parent code; "" with Q empty lists the scope's top regions
	Q      string // name contains
	paging.Page
}

const regionCols = "r.code, r.name, r.level, COALESCE(r.parent_code, ''), r.active, (SELECT COUNT(*) FROM regions c WHERE c.parent_code = r.code)"

func scanRegion(row interface{ Scan(...any) error }) (Region, error) {
	var r Region
	var lvl int
	err := row.Scan(&r.Code, &r.Name, &lvl, &r.ParentCode, &r.Active, &r.Children)
	r.Level = Level(lvl)
	return r, err
}

// ListRegions lists the regions the actor may see.
func (s *Service) ListRegions(ctx context.Context, a *Actor, f RegionFilter) ([]Region, int, error) {
	if err := a.Require(PermOrgRead); err != nil {
		return nil, 0, err
	}
	where, args := a.Scope.RegionsWhere("r.code")
	switch {
	case f.Parent != "":
		where += " AND r.parent_code = ?"
		args = append(args, f.Parent)
	case strings.TrimSpace(f.Q) == "":
		// The scope's top: regions whose parent the actor cannot see.
		pw, pargs := a.Scope.RegionsWhere("p.code")
		where += " AND NOT EXISTS (SELECT 1 FROM regions p WHERE p.code = r.parent_code AND " + pw + ")"
		args = append(args, pargs...)
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		where += " AND (r.name LIKE ? OR r.code LIKE ?)"
		args = append(args, "%"+q+"%", q+"%")
	}
	var total int
	if err := s.db.QueryRow(ctx, "SELECT COUNT(*) FROM regions r WHERE "+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	pg := f.Page.Clamp()
	rows, err := s.db.Query(ctx, "SELECT "+regionCols+" FROM regions r WHERE "+where+" ORDER BY r.code LIMIT ? OFFSET ?",
		append(args, pg.Limit, pg.Offset)...)
	out, err := store.Collect(rows, err, scanRegion)
	return out, total, err
}

// GetRegion returns one region if the actor may see it.
func (s *Service) GetRegion(ctx context.Context, a *Actor, code string) (Region, error) {
	if err := a.Require(PermOrgRead); err != nil {
		return Region{}, err
	}
	where, args := a.Scope.RegionsWhere("r.code")
	r, err := scanRegion(s.db.QueryRow(ctx, "SELECT "+regionCols+" FROM regions r WHERE r.code = ? AND "+where,
		append([]any{code}, args...)...))
	if store.NoRows(err) {
		return Region{}, apperr.New(apperr.NotFound, "行政区划 "+code+" 不存在或不在您的管辖范围内")
	}
	return r, err
}

// RegionPath returns the region and its ancestors that the actor may see,
// from the top down (for breadcrumbs).
func (s *Service) RegionPath(ctx context.Context, a *Actor, code string) ([]Region, error) {
	var path []Region
	for c := code; c != ""; c = ParentCode(c) {
		r, err := s.GetRegion(ctx, a, c)
		if apperr.Is(err, apperr.NotFound) {
			break
		}
		if err != nil {
			return nil, err
		}
		path = append([]Region{r}, path...)
	}
	return path, nil
}

// regionExists reports whether the deployment knows the region code and it
// is not abolished.
func regionExists(ctx context.Context, tx *store.Tx, code string) (bool, error) {
	var n int
	err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM regions WHERE code = ? AND active = TRUE", code).Scan(&n)
	return n > 0, err
}

// RegionInput is a region an administrator adds or renames (a street set up
// after the national table's vintage, a renamed township).
type RegionInput struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

func (in *RegionInput) normalize() {
	in.Code, in.Name = strings.TrimSpace(in.Code), strings.TrimSpace(in.Name)
}

func validRegionName(name string) error {
	if name == "" {
		return apperr.Field("name", "区划名称不能为空")
	}
	t := text("region_name", "区划名称", name)
	t.Field = "name"
	return apperr.Lengths(t)
}

// CreateRegion adds a region under an existing parent in the actor's scope.
func (s *Service) CreateRegion(ctx context.Context, a *Actor, in RegionInput) (Region, error) {
	if err := a.Require(PermRegionWrite); err != nil {
		return Region{}, err
	}
	in.normalize()
	var c apperr.Checks // every field at once (issue 16.2)
	lvl, ok := LevelOf(in.Code)
	c.If(!ok || lvl == LevelNation || strings.Trim(in.Code, "0123456789") != "", "code", "区划代码须为 2、4、6 或 9 位数字")
	if err := c.Take(validRegionName(in.Name)); err != nil {
		return Region{}, err
	}
	if err := c.Err(); err != nil {
		return Region{}, err
	}
	parent := ParentCode(in.Code)
	if parent != "" {
		if _, err := s.GetRegion(ctx, a, parent); err != nil {
			return Region{}, apperr.Field("code", "上级区划 "+parent+" 不存在或不在您的管辖范围内")
		}
	}
	r := Region{Code: in.Code, Name: in.Name, Level: lvl, ParentCode: parent, Active: true}
	err := s.db.Tx(ctx, func(tx *store.Tx) error {
		var p any
		if parent != "" {
			p = parent
		}
		_, err := tx.Exec(ctx, "INSERT INTO regions (code, name, level, parent_code, active) VALUES (?, ?, ?, ?, TRUE)", r.Code, r.Name, int(lvl), p)
		if store.IsUniqueViolation(err) {
			return apperr.Field("code", "区划代码 "+r.Code+" 已存在")
		}
		if err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit.Entry{Action: "region.create", ObjectKind: "region", ObjectID: r.Code, Region: r.Code, After: r})
	})
	return r, err
}

// RenameRegion changes a region's name.
func (s *Service) RenameRegion(ctx context.Context, a *Actor, code, name string) (Region, error) {
	if err := a.Require(PermRegionWrite); err != nil {
		return Region{}, err
	}
	name = strings.TrimSpace(name)
	if err := validRegionName(name); err != nil {
		return Region{}, err
	}
	before, err := s.GetRegion(ctx, a, code)
	if err != nil {
		return Region{}, err
	}
	after := before
	after.Name = name
	err = s.db.Tx(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(ctx, "UPDATE regions SET name = ? WHERE code = ?", name, code); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit.Entry{Action: "region.rename", ObjectKind: "region", ObjectID: code, Region: code,
			Before: map[string]any{"name": before.Name}, After: map[string]any{"name": name}})
	})
	return after, err
}

// SetRegionActive abolishes (撤销) or restores a region. A region whose
// subtree still has active units cannot be abolished.
func (s *Service) SetRegionActive(ctx context.Context, a *Actor, code string, active bool) error {
	if err := a.Require(PermRegionWrite); err != nil {
		return err
	}
	r, err := s.GetRegion(ctx, a, code)
	if err != nil {
		return err
	}
	if r.Active == active {
		return nil
	}
	return s.db.Tx(ctx, func(tx *store.Tx) error {
		if !active {
			w, args := inScopeRegion("region_code", code)
			var n int
			if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM units WHERE active = TRUE AND "+w, args...).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return apperr.New(apperr.Conflict, fmt.Sprintf("「%s」辖区内还有 %d 个在用单位，请先调整或停用这些单位", r.Name, n))
			}
		}
		if _, err := tx.Exec(ctx, "UPDATE regions SET active = ? WHERE code = ?", active, code); err != nil {
			return err
		}
		action := "region.abolish"
		if active {
			action = "region.restore"
		}
		return s.record(ctx, tx, a, audit.Entry{Action: action, ObjectKind: "region", ObjectID: code, Region: code,
			Before: map[string]any{"active": r.Active}, After: map[string]any{"active": active}})
	})
}

// inScopeRegion renders "col lies in the subtree of code" for filters.
func inScopeRegion(col, code string) (string, []any) { return scope.InRegion(col, code) }

// ListRegionNames maps the names of the active counties and townships the
// actor may browse to their codes (a name may have several), for reading
// regions written by name in an imported sheet.
func (s *Service) ListRegionNames(ctx context.Context, a *Actor) (map[string][]string, error) {
	if err := a.Require(PermOrgRead); err != nil {
		return nil, err
	}
	where, args := a.Scope.RegionsWhere("r.code")
	rows, err := s.db.Query(ctx, "SELECT r.code, r.name FROM regions r WHERE r.active = TRUE AND r.level >= ? AND "+where,
		append([]any{int(LevelCounty)}, args...)...)
	out := map[string][]string{}
	err = store.Each(rows, err, func(r store.Scanner) error {
		var code, name string
		if err := r.Scan(&code, &name); err != nil {
			return err
		}
		out[name] = append(out[name], code)
		return nil
	})
	return out, err
}

// DocPrefix is the 文号 prefix an office uses unless it says otherwise:
// its region's first character and 安办 (济南市天桥区 → 天安办).
func DocPrefix(regionCode string) string {
	all, err := Divisions()
	if r, ok := all[regionCode]; err == nil && ok {
		name := []rune(r.Name)
		if len(name) > 0 {
			return string(name[0]) + "安办"
		}
	}
	return "安委办"
}

// Townships lists the active townships (乡镇/街道, level 4) an enterprise's
// record may be placed in, by code: for an official, those its scope
// covers; for an enterprise, those of its own county — the move it asks for
// then goes to review (enterprise.Update), and a move to another county is
// the higher office's (enterprise.Move). Region names and codes are public
// (GB/T 2260); what an enterprise is shown is no one's data.
func (s *Service) Townships(ctx context.Context, a *Actor) ([]Region, error) {
	if err := a.Require(PermOrgRead); err != nil {
		return nil, err
	}
	where, args := a.Scope.RegionsWhere("r.code")
	if a.Has(RoleEnterprise) && a.Scope.Area == "" && len(a.Scope.Regions) == 0 && !a.Scope.All {
		county := a.Unit.Region
		if len(county) > 6 {
			county = county[:6]
		}
		where, args = scope.InRegion("r.code", county)
	}
	rows, err := s.db.Query(ctx, "SELECT "+regionCols+" FROM regions r WHERE r.level = ? AND r.active = TRUE AND "+where+" ORDER BY r.code",
		append([]any{int(LevelTownship)}, args...)...)
	return store.Collect(rows, err, scanRegion)
}
