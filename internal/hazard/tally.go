package hazard

import (
	"cmp"
	"context"
	"maps"
	"slices"
	"strings"
	"time"

	"anwei/internal/calendar"
	"anwei/internal/store"
)

// The figures (hazard_counts) and the trend's counts (hazard_month_counts)
// are rows that every change of an enterprise's hazards moves: on
// PostgreSQL, where several groups of reports commit at once, the row
// locked when moved stays locked until the commit. So tally only adds up
// what a transaction moves (in its memo) and flushTallies writes the sums
// just before it commits, in key order, once for a whole group. Whatever
// reads or rewrites those rows inside a transaction flushes first — then
// two transactions may lock rows in opposite orders, and the deadlock
// PostgreSQL ends is run again (store.DB.Tx).

const tallyMemo = "hazard.tally"

// yearKey is a row of hazard_counts; region is the one a new row is made
// with (the row's key is year, enterprise and source).
type yearKey struct {
	year   int
	unit   int64
	source string
}

// tallies is what a transaction has moved and not yet written.
type tallies struct {
	years   map[yearKey]counts
	regions map[yearKey]string
	months  map[monthKey]monthCounts
}

// tally adds d to the counts of h's enterprise, year reported and source,
// and to its month counts: reported and major to the month h was reported
// in, closed to closedAt's month (the closing for a close, the closing
// undone for a reopening; zero for none: a hazard closed without a time
// was never in a month's closed count). Every change that moves a hazard
// between levels or between open and closed tallies in the same
// transaction; the rows are written at its commit (flushTallies).
func tally(ctx context.Context, tx *store.Tx, h Hazard, d counts, closedAt time.Time) error {
	if d == (counts{}) {
		return nil
	}
	// A copy each time: under group commit a failed function's memo is put
	// back, and what it tallied must go with it.
	var t tallies
	if m, ok := tx.Memo(tallyMemo); ok {
		old := m.(tallies)
		t = tallies{maps.Clone(old.years), maps.Clone(old.regions), maps.Clone(old.months)}
	} else {
		t = tallies{map[yearKey]counts{}, map[yearKey]string{}, map[monthKey]monthCounts{}}
	}
	yk := yearKey{calendar.Local(h.CreatedAt).Year(), h.UnitID, h.Source}
	c := t.years[yk]
	for i := range c {
		c[i] += d[i]
	}
	t.years[yk] = c
	if _, ok := t.regions[yk]; !ok {
		t.regions[yk] = h.Region
	}
	addTo := func(k monthKey, add monthCounts) {
		m := t.months[k]
		for i := range m {
			m[i] += add[i]
		}
		t.months[k] = m
	}
	if d[0] != 0 || d[2] != 0 {
		addTo(monthKey{monthOf(h.CreatedAt), h.UnitID, h.Source, h.Region}, monthCounts{d[0], d[2], 0})
	}
	if d[1] != 0 && !closedAt.IsZero() {
		addTo(monthKey{monthOf(closedAt), h.UnitID, h.Source, h.Region}, monthCounts{0, 0, d[1]})
	}
	tx.SetMemo(tallyMemo, t)
	tx.BeforeCommit(tallyMemo, func(ctx context.Context) error { return flushTallies(ctx, tx) })
	return nil
}

// flushTallies writes what tx has tallied, in key order, and forgets it.
func flushTallies(ctx context.Context, tx *store.Tx) error {
	m, ok := tx.Memo(tallyMemo)
	if !ok {
		return nil
	}
	t := m.(tallies)
	tx.SetMemo(tallyMemo, tallies{map[yearKey]counts{}, map[yearKey]string{}, map[monthKey]monthCounts{}})
	years := slices.SortedFunc(maps.Keys(t.years), func(a, b yearKey) int {
		return cmp.Or(cmp.Compare(a.year, b.year), cmp.Compare(a.unit, b.unit), strings.Compare(a.source, b.source))
	})
	var yargs, margs []any
	for _, k := range years {
		if d := t.years[k]; d != (counts{}) {
			yargs = append(yargs, k.year, k.unit, k.source, t.regions[k], d[0], d[1], d[2], d[3], d[4])
		}
	}
	for _, k := range sortedMonths(t.months) {
		if c := t.months[k]; c != (monthCounts{}) {
			margs = append(margs, k.month, k.unit, k.source, k.region, c[0], c[1], c[2])
		}
	}
	return writeCounts(ctx, tx, yargs, margs)
}

// writeCounts adds to hazard_counts (yargs: 9 values a row, in key order)
// and hazard_month_counts (margs: 7 a row), up to tallyRows rows a
// statement. On PostgreSQL, when each fits in one, they go in one
// statement (a writing WITH): the rows stay locked until the commit, and
// every round trip while they are counts.
func writeCounts(ctx context.Context, tx *store.Tx, yargs, margs []any) error {
	if tx.Dialect == store.Postgres && len(yargs) > 0 && len(margs) > 0 && len(yargs)/9 <= tallyRows && len(margs)/7 <= tallyRows {
		// PostgreSQL runs the WITH after the statement: years, then months,
		// as everywhere else (the lock order).
		_, err := tx.Exec(ctx, "WITH m AS ("+upsertMonths(len(margs)/7)+") "+upsertYears(len(yargs)/9), append(margs, yargs...)...)
		return err
	}
	for len(yargs) > 0 {
		n := min(len(yargs)/9, tallyRows)
		if _, err := tx.Exec(ctx, upsertYears(n), yargs[:9*n]...); err != nil {
			return err
		}
		yargs = yargs[9*n:]
	}
	for len(margs) > 0 {
		n := min(len(margs)/7, tallyRows)
		if _, err := tx.Exec(ctx, upsertMonths(n), margs[:7*n]...); err != nil {
			return err
		}
		margs = margs[7*n:]
	}
	return nil
}

// tallyRows is the most count rows one statement writes.
const tallyRows = 500

// upsertYears adds n rows' counts to hazard_counts (9 values a row).
func upsertYears(n int) string {
	return `INSERT INTO hazard_counts (year, unit_id, source, region_code, reported, closed, major, major_closed, open_major) VALUES ` +
		store.Tuples(9, n) + ` ON CONFLICT (year, unit_id, source) DO UPDATE SET ` + countsUpdate
}

// upsertMonths adds n rows' counts to hazard_month_counts (7 values a row).
func upsertMonths(n int) string {
	return `INSERT INTO hazard_month_counts (month, unit_id, source, region_code, reported, major, closed) VALUES ` +
		store.Tuples(7, n) + monthUpsert
}
