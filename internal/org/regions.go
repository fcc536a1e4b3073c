package org

import (
	"context"
	"strings"

	"anwei/internal/apperr"
	"anwei/internal/org/scope"
	"anwei/internal/store"
)

// RegionFilter narrows a region listing.
type RegionFilter struct {
	Parent string // exact parent code; "" with Q empty lists the scope's top regions
	Q      string // name contains
	Page
}

const regionCols = "r.code, r.name, r.level, COALESCE(r.parent_code, ''), (SELECT COUNT(*) FROM regions c WHERE c.parent_code = r.code)"

func scanRegion(row interface{ Scan(...any) error }) (Region, error) {
	var r Region
	var lvl int
	err := row.Scan(&r.Code, &r.Name, &lvl, &r.ParentCode, &r.Children)
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
	rows, err := s.db.Query(ctx, "SELECT "+regionCols+" FROM regions r WHERE "+where+" ORDER BY r.code LIMIT ? OFFSET ?",
		append(args, f.limit(), f.offset())...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []Region
	for rows.Next() {
		r, err := scanRegion(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, r)
	}
	return out, total, rows.Err()
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

// regionExists reports whether the deployment knows the region code.
func regionExists(ctx context.Context, tx *store.Tx, code string) (bool, error) {
	var n int
	err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM regions WHERE code = ?", code).Scan(&n)
	return n > 0, err
}

// inScopeRegion renders "col lies in the subtree of code" for filters.
func inScopeRegion(col, code string) (string, []any) { return scope.InRegion(col, code) }
