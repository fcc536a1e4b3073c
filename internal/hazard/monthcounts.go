package hazard

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"anwei/internal/calendar"
	"anwei/internal/store"
)

// The trend's counts (hazard_month_counts): per Shanghai month,
// enterprise, source and region, the hazards reported in the month, of
// those the major ones, and the hazards closed (销号) in the month. They
// are kept by tally with hazard_counts, in the same transaction, and by
// the bulk loader; the region follows the hazards (FollowEnterprise).

// monthOf is the Shanghai month of t ("2026-03").
func monthOf(t time.Time) string { return calendar.Local(t).Format("2006-01") }

// monthCounts is what hazards add to a month's row: reported, major, closed.
type monthCounts [3]int

// monthKey is a row of hazard_month_counts.
type monthKey struct {
	month  string
	unit   int64
	source string
	region string
}

// monthUpsert adds a row's counts (excluded) to the stored row's.
const monthUpsert = ` ON CONFLICT (month, unit_id, source, region_code) DO UPDATE SET reported = hazard_month_counts.reported + excluded.reported,
	major = hazard_month_counts.major + excluded.major, closed = hazard_month_counts.closed + excluded.closed`

func addMonth(ctx context.Context, tx *store.Tx, k monthKey, c monthCounts) error {
	_, err := tx.Exec(ctx, upsertMonths(1), k.month, k.unit, k.source, k.region, c[0], c[1], c[2])
	return err
}

// followMonths moves the month counts of an enterprise's open hazards
// leaving for region (before FollowEnterprise moves the hazards): their
// reports, by month and source, from the rows of the region they were in
// to the new region's. Closed hazards stay, with their counts.
func followMonths(ctx context.Context, tx *store.Tx, unitID int64, region string) error {
	type row struct {
		created      time.Time
		source, from string
		level        string
	}
	rows, err := tx.Query(ctx, "SELECT created_at, source, region_code, level FROM hazards WHERE unit_id = ? AND state <> 'closed' AND region_code <> ?", unitID, region)
	found, err := store.Collect(rows, err, func(r store.Scanner) (row, error) {
		var x row
		err := r.Scan(&x.created, &x.source, &x.from, &x.level)
		return x, err
	})
	if err != nil {
		return err
	}
	moves := map[monthKey]monthCounts{}
	for _, x := range found {
		c := monthCounts{1, 0, 0}
		if x.level == Major {
			c[1] = 1
		}
		from := monthKey{monthOf(x.created), unitID, x.source, x.from}
		to := from
		to.region = region
		m, n := moves[from], moves[to]
		for i := range c {
			m[i] -= c[i]
			n[i] += c[i]
		}
		moves[from], moves[to] = m, n
	}
	for _, k := range sortedMonths(moves) {
		if err := addMonth(ctx, tx, k, moves[k]); err != nil {
			return err
		}
	}
	return nil
}

// sortedMonths are m's keys in the table's order (rows written in one
// order by every writer, as WriteCounts does).
func sortedMonths(m map[monthKey]monthCounts) []monthKey {
	keys := make([]monthKey, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b monthKey) int {
		return cmp.Or(strings.Compare(a.month, b.month), cmp.Compare(a.unit, b.unit), strings.Compare(a.source, b.source), strings.Compare(a.region, b.region))
	})
	return keys
}
