package enterprise

import (
	"context"
	"database/sql"
	"strings"

	"anwei/internal/org"
	"anwei/internal/store"
)

// batch writes a bulk import's new enterprises many rows per statement: the
// units (with ids reserved up front), the records, their categories and
// their supervisions. One statement per row and table costs four times as
// much; the import's rows/s figure rests on this.
type batch struct {
	tx     *store.Tx
	recs   []*Enterprise
	sups   [][2]int64
	nextID int64 // SQLite: the next free unit id (one writer holds the database)
	stmts  map[string]*sql.Stmt
}

// batchRows is how many enterprises one statement writes (26 parameters each:
// 26,000, under SQLite's 32766 and PostgreSQL's 65535).
const batchRows = 1000

func newBatch(ctx context.Context, tx *store.Tx) (*batch, error) {
	b := &batch{tx: tx, stmts: map[string]*sql.Stmt{}}
	if tx.Dialect != store.Postgres {
		if err := tx.QueryRow(ctx, "SELECT COALESCE(MAX(id), 0) + 1 FROM units").Scan(&b.nextID); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// reserve hands out n unit ids.
func (b *batch) reserve(ctx context.Context, n int) ([]int64, error) {
	out := make([]int64, 0, n)
	if b.tx.Dialect != store.Postgres {
		for i := 0; i < n; i++ {
			out = append(out, b.nextID)
			b.nextID++
		}
		return out, nil
	}
	rows, err := b.tx.Query(ctx, "SELECT nextval(pg_get_serial_sequence('units', 'id')) FROM generate_series(1, ?)", n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// exec runs head VALUES tuple×n tail, preparing each shape once.
func (b *batch) exec(ctx context.Context, head, tuple, tail string, n int, args []any) error {
	if n == 0 {
		return nil
	}
	key := head + "|" + strings.Repeat("x", n)
	st, ok := b.stmts[key]
	if !ok {
		q := head + " VALUES " + strings.TrimSuffix(strings.Repeat(tuple+",", n), ",") + " " + tail
		var err error
		if st, err = b.tx.Prepare(ctx, q); err != nil {
			return err
		}
		b.stmts[key] = st
	}
	_, err := st.ExecContext(ctx, args...)
	return err
}

func (b *batch) close() {
	for _, st := range b.stmts {
		st.Close()
	}
}

// add queues a new enterprise (class and categories already set) with the
// departments that supervise it.
func (b *batch) add(ctx context.Context, e *Enterprise, depts []int64) error {
	b.recs = append(b.recs, e)
	for _, d := range depts {
		b.sups = append(b.sups, [2]int64{d, 0})
		b.sups[len(b.sups)-1][1] = int64(len(b.recs) - 1) // index until the id is known
	}
	if len(b.recs) >= batchRows {
		return b.flush(ctx)
	}
	return nil
}

// flush writes what is queued.
func (b *batch) flush(ctx context.Context) error {
	if len(b.recs) == 0 {
		return nil
	}
	ids, err := b.reserve(ctx, len(b.recs))
	if err != nil {
		return err
	}
	var units, ents, cats []any
	ncat := 0
	for i, e := range b.recs {
		e.UnitID = ids[i]
		level := 0
		switch len(e.RegionCode) {
		case 6:
			level = int(org.LevelCounty)
		case 9:
			level = int(org.LevelTownship)
		}
		units = append(units, e.UnitID, e.Name, level, e.RegionCode, e.CreatedAt, e.UpdatedAt)
		ents = append(ents, e.UnitID, e.Name, e.CreditCode, e.RegionCode, e.Address, e.Grid, e.IndustryCode,
			strings.Join(e.Categories, ","), e.Scale, e.LegalRep, e.Principal, e.PrincipalPhone, e.SafetyManager, e.SafetyPhone, e.Staff,
			e.SafetyEngineers, e.StdLevel, e.Insurer, e.PolicyNo, e.PolicyExpires, e.Status, e.Class, e.ClassScore, e.ClassReason,
			e.CreatedAt, e.UpdatedAt)
		for _, c := range e.Categories {
			cats = append(cats, e.UnitID, c)
			ncat++
		}
	}
	n := len(b.recs)
	if err := b.exec(ctx, "INSERT INTO units (id, name, short_name, kind, level, region_code, active, created_at, updated_at)",
		"(?, ?, '', 'enterprise', ?, ?, TRUE, ?, ?)", "", n, units); err != nil {
		return err
	}
	if err := b.exec(ctx, `INSERT INTO enterprises (unit_id, name, credit_code, region_code, address, grid, industry_code, categories,
		scale, legal_rep, principal, principal_phone, safety_manager, safety_phone, staff, safety_engineers, std_level, insurer, policy_no,
		policy_expires, status, class, class_score, class_reason, major_grade, created_at, updated_at)`,
		"(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?)", "", n, ents); err != nil {
		return err
	}
	if err := b.exec(ctx, "INSERT INTO enterprise_categories (unit_id, category)", "(?, ?)", "", ncat, cats); err != nil {
		return err
	}
	var sups []any
	for _, s := range b.sups {
		sups = append(sups, s[0], b.recs[s[1]].UnitID)
	}
	if err := b.exec(ctx, "INSERT INTO supervisions (dept_id, enterprise_id)", "(?, ?)", "ON CONFLICT (dept_id, enterprise_id) DO NOTHING",
		len(b.sups), sups); err != nil {
		return err
	}
	b.recs, b.sups = b.recs[:0], b.sups[:0]
	return nil
}
