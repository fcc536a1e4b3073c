package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
)

// Batch runs multi-row statements (head VALUES tuple, tuple, … tail) in a
// transaction, preparing each shape once: a bulk import writes many rows
// per statement, and the packages that own its tables share one Batch.
// Close it before the transaction ends.
type Batch struct {
	tx    *Tx
	stmts map[string]*sql.Stmt
}

// Batch returns a Batch of the transaction.
func (t *Tx) Batch() *Batch { return &Batch{tx: t, stmts: map[string]*sql.Stmt{}} }

// Tx is the transaction the batch writes in.
func (b *Batch) Tx() *Tx { return b.tx }

// Exec runs head VALUES tuple×n tail with args (n tuples' worth); n = 0
// does nothing.
func (b *Batch) Exec(ctx context.Context, head, tuple, tail string, n int, args []any) error {
	if n == 0 {
		return nil
	}
	key := head + "|" + tail + "|" + strconv.Itoa(n)
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

// Close closes the prepared statements.
func (b *Batch) Close() {
	for _, st := range b.stmts {
		st.Close()
	}
	clear(b.stmts)
}
