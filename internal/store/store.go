// Package store opens anwei's database — SQLite (modernc.org/sqlite, the
// embedded default) or PostgreSQL (pgx v5, production) — runs the embedded
// goose migrations of that dialect and offers one transaction helper that
// every write goes through.
//
// SQL is hand-written in the common subset of both dialects with `?`
// placeholders; the store rewrites them to `$n` for PostgreSQL. SQLite runs in
// WAL mode with one writer connection and a pool of readers, so concurrent
// writers queue in Go instead of failing with "database is locked".
//
// This file is the API every package uses; what a dialect does its own way
// is an engine (sqlite*.go, postgres.go), chosen once by Open. Reads go
// through Query/QueryRow, writes through Exec/ExecRow/ExecRows/InsertID/
// Prepare/Batch (see tx.go): the caller declares which, the store never
// guesses from the SQL.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/pressly/goose/v3"
)

// Dialect names the SQL dialect of an open database.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is an open anwei database.
type DB struct {
	Dialect Dialect
	// Where is a human-readable location (file path or redacted DSN).
	Where string
	// AuditKey is the HMAC key of the audit chain (package audit), kept
	// outside the database; nil when the process has none. It is set once,
	// right after Open, by whoever read the key file (package app), and
	// every transaction carries it (Tx.AuditKey).
	AuditKey []byte
	// Waiting, when set, is told that Exclusive waits for a lock another
	// process holds (package app logs it for the operator).
	Waiting func(key int64)
	eng     engine
	watches watches // see Watch
}

// engine is what one dialect does its own way. DB and Tx hold one and never
// ask which it is: SQLite (sqlite.go) keeps prepared statements, runs
// statements detached from the caller's cancellation, commits small
// transactions in groups and checkpoints beside the writer; PostgreSQL
// (postgres.go) rewrites placeholders, locks by advisory locks and tells
// its error codes.
type engine interface {
	// bind rewrites q's placeholders for the dialect.
	bind(q string) string
	// read readies q for the reader pool: its text in the dialect and
	// the pool's prepared statement for it, or nil.
	read(ctx context.Context, q string) (string, *sql.Stmt)
	readers() *sql.DB
	// writer is the pool transactions, migrations and backups run on.
	writer() *sql.DB
	// stmt readies q for transaction tx: the context it runs with, its
	// text in the dialect, and a prepared statement bound to tx or nil.
	stmt(ctx context.Context, tx *sql.Tx, q string) (context.Context, string, *sql.Stmt)
	// begin begins a transaction on the writer; done is called once it
	// has ended (committed or rolled back).
	begin(ctx context.Context) (tx *sql.Tx, done func(), err error)
	// copyRows writes n new rows of table through b (Batch.Copy).
	copyRows(ctx context.Context, b *Batch, table string, cols []string, n int, row func(i int, dst []any) []any) error
	// ended is told that a transaction ended and freed its connection.
	ended(ctx context.Context)
	// insertID runs an INSERT in t and returns the new row's id.
	insertID(ctx context.Context, t *Tx, q string, args []any) (int64, error)
	// addID adds a row of r in t and returns its id (Tx.AddID).
	addID(ctx context.Context, t *Tx, r *Rows, args []any) (int64, error)
	// tryLock takes the named transaction-scoped lock, or says it is held.
	tryLock(ctx context.Context, t *Tx, key int64) (bool, error)
	// group runs fn as DB.TxGroup promises.
	group(ctx context.Context, fn func(*Tx) error) error
	// intact reports whether t can still run statements after a group's
	// function failed in it without writing.
	intact(t *Tx) bool
	// retryable tells a transient concurrency failure (worth running the
	// transaction again) from a real error.
	retryable(err error) bool
	// commitFailed returns the error of a failed COMMIT, marked
	// ErrCommitUnknown when the database may have committed after all.
	commitFailed(err error) error
	backup(ctx context.Context, file string) error
	migrations() (dir string, d goose.Dialect)
	close() error
}

// Open opens the database named by dsn, or, when dsn is empty, the SQLite
// file anwei.db in dataDir (created if missing). It does not migrate.
func Open(ctx context.Context, dsn, dataDir string) (*DB, error) {
	return OpenSync(ctx, dsn, dataDir, "")
}

// OpenSync is Open with SQLite's synchronous setting ("" for DefaultSync;
// PostgreSQL ignores it: its own synchronous_commit rules there).
func OpenSync(ctx context.Context, dsn, dataDir string, sync Sync) (*DB, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return openPostgres(ctx, dsn)
	}
	path := dsn
	if path == "" {
		if dataDir == "" {
			dataDir = "data"
		}
		if err := os.MkdirAll(dataDir, 0o750); err != nil {
			return nil, fmt.Errorf("创建数据目录 %s: %w", dataDir, err)
		}
		path = filepath.Join(dataDir, "anwei.db")
	}
	path = strings.TrimPrefix(path, "sqlite://")
	return OpenSQLite(ctx, path, sync)
}

// Close closes the database: on SQLite after the queued group commits are
// answered and the WAL is checkpointed into the file.
func (db *DB) Close() error { return db.eng.close() }

// Writer returns the writer pool (for migrations and backups).
func (db *DB) Writer() *sql.DB { return db.eng.writer() }

// Query runs a read query on the reader pool. A statement that writes is
// refused (see Tx.Query).
func (db *DB) Query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	mustRead("DB.Query", q)
	q, st := db.eng.read(ctx, q)
	if st != nil {
		return st.QueryContext(ctx, args...)
	}
	return db.eng.readers().QueryContext(ctx, q, args...)
}

// QueryRow runs a single-row read query on the reader pool. A statement
// that writes is refused (see Tx.Query).
func (db *DB) QueryRow(ctx context.Context, q string, args ...any) *sql.Row {
	mustRead("DB.QueryRow", q)
	q, st := db.eng.read(ctx, q)
	if st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return db.eng.readers().QueryRowContext(ctx, q, args...)
}

// ErrPostgresBackup says that PostgreSQL is backed up with pg_dump.
var ErrPostgresBackup = errors.New("PostgreSQL 请用 pg_dump 备份")

// Backup writes a consistent copy of a SQLite database to file while the
// server keeps running. For PostgreSQL it returns ErrPostgresBackup and
// PgDumpCommand tells the command to run.
func (db *DB) Backup(ctx context.Context, file string) error { return db.eng.backup(ctx, file) }

// IsUniqueViolation tells whether err is a unique-constraint violation in
// either dialect.
func IsUniqueViolation(err error) bool {
	return err != nil && (pgUniqueViolation(err) || sqliteUniqueViolation(err))
}

// NoRows reports whether err is sql.ErrNoRows.
func NoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
