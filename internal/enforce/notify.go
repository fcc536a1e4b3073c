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
	if err := s.caseTodoStates(ctx, occasions, out); err != nil {
		return nil, err
	}
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

// caseTodoStates reads the live state of the cases of to-dos
// ("enforce:case:<id>:…"): 案件已送达, 案件已缴纳, ….
func (s *Service) caseTodoStates(ctx context.Context, occasions []string, out map[string]string) error {
	ids, by := inbox.OccasionIDs("enforce:case:", occasions)
	if len(ids) == 0 {
		return nil
	}
	in, args := store.InIDs("id", ids)
	rows, err := s.db.Query(ctx, "SELECT id, state FROM enforce_cases WHERE "+in, args...)
	return store.Each(rows, err, func(r store.Scanner) error {
		var id int64
		var state string
		if err := r.Scan(&id, &state); err != nil {
			return err
		}
		for _, o := range by[id] {
			out[o] = "案件" + codes.NameOf(CaseStates, state)
		}
		return nil
	})
}
