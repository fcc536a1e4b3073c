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
	for _, k := range []struct {
		prefix, table, word string
		states              []codes.Choice
	}{
		{"enforce:case:", "enforce_cases", "案件", CaseStates},
		{"enforce:escalation:", "enforce_escalations", "", EscalationStates},
		{"enforce:publication:", "enforce_publications", "", PublicationStates},
	} {
		if err := s.stateTodos(ctx, occasions, k.prefix, k.table, k.word, k.states, out); err != nil {
			return nil, err
		}
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

// stateTodos reads the live state of the records of to-dos under prefix
// ("enforce:case:<id>:…" → 案件已送达; an escalation's 已办理; a
// publication's 已公示) from table's state column.
func (s *Service) stateTodos(ctx context.Context, occasions []string, prefix, table, word string, states []codes.Choice, out map[string]string) error {
	ids, by := inbox.OccasionIDs(prefix, occasions)
	if len(ids) == 0 {
		return nil
	}
	in, args := store.InIDs("id", ids)
	var q string
	switch table { // the table named in full, for the ownership scan
	case "enforce_cases":
		q = "SELECT id, state FROM enforce_cases WHERE "
	case "enforce_escalations":
		q = "SELECT id, state FROM enforce_escalations WHERE "
	default:
		q = "SELECT id, state FROM enforce_publications WHERE "
	}
	rows, err := s.db.Query(ctx, q+in, args...)
	return store.Each(rows, err, func(r store.Scanner) error {
		var id int64
		var state string
		if err := r.Scan(&id, &state); err != nil {
			return err
		}
		for _, o := range by[id] {
			out[o] = word + codes.NameOf(states, state)
		}
		return nil
	})
}
