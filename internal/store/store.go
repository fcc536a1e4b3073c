// Package store opens anwei's database — SQLite (modernc.org/sqlite, the
// embedded default) or PostgreSQL (pgx v5, production) — runs the embedded
// goose migrations of that dialect and offers one transaction helper that
// every write goes through.
//
// SQL is hand-written in the common subset of both dialects with `?`
// placeholders; the store rewrites them to `$n` for PostgreSQL. SQLite runs in
// WAL mode with one writer connection and a pool of readers, so concurrent
// writers queue in Go instead of failing with "database is locked".
package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver "pgx"
	_ "modernc.org/sqlite"             // SQLite driver "sqlite"
)

// Dialect names the SQL dialect of an open database.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is an open anwei database: a writer pool and a reader pool (the same
// pool on PostgreSQL).
type DB struct {
	Dialect Dialect
	// Where is a human-readable location (file path or redacted DSN).
	Where string
	// AuditKey is the HMAC key of the audit chain (package audit), kept
	// outside the database; nil when the process has none. It is set once,
	// right after Open, by whoever read the key file (package app), and
	// every transaction carries it (Tx.AuditKey).
	AuditKey []byte
	w        *sql.DB
	r        *sql.DB
	// Prepared statements of the writer and the readers (SQLite only).
	wstmts, rstmts *stmtCache
	// Group commit (SQLite): the queue, and the committer's stop signals.
	group         chan *groupReq
	stop, stopped chan struct{}
	closing       sync.Once
	// The checkpointer's connection and its stop signal (SQLite).
	ck           *sql.DB
	checkpointed chan struct{}
}

// Open opens the database named by dsn, or, when dsn is empty, the SQLite
// file anwei.db in dataDir (created if missing). It does not migrate.
func Open(ctx context.Context, dsn, dataDir string) (*DB, error) {
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
	return OpenSQLite(ctx, path)
}

// OpenSQLite opens (creating if needed) the SQLite database file at path.
func OpenSQLite(ctx context.Context, path string) (*DB, error) {
	pragmas := "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)" +
		"&_pragma=foreign_keys(1)&_pragma=temp_store(MEMORY)&_txlock=immediate&_time_format=sqlite"
	dsn := "file:" + path + "?" + pragmas
	// The writer's page cache holds a bulk import's index pages (64 MiB);
	// each reader keeps 16 MiB. The writer leaves checkpoints to a
	// connection of its own (checkpoint.go), whose RESTART cuts a WAL that
	// grew in a burst back to 64 MiB (the writer does not: extending the
	// file again after every reset costs more than it saves).
	w, err := sql.Open("sqlite", dsn+"&_pragma=cache_size(-65536)&_pragma=wal_autocheckpoint(0)")
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("打开 SQLite 数据库 %s: %w", path, err)
	}
	r, err := sql.Open("sqlite", dsn+"&_pragma=cache_size(-16384)&mode=ro")
	if err != nil {
		w.Close()
		return nil, err
	}
	n := max(4, runtime.NumCPU()*2)
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	ck, err := sql.Open("sqlite", dsn+"&_pragma=journal_size_limit(67108864)")
	if err != nil {
		w.Close()
		r.Close()
		return nil, err
	}
	ck.SetMaxOpenConns(1)
	db := &DB{Dialect: SQLite, Where: path, w: w, r: r, wstmts: newStmtCache(w, true), rstmts: newStmtCache(r, false),
		group: make(chan *groupReq, groupMax), stop: make(chan struct{}), stopped: make(chan struct{}),
		ck: ck, checkpointed: make(chan struct{})}
	go db.runGroups()
	go db.runCheckpoints(ck)
	return db, nil
}

func openPostgres(ctx context.Context, dsn string) (*DB, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(max(8, runtime.NumCPU()*4))
	db.SetMaxIdleConns(max(8, runtime.NumCPU()*4))
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("连接 PostgreSQL: %w", err)
	}
	return &DB{Dialect: Postgres, Where: redact(dsn), w: db, r: db}, nil
}

// redact hides the password of a DSN for logs.
func redact(dsn string) string {
	at := strings.LastIndex(dsn, "@")
	scheme := strings.Index(dsn, "://")
	if at < 0 || scheme < 0 {
		return dsn
	}
	userinfo := dsn[scheme+3 : at]
	if i := strings.Index(userinfo, ":"); i >= 0 {
		userinfo = userinfo[:i] + ":***"
	}
	return dsn[:scheme+3] + userinfo + dsn[at:]
}

// Close closes both pools.
func (db *DB) Close() error {
	if db.stop != nil {
		db.closing.Do(func() { close(db.stop) })
		<-db.stopped
	}
	if db.ck != nil {
		<-db.checkpointed
		db.ck.Close()
		db.checkpointAll()
	}
	db.wstmts.close()
	db.rstmts.close()
	err := db.w.Close()
	if db.r != db.w {
		if e := db.r.Close(); err == nil {
			err = e
		}
	}
	return err
}

// Writer returns the writer pool (for migrations and backups).
func (db *DB) Writer() *sql.DB { return db.w }

// Query runs a read query on the reader pool.
func (db *DB) Query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if st := db.rstmts.get(ctx, q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return db.r.QueryContext(ctx, db.bind(q), args...)
}

// QueryRow runs a single-row read query on the reader pool.
func (db *DB) QueryRow(ctx context.Context, q string, args ...any) *sql.Row {
	if st := db.rstmts.get(ctx, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return db.r.QueryRowContext(ctx, db.bind(q), args...)
}

func (db *DB) bind(q string) string {
	if db.Dialect == Postgres {
		return Rebind(q)
	}
	return q
}

// Rebind rewrites `?` placeholders to PostgreSQL's `$1, $2 …`, leaving
// question marks inside quoted strings alone.
func Rebind(q string) string {
	if !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 8)
	n := 0
	inQuote := false
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\'':
			inQuote = !inQuote
			b.WriteByte(c)
		case c == '?' && !inQuote:
			n++
			b.WriteByte('$')
			b.WriteString(fmt.Sprint(n))
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
