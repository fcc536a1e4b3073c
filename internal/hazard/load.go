package hazard

import (
	"context"
	"sort"
	"time"

	"anwei/internal/calendar"
	"anwei/internal/store"
)

// Loaded is a hazard as a bulk load writes it: whole, its state, deadline
// and dates already set, without history, photos or listings (the bench's
// generated millions).
type Loaded struct {
	Number, Place, Description, Source, Level, Deadline, Writ string
	UnitID                                                    int64
	Region                                                    string
	State                                                     State
	CreatedAt, UpdatedAt                                      time.Time
	CreatedBy                                                 int64
	ClosedAt, EscalatedAt                                     *time.Time
}

// loadRows hazards make one statement (15 parameters each: 15,000, under
// SQLite's 32766 and PostgreSQL's 65535).
const loadRows = 1000

// LoadCounts are loaded hazards' counts, by year, enterprise and source,
// and by month (the trend's), until WriteCounts adds them to
// hazard_counts and hazard_month_counts.
type LoadCounts struct {
	sums    map[countKey]*counts
	regions map[countKey]string
	months  map[monthKey]monthCounts
}

// Load writes hazards in tx many rows per statement and returns their
// counts, for WriteCounts once every batch is in: the counts of a
// generated world are written once, in key order, not rewritten with
// every batch (each batch touches nearly every enterprise's row). It
// audits nothing and numbers nothing (the numbers are given). A caller
// adds a batch's counts only after its transaction committed, so a
// retried batch is not counted twice.
func Load(ctx context.Context, tx *store.Tx, hs []Loaded) (LoadCounts, error) {
	lc := LoadCounts{sums: map[countKey]*counts{}, regions: map[countKey]string{}, months: map[monthKey]monthCounts{}}
	for len(hs) > 0 {
		n := min(len(hs), loadRows)
		if err := load(ctx, tx, hs[:n], lc); err != nil {
			return LoadCounts{}, err
		}
		hs = hs[n:]
	}
	return lc, nil
}

// Add adds o's counts to c's.
func (c *LoadCounts) Add(o LoadCounts) {
	if c.sums == nil {
		c.sums, c.regions, c.months = map[countKey]*counts{}, map[countKey]string{}, map[monthKey]monthCounts{}
	}
	for k, d := range o.months {
		m := c.months[k]
		for i := range m {
			m[i] += d[i]
		}
		c.months[k] = m
	}
	for k, d := range o.sums {
		s := c.sums[k]
		if s == nil {
			s = new(counts)
			c.sums[k], c.regions[k] = s, o.regions[k]
		}
		for i := range s {
			s[i] += d[i]
		}
	}
}

type countKey struct {
	year   int
	unit   int64
	source string
}

func load(ctx context.Context, tx *store.Tx, hs []Loaded, lc LoadCounts) error {
	const cols = 15
	args := make([]any, 0, len(hs)*cols)
	for _, h := range hs {
		var closed, escalated any
		if h.ClosedAt != nil {
			closed = *h.ClosedAt
		}
		if h.EscalatedAt != nil {
			escalated = *h.EscalatedAt
		}
		args = append(args, h.Number, h.UnitID, h.Region, h.Place, h.Description, h.Source, h.Level, h.Deadline, h.Writ, string(h.State),
			h.CreatedAt, h.CreatedBy, h.UpdatedAt, closed, escalated)
		k := countKey{calendar.Local(h.CreatedAt).Year(), h.UnitID, h.Source}
		c := lc.sums[k]
		if c == nil {
			c = new(counts)
			lc.sums[k], lc.regions[k] = c, h.Region
		}
		d := countsOf(h.Level, h.State != Closed)
		for i := range c {
			c[i] += d[i]
		}
		k1 := monthKey{monthOf(h.CreatedAt), h.UnitID, h.Source, h.Region}
		m := lc.months[k1]
		m[0]++
		if h.Level == Major {
			m[1]++
		}
		lc.months[k1] = m
		if h.ClosedAt != nil { // the trend counts 销号 by its time, whatever the state says
			k2 := monthKey{monthOf(*h.ClosedAt), h.UnitID, h.Source, h.Region}
			m := lc.months[k2]
			m[2]++
			lc.months[k2] = m
		}
	}
	_, err := tx.Exec(ctx, `INSERT INTO hazards (number, unit_id, region_code, place, description, source, level, deadline, writ, state,
		created_at, created_by, updated_at, closed_at, escalated_at) VALUES `+store.Tuples(cols, len(hs)), args...)
	return err
}

// WriteCounts adds loaded hazards' counts to hazard_counts and
// hazard_month_counts in tx, in tally's key order, through writeCounts
// (each key once: PostgreSQL updates a row at most once per statement).
func WriteCounts(ctx context.Context, tx *store.Tx, lc LoadCounts) error {
	keys := make([]countKey, 0, len(lc.sums))
	for k := range lc.sums {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { // the lock order of tally's rows: year, enterprise, source
		a, b := keys[i], keys[j]
		if a.year != b.year {
			return a.year < b.year
		}
		if a.unit != b.unit {
			return a.unit < b.unit
		}
		return a.source < b.source
	})
	yargs := make([]any, 0, len(keys)*9)
	for _, k := range keys {
		c := lc.sums[k]
		yargs = append(yargs, k.year, k.unit, k.source, lc.regions[k], c[0], c[1], c[2], c[3], c[4])
	}
	var margs []any
	for _, k := range sortedMonths(lc.months) {
		c := lc.months[k]
		margs = append(margs, k.month, k.unit, k.source, k.region, c[0], c[1], c[2])
	}
	return writeCounts(ctx, tx, yargs, margs)
}
