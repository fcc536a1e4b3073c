package risk

import (
	"context"

	"anwei/internal/store"
)

// FollowEnterprise moves an enterprise's risk points to the region it moved
// to (enterprise.Follower): they describe the enterprise as it is now.
func (s *Service) FollowEnterprise(ctx context.Context, tx *store.Tx, unitID int64, region string) (map[string]int, error) {
	res, err := tx.Exec(ctx, "UPDATE risk_points SET region_code = ? WHERE unit_id = ? AND region_code <> ?", region, unitID, region)
	if err != nil {
		return nil, err
	}
	n, err := res.RowsAffected()
	return map[string]int{"risk_points": int(n)}, err
}
