package store

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Ids for rows a PostgreSQL server inserts late (Tx.AddID): each server
// takes a block of a table's sequence at a time — one round trip for
// idBlock rows — and hands the ids out in order. A block is used for
// idBlockFor at most and its rest dropped, so that the ids of several
// servers rise together: lists newest first by id (a hazard's) are then
// out of order only among rows made within that second on different
// servers. Dropped ids and a restart leave gaps (a bigint does not run
// out: 64 a second for a century is 2·10¹¹); keyset pages (paging) need
// only that ids differ.

const (
	idBlock    = 64
	idBlockFor = time.Second
)

// ids are a server's unused ids, by table.
type ids struct {
	mu    sync.Mutex
	free  map[string][]int64
	taken map[string]time.Time // when the table's block was taken
}

// next returns the next id of table, taking a new block in t when the
// last is used up. The block's sequence calls commit whatever becomes of
// t (sequences are not transactional) and lock nothing.
func (b *ids) next(ctx context.Context, t *Tx, table string) (int64, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.free[table]) == 0 || time.Since(b.taken[table]) >= idBlockFor {
		rows, err := t.Query(ctx, `SELECT nextval(q.s) FROM (SELECT pg_get_serial_sequence(?, 'id')::regclass AS s OFFSET 0) q,
			generate_series(1, ?)`, table, idBlock)
		got, err := Collect(rows, err, Value[int64])
		if err != nil {
			return 0, fmt.Errorf("%s ids: %w", table, err)
		}
		if b.free == nil {
			b.free, b.taken = map[string][]int64{}, map[string]time.Time{}
		}
		b.free[table], b.taken[table] = got, time.Now()
	}
	id := b.free[table][0]
	b.free[table] = b.free[table][1:]
	return id, nil
}
