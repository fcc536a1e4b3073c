package enforce

import (
	"context"

	"anwei/internal/store"
)

// FollowEnterprise moves an enterprise's planned inspections to the region
// it moved to (enterprise.Follower): the new county's office sees what is
// scheduled there. Inspections carried out stay where they were held.
func (s *Service) FollowEnterprise(ctx context.Context, tx *store.Tx, unitID int64, region string) (map[string]int, error) {
	res, err := tx.Exec(ctx, "UPDATE enforce_inspections SET region_code = ? WHERE enterprise_id = ? AND state = 'planned' AND region_code <> ?",
		region, unitID, region)
	if err != nil {
		return nil, err
	}
	n, err := res.RowsAffected()
	return map[string]int{"enforce_inspections": int(n)}, err
}
