package enforce

import (
	"context"

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
	res, err := tx.Exec(ctx, `INSERT INTO enforce_counts (enterprise_id, year, kind, n) VALUES (?, ?, ?, 1)
		ON CONFLICT (enterprise_id, year, kind) DO UPDATE SET n = enforce_counts.n + 1 WHERE enforce_counts.n < ?`,
		enterpriseID, year, kind, limit)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// counted is an enterprise's inspections of a kind in year so far.
func counted(ctx context.Context, q querier, enterpriseID int64, year int, kind string) (int, error) {
	var n int
	err := q.QueryRow(ctx, "SELECT COALESCE(MAX(n), 0) FROM enforce_counts WHERE enterprise_id = ? AND year = ? AND kind = ?",
		enterpriseID, year, kind).Scan(&n)
	return n, err
}
