package store

import (
	"context"
	"fmt"
	"sync"
)

// Ids for rows a PostgreSQL server inserts late (Tx.AddID): each server
// takes a block of a table's sequence at a time — one round trip for
// idBlock rows — and hands the ids out in order. Ids then rise within a
// server but not across servers (one server's block may lie below
// another's earlier one), and a block unused at a restart leaves a gap:
// an id orders nothing but a table's rows of one server, and keyset
// pages (paging) need only that ids differ.

const idBlock = 64

// ids are a server's unused ids, by table.
type ids struct {
	mu   sync.Mutex
	free map[string][]int64
}

// next returns the next id of table, taking a new block in t when the
// last is used up. The block's sequence calls commit whatever becomes of
// t (sequences are not transactional) and lock nothing.
func (b *ids) next(ctx context.Context, t *Tx, table string) (int64, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.free[table]) == 0 {
		rows, err := t.Query(ctx, "SELECT nextval(pg_get_serial_sequence(?, 'id')) FROM generate_series(1, ?)", table, idBlock)
		got, err := Collect(rows, err, Value[int64])
		if err != nil {
			return 0, fmt.Errorf("%s ids: %w", table, err)
		}
		if b.free == nil {
			b.free = map[string][]int64{}
		}
		b.free[table] = got
	}
	id := b.free[table][0]
	b.free[table] = b.free[table][1:]
	return id, nil
}
