package store

import (
	"context"
	"fmt"
	"maps"
)

// Group commit (SQLite): small transactions from concurrent requests —
// a hazard reported, a step taken — are queued and run by one goroutine,
// up to groupMax at a time, in ONE database transaction, each inside its
// own SAVEPOINT. A failing function rolls back to its savepoint and gets
// its error; the others commit together, so the WAL is written and synced
// once for the group instead of once per request. Each caller still sees
// its own work as one atomic unit. PostgreSQL runs TxGroup as Tx.

const groupMax = 64

type groupReq struct {
	ctx  context.Context
	fn   func(*Tx) error
	done chan error
}

// TxGroup runs fn atomically like Tx, possibly committed together with
// other callers' functions. fn must not depend on running alone in the
// transaction (it sees the writes of functions before it in the group).
func (db *DB) TxGroup(ctx context.Context, fn func(*Tx) error) error {
	if db.group == nil {
		return db.Tx(ctx, fn)
	}
	req := &groupReq{ctx: ctx, fn: fn, done: make(chan error, 1)}
	select {
	case db.group <- req:
	case <-ctx.Done():
		return ctx.Err()
	case <-db.stop:
		return fmt.Errorf("数据库已关闭")
	}
	select {
	case err := <-req.done:
		return err
	case <-db.stopped:
		return fmt.Errorf("数据库已关闭")
	case <-ctx.Done():
		// The function may still run; its result is dropped with the caller.
		return ctx.Err()
	}
}

// runGroups is the committer goroutine.
func (db *DB) runGroups() {
	defer close(db.stopped)
	for {
		var first *groupReq
		select {
		case first = <-db.group:
		case <-db.stop:
			return
		}
		batch := []*groupReq{first}
	drain:
		for len(batch) < groupMax {
			select {
			case r := <-db.group:
				batch = append(batch, r)
			default:
				break drain
			}
		}
		db.commitGroup(batch)
	}
}

func (db *DB) commitGroup(batch []*groupReq) {
	errs := make([]error, len(batch))
	ran := false
	err := db.Tx(context.Background(), func(tx *Tx) error {
		ran = true
		for i, r := range batch {
			errs[i] = nil
			if err := r.ctx.Err(); err != nil {
				errs[i] = err
				continue
			}
			if _, err := tx.tx.ExecContext(context.Background(), "SAVEPOINT g"); err != nil {
				return err
			}
			memo := maps.Clone(tx.memo)
			if err := r.fn(tx); err != nil {
				errs[i] = err
				tx.memo = memo
				if _, rerr := tx.tx.ExecContext(context.Background(), "ROLLBACK TO g"); rerr != nil {
					return rerr
				}
			}
			if _, err := tx.tx.ExecContext(context.Background(), "RELEASE g"); err != nil {
				return err
			}
		}
		return nil
	})
	for i, r := range batch {
		switch {
		case err != nil && (errs[i] == nil || !ran):
			r.done <- err
		default:
			r.done <- errs[i]
		}
	}
}
