package enterprise

import (
	"context"
	"slices"
	"strings"

	"anwei/internal/apperr"
	"anwei/internal/org"
	"anwei/internal/store"
)

// countyOf is the county-level part of a region code (6 digits).
func countyOf(code string) string {
	if len(code) > 6 {
		return code[:6]
	}
	return code
}

// CrossCounty reports whether the change moves the enterprise to another
// county, which only an office whose region holds both may approve.
func (c Change) CrossCounty() bool {
	return c.Before.RegionCode != c.After.RegionCode && countyOf(c.Before.RegionCode) != countyOf(c.After.RegionCode)
}

// Moves reports whether the change moves the enterprise to another region
// (its open hazards and risk points go with it).
func (c Change) Moves() bool { return c.Before.RegionCode != c.After.RegionCode }

// checkEdit applies the checks of an edit from before to after. The region
// must exist and the credit code belong to nobody else. When by is not nil
// (a government user's direct edit, or the approval of an enterprise's
// request, which must pass exactly the same checks) a new region must also
// lie within by's reach, and a move to another county is made only by a
// 安委办 whose region subtree holds both counties: the departments and
// streets of one county cannot hand an enterprise to another.
func checkEdit(ctx context.Context, tx *store.Tx, by *org.Actor, before, after Enterprise) error {
	if by != nil && after.RegionCode != before.RegionCode {
		if countyOf(after.RegionCode) != countyOf(before.RegionCode) && !holdsBoth(by, before.RegionCode, after.RegionCode) {
			return apperr.Field("region_code", "迁往其他区县须由同时管辖两地的上级安委办办理，本单位不能将企业迁出或迁入本区县")
		}
		if !inRegions(by, after.RegionCode) {
			return apperr.Field("region_code", "行政区划「"+after.RegionCode+"」不在您的管辖范围内")
		}
	}
	if ok, err := org.RegionExists(ctx, tx, after.RegionCode); err != nil || !ok {
		return firstErr(err, apperr.Field("region_code", "行政区划代码「"+after.RegionCode+"」不存在"))
	}
	if after.CreditCode != before.CreditCode {
		var taken int
		if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM enterprises WHERE credit_code = ? AND unit_id <> ?", after.CreditCode, before.UnitID).Scan(&taken); err != nil {
			return err
		}
		if taken > 0 {
			return apperr.Field("credit_code", "统一社会信用代码 "+after.CreditCode+" 已被其他企业登记")
		}
	}
	return nil
}

// holdsBoth reports whether a is a 安委办 whose region subtree holds both
// codes (the office of the city above two counties, say).
func holdsBoth(a *org.Actor, from, to string) bool {
	if !slices.Contains(a.Roles, org.RoleOffice) {
		return false
	}
	if a.Scope.All {
		return true
	}
	for _, r := range a.Scope.Regions {
		if strings.HasPrefix(from, r) && strings.HasPrefix(to, r) {
			return true
		}
	}
	return false
}

// follow moves the records of the followers to the enterprise's new region.
func (s *Service) follow(ctx context.Context, tx *store.Tx, unitID int64, from, to string) (map[string]int, error) {
	if from == to {
		return map[string]int{}, nil
	}
	return s.hooks.follow(ctx, tx, unitID, to)
}
