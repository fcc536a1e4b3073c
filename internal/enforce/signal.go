package enforce

import (
	"context"

	"anwei/internal/calendar"
	"anwei/internal/store"
)

// Violations12m is the class input 近12个月违法行为 (enterprise.Violations12m):
// the penalties decided on each enterprise in the last 12 months — a decided
// fine, on the spot or not, and a daily count's decision; not a waived
// case (不予处罚) nor a revoked decision. It runs in the reclassifying
// transaction, so a decision counts in the step that makes it.
func (s *Service) Violations12m(ctx context.Context, tx *store.Tx, ids []int64) (map[int64]int, error) {
	from := s.clock.Now().AddDate(-1, 0, 0)
	w, args := "decided_on > ? AND waived = FALSE AND revoked_on = ''", []any{calendar.Local(from).Format(day)}
	if ids != nil {
		in, inArgs := store.InIDs("enterprise_id", ids)
		w += " AND " + in
		args = append(args, inArgs...)
	}
	rows, err := tx.Query(ctx, "SELECT enterprise_id, COUNT(*) FROM enforce_cases WHERE "+w+" GROUP BY enterprise_id", args...)
	out := map[int64]int{}
	err = store.Each(rows, err, func(r store.Scanner) error {
		var id int64
		var n int
		if err := r.Scan(&id, &n); err != nil {
			return err
		}
		out[id] = n
		return nil
	})
	return out, err
}
