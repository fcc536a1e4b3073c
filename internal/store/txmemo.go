package store

import (
	"context"
	"errors"
)

// Memo returns what the transaction remembers under key. A write that
// would read back what an earlier write of the same transaction just
// wrote — the audit chain's head, a running number — keeps it here
// instead. Under group commit the memo is put back when a caller's
// function fails, so it always matches the database.
func (t *Tx) Memo(key string) (any, bool) {
	v, ok := t.memo[key]
	return v, ok
}

// SetMemo remembers v under key for the rest of the transaction.
func (t *Tx) SetMemo(key string, v any) {
	if t.memo == nil {
		t.memo = map[string]any{}
	}
	t.memo[key] = v
}

// BeforeCommit runs fn once, just before the transaction commits, however
// often it is registered under key: a write that can wait for the end of
// the transaction (a counter, the count rows of a mechanism's figures). fn
// reads the memo, which by then holds only what the surviving functions
// left, and runs with the transaction's own context, never one caller's:
// under group commit the function that registered it last may belong to a
// caller who has gone (a closed browser), and the group must not fail for
// it (TestTxGroupHooksOutliveACaller).
func (t *Tx) BeforeCommit(key string, fn func(ctx context.Context) error) { t.before.add(key, fn) }

// AtCommit is BeforeCommit for the last word: fn runs after every
// BeforeCommit function, immediately before COMMIT. What serialises
// writers — the audit chain's head — is taken there, so its lock is held
// for the COMMIT alone, and always after the transaction's other locks.
func (t *Tx) AtCommit(key string, fn func(ctx context.Context) error) { t.at.add(key, fn) }

// hooks are commit-time functions by key, in the order first registered;
// registering a key again replaces its function.
type hooks struct {
	fns   map[string]func(context.Context) error
	order []string
}

func (h *hooks) add(key string, fn func(context.Context) error) {
	if h.fns == nil {
		h.fns = map[string]func(context.Context) error{}
	}
	if _, ok := h.fns[key]; !ok {
		h.order = append(h.order, key)
	}
	h.fns[key] = fn
}

func (h *hooks) run(ctx context.Context) error {
	for _, k := range h.order {
		if err := h.fns[k](ctx); err != nil {
			return err
		}
	}
	return nil
}

// commit runs the pre-commit functions and commits, unless ctx ended
// first: detach stops ctx from ending the transaction and reports false
// when it already has (see DB.once).
func (t *Tx) commit(ctx context.Context, detach func() bool) error {
	if err := t.before.run(t.ctx); err != nil {
		return err
	}
	// Kept rows (later.go) go in before the last word, and again after it
	// for any it kept itself; a failure QueryRow could not report fails here.
	if err := t.flushAll(t.ctx); err != nil {
		return err
	}
	if err := t.at.run(t.ctx); err != nil {
		return err
	}
	if err := t.flushAll(t.ctx); err != nil {
		return err
	}
	if !detach() {
		return notCommitted(ctx.Err())
	}
	if err := t.tx.Commit(); err != nil {
		err = t.eng.commitFailed(err)
		if errors.Is(err, ErrCommitUnknown) {
			t.committed() // it may have: a cache must not keep what it changed
		}
		return err
	}
	t.committed()
	return nil
}
