package enterprise

import (
	"context"
	"strings"

	"anwei/internal/org"
	"anwei/internal/store"
)

// batch writes a bulk import's new enterprises many rows per statement: the
// units (with ids reserved up front, through org), the records, their
// categories and their supervisions (through org). One statement per row
// and table costs four times as much; the import's rows/s figure rests on
// this.
type batch struct {
	sql   *store.Batch
	units *org.UnitWriter
	recs  []*Enterprise
	sups  [][2]int64
	// The rows, kept from flush to flush: fresh slices for them fed the
	// collector.
	unitBuf []org.EnterpriseUnit
	cats    []category
}

// category is a row of enterprise_categories.
type category struct {
	id       int64
	category string
}

// recordCols are the columns of enterprises a new record fills.
var recordCols = []string{"unit_id", "name", "credit_code", "region_code", "address", "grid", "industry_code", "categories", "scale",
	"legal_rep", "principal", "principal_phone", "safety_manager", "safety_phone", "staff", "safety_engineers", "std_level", "insurer",
	"policy_no", "policy_expires", "status", "class", "class_score", "class_reason", "major_grade", "created_at", "updated_at"}

// batchRows is how many enterprises a flush writes (on SQLite in
// statements of 1,000 rows, under its 32,766 parameters; on PostgreSQL one
// COPY per table).
const batchRows = 4096

func newBatch(ctx context.Context, tx *store.Tx) (*batch, error) {
	b := &batch{sql: tx.Batch()}
	var err error
	if b.units, err = org.NewUnitWriter(ctx, b.sql); err != nil {
		b.sql.Close()
		return nil, err
	}
	return b, nil
}

func (b *batch) close() { b.sql.Close() }

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
	ids, err := b.units.Reserve(ctx, len(b.recs))
	if err != nil {
		return err
	}
	units, cats := b.unitBuf[:0], b.cats[:0]
	for i, e := range b.recs {
		e.UnitID = ids[i]
		units = append(units, org.EnterpriseUnit{ID: e.UnitID, Name: e.Name, Region: e.RegionCode, CreatedAt: e.CreatedAt, UpdatedAt: e.UpdatedAt})
		for _, c := range e.Categories {
			cats = append(cats, category{e.UnitID, c})
		}
	}
	b.unitBuf, b.cats = units, cats
	if err := b.units.InsertEnterprises(ctx, units); err != nil {
		return err
	}
	recs := b.recs
	if err := b.sql.Copy(ctx, "enterprises", recordCols, len(recs), func(i int, dst []any) []any {
		e := recs[i]
		// Integers as int64, which both drivers pass on as they are
		// (an int goes through reflection).
		return append(dst, e.UnitID, e.Name, e.CreditCode, e.RegionCode, e.Address, e.Grid, e.IndustryCode,
			strings.Join(e.Categories, ","), e.Scale, e.LegalRep, e.Principal, e.PrincipalPhone, e.SafetyManager, e.SafetyPhone, int64(e.Staff),
			int64(e.SafetyEngineers), e.StdLevel, e.Insurer, e.PolicyNo, e.PolicyExpires, e.Status, e.Class, int64(e.ClassScore), e.ClassReason,
			"", e.CreatedAt, e.UpdatedAt)
	}); err != nil {
		return err
	}
	if err := b.sql.Copy(ctx, "enterprise_categories", []string{"unit_id", "category"}, len(cats), func(i int, dst []any) []any {
		return append(dst, cats[i].id, cats[i].category)
	}); err != nil {
		return err
	}
	for i, s := range b.sups {
		b.sups[i][1] = b.recs[s[1]].UnitID
	}
	if err := b.units.AddNewSupervisions(ctx, b.sups); err != nil {
		return err
	}
	b.recs, b.sups = b.recs[:0], b.sups[:0]
	return nil
}
