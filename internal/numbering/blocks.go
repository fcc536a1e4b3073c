package numbering

import (
	"context"
	"fmt"
	"sync"
	"time"

	"anwei/internal/store"
)

// A series allowed gaps (a record's 编号) does not make creators take turns
// on PostgreSQL, where several servers write at once: each process reserves
// a block of numbers in a short transaction of its own (store.Tx.Aside) and
// hands them out from memory. The row of the counter is locked for that
// short transaction only, never until the creator's commit. What a block
// leaves unused — the process stopped, a creator's transaction rolled back —
// is a gap, which such a series allows; numbers stay unique, and rise
// within a process. A block is one number when numbers are taken rarely
// (so a quiet deployment shows no gaps) and doubles, up to maxBlock, while
// each is used up within blockWindow of the last.
//
// On SQLite (one writer, so nobody waits) the number is taken in the
// creator's transaction as for a gap-free series, and there are no gaps.

const maxBlock = 64

var blockWindow = time.Second // a variable for the tests' sake

type blockKey struct {
	db  *store.DB
	key string
}

// block is the numbers a process holds of one key: next up to last. Its
// lock is a channel, so a taker waiting behind a reservation (a short
// transaction of its own, on another connection) gives up when its caller
// does instead of waiting for ever.
type block struct {
	lock       chan struct{}
	next, last int
	size       int
	reserved   time.Time
}

var blocks sync.Map // blockKey → *block

func fromBlock(ctx context.Context, tx *store.Tx, s Series, scope string, year int, key string) (int, error) {
	v, _ := blocks.LoadOrStore(blockKey{tx.Database(), key}, &block{lock: make(chan struct{}, 1)})
	b := v.(*block)
	select {
	case b.lock <- struct{}{}:
	case <-ctx.Done():
		return 0, ctx.Err()
	}
	defer func() { <-b.lock }()
	if b.next == 0 || b.next > b.last {
		now := time.Now()
		size := 1
		if b.size > 0 && now.Sub(b.reserved) < blockWindow {
			size = min(2*b.size, maxBlock)
		}
		var last int
		err := tx.Aside(ctx, func(tx *store.Tx) error {
			return tx.ExecRow(ctx, `INSERT INTO counters (series, scope, year, last_number) VALUES (?, ?, ?, ?)
				ON CONFLICT (series, scope, year) DO UPDATE SET last_number = counters.last_number + ? RETURNING last_number`,
				s.Name, scope, year, size, size).Scan(&last)
		})
		if err != nil {
			return 0, fmt.Errorf("取%s编号: %w", s.Name, err)
		}
		b.next, b.last, b.size, b.reserved = last-size+1, last, size, now
	}
	n := b.next
	b.next++
	return n, nil
}
