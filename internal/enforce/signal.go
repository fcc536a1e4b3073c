package enforce

import (
	"context"

	"anwei/internal/calendar"
	"anwei/internal/store"
)

// Violations12m is the class input 近12个月违法行为 (enterprise.Violations12m):
// the penalties decided on each enterprise in the last 12 months — a decided
// fine, on the spot or not, and a daily count's decision; not a waived
// case (不予处罚) nor a revoked decision (a changed one still counts). It runs in the reclassifying
// transaction, so a decision counts in the step that makes it.
func (s *Service) Violations12m(ctx context.Context, tx *store.Tx, ids []int64) (map[int64]int, error) {
	from := s.clock.Now().AddDate(-1, 0, 0)
	w, args := "decided_on > ? AND waived = FALSE AND revoke_kind <> 'revoked'", []any{calendar.Local(from).Format(day)}
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

// AgeOut reclassifies the enterprises whose penalties left the 12 months of
// 近12个月违法行为 in the last week (the scheduler's hourly sweep, a week
// back to cover a server that was down). Reclassifying again changes
// nothing, so a restart or a second server running it does no harm.
func (s *Service) AgeOut(ctx context.Context) (int, error) {
	now := s.clock.Now()
	left := calendar.Local(now.AddDate(-1, 0, 0)).Format(day) // Violations12m counts decided_on after this day
	from := calendar.Local(now.AddDate(-1, 0, -7)).Format(day)
	rows, err := s.db.Query(ctx, "SELECT DISTINCT enterprise_id FROM enforce_cases WHERE decided_on > ? AND decided_on <= ? ORDER BY enterprise_id", from, left)
	ids, err := store.Collect(rows, err, store.Value[int64])
	if err != nil {
		return 0, err
	}
	for _, id := range ids {
		if err := s.db.Tx(ctx, func(tx *store.Tx) error { return s.ents.Reclass(ctx, tx, id) }); err != nil {
			return 0, err
		}
	}
	return len(ids), nil
}
