package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Tx is a transaction with the dialect's placeholder rewriting.
//
// Its methods say whether a statement reads or writes, and the store takes
// the caller at its word: Query and QueryRow read (and refuse a statement
// that writes); Exec, ExecRow, ExecRows, InsertID, Prepare and Batch write.
// A statement that writes and returns rows (INSERT … RETURNING, a writing
// CTE) goes through ExecRow or ExecRows. Group commit (group.go)
// relies on this to know whether a failed function left writes behind.
type Tx struct {
	db      *DB
	ctx     context.Context // the transaction's own: commit-time functions run with it
	tx      *sql.Tx
	Dialect Dialect
	eng     engine
	memo    map[string]any // see Memo
	wrote   bool           // a declared write ran (see group.go)
	before  hooks          // see BeforeCommit
	at      hooks          // see AtCommit
	key     []byte         // see AuditKey

	later     []*Rows  // the shapes Add kept rows of (later.go)
	laterErr  error    // a failed insert of kept rows: the commit fails with it
	watched   []*Watch // the watches a write of t concerns (watch.go)
	immediate bool     // Add inserts at once (a group run again after a kept row failed)
}

// Database is the database t runs on, as the key of what a package keeps
// per database in the process (numbering's blocks). A transaction of its
// own is run through Aside, never on it from inside t.
func (t *Tx) Database() *DB { return t.db }

// Aside runs fn in a transaction of its own, committed before Aside
// returns, whatever becomes of t: for what must not wait for t's commit
// nor hold a lock until it (numbering's blocks of a series allowed gaps).
// On SQLite, which has one writer (t's), fn runs in t itself: what it
// writes then commits or rolls back with t.
func (t *Tx) Aside(ctx context.Context, fn func(*Tx) error) error {
	if t.Dialect == SQLite {
		return fn(t)
	}
	return t.db.Tx(ctx, fn)
}

// AuditKey is the audit chain's key of the database the transaction runs
// on (DB.AuditKey), or nil.
func (t *Tx) AuditKey() []byte { return t.key }

// Exec runs a statement that writes.
func (t *Tx) Exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	t.wrote = true
	t.writes(q)
	if err := t.flushFor(ctx, q); err != nil {
		return nil, err
	}
	return t.exec(ctx, q, args)
}

func (t *Tx) exec(ctx context.Context, q string, args []any) (sql.Result, error) {
	ctx, q, st := t.eng.stmt(ctx, t.tx, q)
	if st != nil {
		return st.ExecContext(ctx, args...)
	}
	return t.tx.ExecContext(ctx, q, args...)
}

// ExecRow runs a statement that writes and returns one row (INSERT …
// RETURNING, UPDATE … RETURNING).
func (t *Tx) ExecRow(ctx context.Context, q string, args ...any) *sql.Row {
	t.wrote = true
	t.writes(q)
	return t.row(ctx, q, args)
}

// ExecRows runs a statement that writes and returns rows (DELETE …
// RETURNING, a writing CTE).
func (t *Tx) ExecRows(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	t.wrote = true
	t.writes(q)
	return t.rows(ctx, q, args)
}

// Query runs a query that only reads. It panics on a statement that writes
// — one not led by SELECT, or a WITH, VALUES or EXPLAIN that names INSERT,
// UPDATE, DELETE, REPLACE or MERGE — which belongs to ExecRows: the
// mistake is the programmer's and shows in the first test that runs it.
func (t *Tx) Query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	mustRead("Tx.Query", q)
	return t.rows(ctx, q, args)
}

// QueryRow runs a single-row query that only reads; a statement that writes
// panics as in Query (use ExecRow).
func (t *Tx) QueryRow(ctx context.Context, q string, args ...any) *sql.Row {
	mustRead("Tx.QueryRow", q)
	return t.row(ctx, q, args)
}

func (t *Tx) rows(ctx context.Context, q string, args []any) (*sql.Rows, error) {
	if err := t.flushFor(ctx, q); err != nil {
		return nil, err
	}
	ctx, q, st := t.eng.stmt(ctx, t.tx, q)
	if st != nil {
		return st.QueryContext(ctx, args...)
	}
	return t.tx.QueryContext(ctx, q, args...)
}

func (t *Tx) row(ctx context.Context, q string, args []any) *sql.Row {
	_ = t.flushFor(ctx, q) // a failure is kept (laterErr) and fails the commit
	ctx, q, st := t.eng.stmt(ctx, t.tx, q)
	if st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return t.tx.QueryRowContext(ctx, q, args...)
}

// InsertID runs an INSERT and returns the new row's id: RETURNING id on
// PostgreSQL, the last insert rowid on SQLite (the same number, for a
// table whose id is its INTEGER PRIMARY KEY, without reading a result row).
func (t *Tx) InsertID(ctx context.Context, q string, args ...any) (int64, error) {
	return t.eng.insertID(ctx, t, q, args)
}

// TryLock takes the named lock for the rest of the transaction, or reports
// that another server holds it: on PostgreSQL a transaction-scoped advisory
// lock, so only one of several anwei servers runs a scheduled job at a time;
// SQLite has one writer already and always grants it.
func (t *Tx) TryLock(ctx context.Context, key int64) (bool, error) {
	return t.eng.tryLock(ctx, t, key)
}

// Prepare prepares a statement that writes, for repeated use in the
// transaction (bulk imports), with the dialect's placeholders.
func (t *Tx) Prepare(ctx context.Context, q string) (*sql.Stmt, error) {
	t.wrote = true
	t.writes(q)
	if err := t.flushFor(ctx, q); err != nil {
		return nil, err
	}
	return t.tx.PrepareContext(ctx, t.eng.bind(q))
}

// ErrNotCommitted marks the error of a transaction that certainly did not
// commit because it was not let to: its caller's context ended first (the
// error is then also ctx.Err()) or the database was closing.
var ErrNotCommitted = errors.New("事务未提交")

// ErrCommitUnknown marks the one failure whose outcome nobody can know:
// PostgreSQL's connection was lost after COMMIT was sent, so the server may
// have committed or not. Look at the data before doing the work again.
var ErrCommitUnknown = errors.New("事务提交结果未知")

func notCommitted(cause error) error { return fmt.Errorf("%w: %w", ErrNotCommitted, cause) }

// maxAttempts bounds the retries of a transaction that failed with a
// serialization failure or deadlock (PostgreSQL) or a busy database (SQLite).
const maxAttempts = 8

// Tx runs fn in one transaction on the writer, committing when fn returns
// nil and rolling back otherwise. A serialization failure, deadlock or busy
// database is retried with backoff; fn must therefore be safe to run again
// (do no I/O outside the database inside it).
//
// The result is exact. nil: fn's writes committed. An error: they did not —
// fn's own error, the database's, or, when ctx ended before the COMMIT, an
// error that is both ErrNotCommitted and ctx.Err(). Until the COMMIT, ctx
// ending rolls the transaction back (fn's next statement fails); from the
// COMMIT on, ctx is let go, so the COMMIT is never interrupted
// (database/sql would hand the driver the ended context, and pgx,
// cancelled mid-COMMIT, closes the connection without knowing the
// outcome). The one case left unknowable is PostgreSQL's connection lost
// mid-COMMIT: ErrCommitUnknown.
func (db *DB) Tx(ctx context.Context, fn func(tx *Tx) error) error {
	var err error
	for attempt := 0; attempt < maxAttempts; attempt++ {
		if attempt > 0 {
			d := time.Duration(1<<min(attempt, 6)) * time.Millisecond
			select {
			case <-ctx.Done():
				return notCommitted(ctx.Err())
			case <-time.After(d):
			}
		}
		err = db.once(ctx, fn)
		if err == nil || !db.eng.retryable(err) {
			return err
		}
	}
	return err
}

func (db *DB) once(ctx context.Context, fn func(tx *Tx) error) (err error) {
	if err := ctx.Err(); err != nil {
		return notCommitted(err)
	}
	// The transaction's context ends with ctx until the COMMIT, and no
	// longer: database/sql rolls back a transaction whose context ends (and
	// hands the context to the driver's COMMIT), so detach must be called
	// before committing; it reports whether ctx ended first. A context that
	// never ends (group commit's) is used as it is: a cancellable one would
	// make the SQLite driver watch it during BEGIN and COMMIT.
	txCtx, detach := ctx, neverEnded
	if ctx.Done() != nil {
		var cancel context.CancelFunc
		txCtx, cancel = context.WithCancel(context.WithoutCancel(ctx))
		defer cancel()
		detach = context.AfterFunc(ctx, cancel)
		defer detach()
	}
	defer db.eng.ended(ctx)
	sqlTx, done, err := db.eng.begin(txCtx)
	if err == nil {
		defer done() // after the rollback deferred below
	}
	if err != nil {
		if ctx.Err() != nil {
			return notCommitted(ctx.Err())
		}
		return err
	}
	defer func() {
		if p := recover(); p != nil {
			_ = sqlTx.Rollback()
			panic(p)
		}
		if err != nil {
			_ = sqlTx.Rollback()
		}
	}()
	tx := &Tx{db: db, ctx: txCtx, tx: sqlTx, Dialect: db.Dialect, eng: db.eng, key: db.AuditKey}
	if err = fn(tx); err != nil || tx.laterErr != nil {
		if tx.laterErr != nil {
			err = tx.laterErr // the cause, not what the function met after it
		}
		if ctx.Err() != nil {
			return notCommitted(ctx.Err()) // the rollback of the ended context may be what fn met
		}
		return err
	}
	return tx.commit(ctx, detach)
}

func neverEnded() bool { return true }

// TxGroup runs fn atomically like Tx, possibly committed together with
// other callers' functions (group commit, group.go). fn must not depend on running alone in the
// transaction (it sees the writes of functions before it in the group).
//
// Its result is as exact as Tx's: nil means fn ran and its writes
// committed; an error means they did not. Once queued, the caller waits
// for the outcome even if ctx ends meanwhile: a function whose ctx ended
// before its turn is skipped and reports an error that is both
// ErrNotCommitted and ctx.Err(); one that already ran reports its group's
// commit result. A panic in fn is raised again in the caller.
func (db *DB) TxGroup(ctx context.Context, fn func(*Tx) error) error {
	return db.eng.group(ctx, fn)
}
