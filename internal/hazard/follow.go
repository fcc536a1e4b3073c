package hazard

import (
	"context"

	"anwei/internal/store"
)

// FollowEnterprise moves an enterprise's open hazards to the region it moved
// to (enterprise.Follower), so the new territory and its departments take
// them over; closed hazards stay where they were handled. The enterprise's
// figures (hazard_counts, one row per enterprise, year and source) go with
// it, since every later change of its hazards is counted there.
func (s *Service) FollowEnterprise(ctx context.Context, tx *store.Tx, unitID int64, region string) (map[string]int, error) {
	if err := flushTallies(ctx, tx); err != nil {
		return nil, err
	}
	if err := followMonths(ctx, tx, unitID, region); err != nil { // the trend's counts go with the hazards
		return nil, err
	}
	res, err := tx.Exec(ctx, "UPDATE hazards SET region_code = ? WHERE unit_id = ? AND state <> 'closed' AND region_code <> ?", region, unitID, region)
	if err != nil {
		return nil, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return nil, err
	}
	if _, err := tx.Exec(ctx, "UPDATE hazard_counts SET region_code = ? WHERE unit_id = ?", region, unitID); err != nil {
		return nil, err
	}
	return map[string]int{"open_hazards": int(n)}, nil
}
