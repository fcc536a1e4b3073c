package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// Tx is a transaction with the dialect's placeholder rewriting.
type Tx struct {
	tx      *sql.Tx
	Dialect Dialect
	cache   *stmtCache // the writer's prepared statements (SQLite)
	// detach runs statements without the caller's cancellation (SQLite):
	// a write statement is short, the transaction still rolls back when
	// the caller goes away, and the driver then need not start a watcher
	// goroutine for every statement.
	detach bool
	memo   map[string]any          // see Memo
	wrote  bool                    // a statement that may write ran (see commitGroup)
	hooks  map[string]func() error // see BeforeCommit
	order  []string
	key    []byte // see AuditKey
}

// AuditKey is the audit chain's key of the database the transaction runs
// on (DB.AuditKey), or nil.
func (t *Tx) AuditKey() []byte { return t.key }

// ctx is the context a statement runs with.
func (t *Tx) ctx(ctx context.Context) context.Context {
	if t.detach {
		return context.WithoutCancel(ctx)
	}
	return ctx
}

// stmt is q prepared on the writer, bound to this transaction, or nil.
func (t *Tx) stmt(ctx context.Context, q string) *sql.Stmt {
	if st := t.cache.get(ctx, q); st != nil {
		return t.tx.StmtContext(ctx, st)
	}
	return nil
}

// Exec runs a statement in the transaction.
func (t *Tx) Exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	t.wrote = true
	if t.Dialect == Postgres {
		q = Rebind(q)
	}
	ctx = t.ctx(ctx)
	if st := t.stmt(ctx, q); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return t.tx.ExecContext(ctx, q, args...)
}

// Query runs a query in the transaction.
func (t *Tx) Query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	t.wrote = t.wrote || mayWrite(q)
	if t.Dialect == Postgres {
		q = Rebind(q)
	}
	ctx = t.ctx(ctx)
	if st := t.stmt(ctx, q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return t.tx.QueryContext(ctx, q, args...)
}

// QueryRow runs a single-row query in the transaction.
func (t *Tx) QueryRow(ctx context.Context, q string, args ...any) *sql.Row {
	t.wrote = t.wrote || mayWrite(q)
	if t.Dialect == Postgres {
		q = Rebind(q)
	}
	ctx = t.ctx(ctx)
	if st := t.stmt(ctx, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return t.tx.QueryRowContext(ctx, q, args...)
}

// InsertID runs an INSERT and returns the new row's id: RETURNING id on
// PostgreSQL, the last insert rowid on SQLite (the same number, for a
// table whose id is its INTEGER PRIMARY KEY, without reading a result row).
func (t *Tx) InsertID(ctx context.Context, q string, args ...any) (int64, error) {
	if t.Dialect == SQLite {
		res, err := t.Exec(ctx, q, args...)
		if err != nil {
			return 0, err
		}
		return res.LastInsertId()
	}
	var id int64
	err := t.QueryRow(ctx, q+" RETURNING id", args...).Scan(&id)
	return id, err
}

// maxAttempts bounds the retries of a transaction that failed with a
// serialization failure or deadlock (PostgreSQL) or a busy database (SQLite).
const maxAttempts = 8

// Tx runs fn in one transaction on the writer pool, committing when fn returns
// nil and rolling back otherwise. A serialization failure, deadlock or busy
// database is retried with backoff; fn must therefore be safe to run again
// (do no I/O outside the database inside it).
func (db *DB) Tx(ctx context.Context, fn func(tx *Tx) error) error {
	var err error
	for attempt := 0; attempt < maxAttempts; attempt++ {
		if attempt > 0 {
			d := time.Duration(1<<min(attempt, 6)) * time.Millisecond
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(d):
			}
		}
		err = db.once(ctx, fn)
		if err == nil || !retryable(err) {
			return err
		}
	}
	return err
}

func (db *DB) once(ctx context.Context, fn func(tx *Tx) error) (err error) {
	sqlTx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer db.wstmts.prepare(ctx)
	defer func() {
		if p := recover(); p != nil {
			_ = sqlTx.Rollback()
			panic(p)
		}
		if err != nil {
			_ = sqlTx.Rollback()
		}
	}()
	tx := &Tx{tx: sqlTx, Dialect: db.Dialect, cache: db.wstmts, detach: db.Dialect == SQLite, key: db.AuditKey}
	if err = fn(tx); err != nil {
		return err
	}
	return tx.commit()
}

// retryable tells a transient concurrency failure from a real error.
func retryable(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "40001" || pg.Code == "40P01"
	}
	s := err.Error()
	return strings.Contains(s, "SQLITE_BUSY") || strings.Contains(s, "database is locked")
}

// IsUniqueViolation tells whether err is a unique-constraint violation in
// either dialect.
func IsUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "23505"
	}
	return strings.Contains(err.Error(), "UNIQUE constraint failed")
}

// NoRows reports whether err is sql.ErrNoRows.
func NoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

// TryLock takes the named lock for the rest of the transaction, or reports
// that another server holds it: on PostgreSQL a transaction-scoped advisory
// lock, so only one of several anwei servers runs a scheduled job at a time;
// SQLite has one writer already and always grants it.
func (t *Tx) TryLock(ctx context.Context, key int64) (bool, error) {
	if t.Dialect != Postgres {
		return true, nil
	}
	var ok bool
	err := t.QueryRow(ctx, "SELECT pg_try_advisory_xact_lock(?)", key).Scan(&ok)
	return ok, err
}

// Prepare prepares a statement for repeated use in the transaction (bulk
// imports), with the dialect's placeholders.
func (t *Tx) Prepare(ctx context.Context, q string) (*sql.Stmt, error) {
	t.wrote = true
	if t.Dialect == Postgres {
		q = Rebind(q)
	}
	return t.tx.PrepareContext(ctx, q)
}
