package store

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"runtime/debug"
	"sync"
)

// Group commit: small transactions from concurrent requests — a hazard
// reported, a step taken — are queued and run, up to groupMax at a time, in
// ONE database transaction. A failing function gets its error and leaves no
// trace (see commit); the others commit together, so the WAL is written
// once for the group instead of once per request, and a lock the group
// takes at its end (the audit head, a mechanism's count rows) is taken once for
// all of them. Each caller still sees its own work as one atomic unit, and
// learns its outcome exactly (see DB.TxGroup). SQLite has one writer and
// runs one group at a time; PostgreSQL runs pgGroupLoops groups at once
// (anwei_groups in the DSN), so one gathers and runs its statements while
// the other commits.

const groupMax = 64

// errClosed answers the callers still queued when the database closes.
var errClosed = errors.New("数据库已关闭")

// committer is the queue and the goroutines that run it.
type committer struct {
	loops   int                                          // goroutines taking groups
	tx      func(context.Context, func(*Tx) error) error // DB.Tx
	queue   chan *groupReq
	quit    chan struct{}
	stopped chan struct{} // closed once every goroutine answered its last batch
}

type groupReq struct {
	ctx  context.Context
	fn   func(*Tx) error
	done chan outcome
}

// outcome is what a caller learns: its error, or the panic its function
// raised in the committer, to be raised again in the caller.
type outcome struct {
	err      error
	panicked any
	stack    []byte
}

// startGroups starts loops goroutines taking groups from one queue: SQLite
// has one writer and runs one; PostgreSQL commits several groups at once
// (postgres.go), so one gathers while another commits.
func startGroups(tx func(context.Context, func(*Tx) error) error, loops int) *committer {
	c := &committer{loops: loops, tx: tx, queue: make(chan *groupReq, groupMax), quit: make(chan struct{}), stopped: make(chan struct{})}
	var wg sync.WaitGroup
	for range loops {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.loop()
		}()
	}
	go func() {
		wg.Wait()
		close(c.stopped)
	}()
	return c
}

// run queues fn and waits for its outcome. Once queued, the caller waits
// whatever ctx does: the committer skips fn if ctx ended before its turn
// (ErrNotCommitted), and a fn that ran learns its group's commit result.
func (c *committer) run(ctx context.Context, fn func(*Tx) error) error {
	if err := ctx.Err(); err != nil {
		return notCommitted(err)
	}
	req := &groupReq{ctx: ctx, fn: fn, done: make(chan outcome, 1)}
	select {
	case c.queue <- req:
	case <-ctx.Done():
		return notCommitted(ctx.Err())
	case <-c.quit:
		return notCommitted(errClosed)
	}
	var o outcome
	select {
	case o = <-req.done:
	case <-c.stopped:
		// The goroutine answers every request it took before it stops.
		select {
		case o = <-req.done:
		default:
			return notCommitted(errClosed)
		}
	}
	if o.panicked != nil {
		panic(fmt.Sprintf("%v\n\n[raised in a group commit; its stack:]\n%s", o.panicked, o.stack))
	}
	return o.err
}

// stop lets the goroutines finish their batches and end; callers still queued
// are told ErrNotCommitted.
func (c *committer) stop() {
	close(c.quit)
	<-c.stopped
}

func (c *committer) loop() {
	for {
		var first *groupReq
		select {
		case first = <-c.queue:
		case <-c.quit:
			return
		}
		batch := []*groupReq{first}
	drain:
		for len(batch) < groupMax {
			select {
			case r := <-c.queue:
				batch = append(batch, r)
			default:
				break drain
			}
		}
		c.commit(batch)
	}
}

// errRedo ends a group's transaction that a function failed in after
// writing: the group runs again without it.
var errRedo = errors.New("group: run again without the failed function")

// commit runs the batch's functions in one transaction. A function whose
// caller's context has ended by its turn is skipped (ErrNotCommitted). One
// that fails without having declared a write (Tx.Exec, ExecRow …; reads
// cannot write, see reads.go) is simply left out, its memo entries put
// back — unless its failure broke the transaction (on PostgreSQL a failed
// statement aborts it: engine.intact). One that fails after declaring a write, or panics, takes the
// transaction down with it: the others run again, in order, in a new one —
// functions given to a transaction must bear running again anyway (Tx
// retries them) — and it keeps its error. This costs nothing when nothing
// fails, where a savepoint per function made SQLite copy every page each
// one touched.
func (c *committer) commit(batch []*groupReq) {
	out := make([]outcome, len(batch))
	settled := make([]bool, len(batch)) // out[i] is final
	immediate := false                  // no rows kept (after an insert of kept rows failed)
	for {
		err := c.tx(context.Background(), func(tx *Tx) error {
			tx.immediate = immediate
			for i, r := range batch {
				if settled[i] {
					continue
				}
				if err := r.ctx.Err(); err != nil {
					out[i], settled[i] = outcome{err: notCommitted(err)}, true
					continue
				}
				memo := maps.Clone(tx.memo)
				tx.wrote = false
				o := call(tx, r.fn)
				if tx.laterErr != nil && !immediate {
					return tx.laterErr // whose row failed is not known: run again, keeping none
				}
				if tx.laterErr != nil { // its own row failed (immediate): the cause, now told
					o.err, tx.laterErr = tx.laterErr, nil
				}
				if o.err != nil {
					if o.panicked == nil && tx.eng.retryable(o.err) {
						// A deadlock or serialization failure is the
						// group's, not the function's (on PostgreSQL
						// groups committing at once may take two rows in
						// opposite orders): the whole group runs again.
						return o.err
					}
					out[i], settled[i] = o, true
					if tx.wrote || o.panicked != nil || !tx.eng.intact(tx) {
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
		var kept *keptError
		if errors.As(err, &kept) && !immediate {
			immediate = true
			continue
		}
		for i, r := range batch {
			if !settled[i] {
				out[i] = outcome{err: err}
			}
			r.done <- out[i]
		}
		return
	}
}

// call runs fn, turning a panic into an outcome for its caller.
func call(tx *Tx, fn func(*Tx) error) (o outcome) {
	defer func() {
		if p := recover(); p != nil {
			o = outcome{err: fmt.Errorf("panic: %v", p), panicked: p, stack: debug.Stack()}
		}
	}()
	return outcome{err: fn(tx)}
}
