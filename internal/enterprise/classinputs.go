package enterprise

import (
	"context"

	"anwei/internal/store"
)

// classInputs gathers the class inputs of recs inside tx — of every
// enterprise when all is set — with one query per input, not one per
// enterprise: a new rule reclassifies a registry of hundreds of thousands.
func (s *Service) classInputs(ctx context.Context, tx *store.Tx, recs []*Enterprise, all bool) (map[int64]Inputs, error) {
	var ids []int64
	if !all {
		for _, e := range recs {
			ids = append(ids, e.UnitID)
		}
	}
	majors, err := s.hooks.signal(ctx, tx, OpenMajorHazards, ids)
	if err != nil {
		return nil, err
	}
	violations, err := s.hooks.signal(ctx, tx, Violations12m, ids)
	if err != nil {
		return nil, err
	}
	in, inArgs := store.InIDs("unit_id", ids)
	grades := map[int64]string{}
	if err := eachPair(ctx, tx, `SELECT unit_id, MIN(CASE grade WHEN '一级' THEN 1 WHEN '二级' THEN 2 WHEN '三级' THEN 3 WHEN '四级' THEN 4 END)
		FROM installations WHERE major = TRUE AND `+in+` GROUP BY unit_id`, inArgs, func(id int64, g int) {
		grades[id] = map[int]string{1: "一级", 2: "二级", 3: "三级", 4: "四级"}[g]
	}); err != nil {
		return nil, err
	}
	today := s.today()
	listed := map[int64]bool{}
	if err := eachPair(ctx, tx, `SELECT unit_id, COUNT(*) FROM credit_listings WHERE repaired_on IS NULL AND listed_on <= ? AND ends_on > ? AND `+in+
		` GROUP BY unit_id`, append([]any{today, today}, inArgs...), func(id int64, n int) { listed[id] = n > 0 }); err != nil {
		return nil, err
	}
	out := make(map[int64]Inputs, len(recs))
	for _, e := range recs {
		out[e.UnitID] = Inputs{Categories: e.Categories, StdLevel: e.StdLevel, OpenMajorHazards: majors[e.UnitID],
			Violations12m: violations[e.UnitID], MajorGrade: grades[e.UnitID], Blacklisted: listed[e.UnitID]}
	}
	return out, nil
}

// eachPair runs a query of (unit_id, number) rows inside tx.
func eachPair(ctx context.Context, tx *store.Tx, q string, args []any, fn func(int64, int)) error {
	rows, err := tx.Query(ctx, q, args...)
	return store.Each(rows, err, func(r store.Scanner) error {
		var id int64
		var n *int
		if err := r.Scan(&id, &n); err != nil {
			return err
		}
		if n != nil {
			fn(id, *n)
		}
		return nil
	})
}
