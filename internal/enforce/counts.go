package enforce

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"anwei/internal/store"
)

// noCap is the cap of a kind no table limits (case inspections).
const noCap = 1 << 30

// take counts one inspection of kind for an enterprise in year, within
// limit: false when the enterprise is at it. The count is one row per
// enterprise, year and kind (enforce_counts), raised by a conditional
// upsert, so two writers — two departments' draws, a draw and a plan's
// publication, two clerks recording 督导检查 — can never pass a cap
// together: on PostgreSQL the second waits for the first's row and sees
// its count.
func take(ctx context.Context, tx *store.Tx, enterpriseID int64, year int, kind string, limit int) (bool, error) {
	if limit <= 0 {
		return false, nil
	}
	res, err := tx.Exec(ctx, `INSERT INTO enforce_counts (enterprise_id, year, kind, n, cap) VALUES (?, ?, ?, 1, ?)
		ON CONFLICT (enterprise_id, year, kind) DO UPDATE SET n = enforce_counts.n + 1, cap = excluded.cap WHERE enforce_counts.n < excluded.cap`,
		enterpriseID, year, kind, limit)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// Taking is one inspection to count for an enterprise, within its limit.
type Taking struct {
	Enterprise int64
	Limit      int
}

// takeAll is take for many enterprises, each once, in statements of up to
// 500 rows (a draw's picks): the ids taken, in no order.
func takeAll(ctx context.Context, tx *store.Tx, year int, kind string, ts []Taking) (map[int64]bool, error) {
	// In id order: two writers over the same enterprises lock their rows
	// in one order and never deadlock.
	ts = slices.Clone(ts)
	slices.SortFunc(ts, func(a, b Taking) int { return cmp.Compare(a.Enterprise, b.Enterprise) })
	out := map[int64]bool{}
	for start := 0; start < len(ts); start += 500 {
		var vals []string
		var args []any
		for _, t := range ts[start:min(start+500, len(ts))] {
			if t.Limit > 0 {
				vals = append(vals, "(?, ?, ?, 1, ?)")
				args = append(args, t.Enterprise, year, kind, t.Limit)
			}
		}
		if len(vals) == 0 {
			continue
		}
		rows, err := tx.ExecRows(ctx, `INSERT INTO enforce_counts (enterprise_id, year, kind, n, cap) VALUES `+strings.Join(vals, ", ")+`
			ON CONFLICT (enterprise_id, year, kind) DO UPDATE SET n = enforce_counts.n + 1, cap = excluded.cap WHERE enforce_counts.n < excluded.cap
			RETURNING enterprise_id`, args...)
		if err := store.Each(rows, err, func(r store.Scanner) error {
			var id int64
			err := r.Scan(&id)
			out[id] = true
			return err
		}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// counted is an enterprise's inspections of a kind in year so far.
func counted(ctx context.Context, q querier, enterpriseID int64, year int, kind string) (int, error) {
	var n int
	err := q.QueryRow(ctx, "SELECT COALESCE(MAX(n), 0) FROM enforce_counts WHERE enterprise_id = ? AND year = ? AND kind = ?",
		enterpriseID, year, kind).Scan(&n)
	return n, err
}
