package enforce

import (
	"context"

	"anwei/internal/codes"
	"anwei/internal/inbox"
	"anwei/internal/store"
)

// TodoStates is the live state of the inspections of to-dos (inbox.Resolver,
// declared in app's wiring): an officer's task reads 已批准待检查, 检查中 or
// 已完成 as it goes.
func (s *Service) TodoStates(ctx context.Context, today string, occasions []string) (map[string]string, error) {
	out := map[string]string{}
	ids, by := inbox.OccasionIDs("enforce:", occasions)
	if len(ids) == 0 {
		return out, nil
	}
	in, args := store.InIDs("id", ids)
	rows, err := s.db.Query(ctx, "SELECT id, state FROM enforce_inspections WHERE "+in, args...)
	err = store.Each(rows, err, func(r store.Scanner) error {
		var id int64
		var state string
		if err := r.Scan(&id, &state); err != nil {
			return err
		}
		for _, o := range by[id] {
			out[o] = "检查任务" + codes.NameOf(States, state)
		}
		return nil
	})
	return out, err
}
