package store

import (
	"context"
	"errors"
	"fmt"
	"maps"
)

// Group commit (SQLite): small transactions from concurrent requests —
// a hazard reported, a step taken — are queued and run by one goroutine,
// up to groupMax at a time, in ONE database transaction. A failing
// function gets its error and leaves no trace (see commitGroup); the
// others commit together, so the WAL is written once for the group
// instead of once per request. Each caller still sees its own work as one
// atomic unit. PostgreSQL runs TxGroup as Tx.

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

// errRedo ends a group's transaction that a function failed in after
// writing: the group runs again without it.
var errRedo = errors.New("group: run again without the failed function")

// commitGroup runs the batch's functions in one transaction. A function
// that fails before writing anything is simply left out (its memo entries
// put back). One that fails after writing takes the transaction down with
// it: the others run again, in order, in a new one — functions given to
// a transaction must bear running again anyway (Tx retries them) — and
// it keeps its error. This costs nothing when nothing fails, where a
// savepoint per function made SQLite copy every page each one touched.
func (db *DB) commitGroup(batch []*groupReq) {
	errs := make([]error, len(batch))
	settled := make([]bool, len(batch)) // errs[i] is final
	for {
		err := db.Tx(context.Background(), func(tx *Tx) error {
			for i, r := range batch {
				if settled[i] {
					continue
				}
				if err := r.ctx.Err(); err != nil {
					errs[i], settled[i] = err, true
					continue
				}
				memo := maps.Clone(tx.memo)
				tx.wrote = false
				if err := r.fn(tx); err != nil {
					errs[i], settled[i] = err, true
					if tx.wrote {
						return errRedo
					}
					tx.memo = memo
				}
			}
			return nil
		})
		if err == errRedo {
			continue
		}
		for i, r := range batch {
			if settled[i] {
				r.done <- errs[i]
			} else {
				r.done <- err
			}
		}
		return
	}
}
