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

	"github.com/pressly/goose/v3"
	_ "modernc.org/sqlite" // SQLite driver "sqlite"
)

// sqliteEngine is SQLite in WAL mode: one writer connection, a pool of
// readers, prepared statements kept for both (sqlite_stmtcache.go), small
// transactions committed in groups (group.go) and checkpoints on a
// connection of their own (sqlite_checkpoint.go).
type sqliteEngine struct {
	w, r           *sql.DB
	wstmts, rstmts *stmtCache
	groups         *committer
	ck             *checkpointer
	closing        sync.Once
	closeErr       error
}

// Sync is SQLite's synchronous setting: when a commit waits for the disk.
type Sync string

const (
	// SyncFull (the default): every commit (with group commit, every group
	// of them: group.go) is flushed to disk before it is
	// acknowledged, so an acknowledged write survives power loss, not only
	// a crash of the process.
	SyncFull Sync = "FULL"
	// SyncNormal flushes at checkpoints only: a crash of the process loses
	// nothing, but power loss may lose the last acknowledged commits.
	SyncNormal Sync = "NORMAL"
)

// DeploymentSync is the synchronous setting a deployment runs with unless
// its operator says otherwise (--sqlite-sync). Measured under
// hazard_create_http (ARCHITECTURE.md, "Durability").
const DeploymentSync = SyncFull

// DefaultSync is the synchronous setting of a SQLite database opened
// without one (store.Open, OpenSQLite with ""): DeploymentSync, except in
// the tests, which set it to SyncNormal (storetest.Main): what they check
// is not the disk's flush, and a flush per commit would slow them.
var DefaultSync = DeploymentSync

// ParseSync reads the operator's setting (--sqlite-sync): "full",
// "normal" or empty for DefaultSync.
func ParseSync(s string) (Sync, error) {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "":
		return DefaultSync, nil
	case string(SyncFull):
		return SyncFull, nil
	case string(SyncNormal):
		return SyncNormal, nil
	}
	return "", fmt.Errorf("--sqlite-sync %q: 须为 full (默认，断电不丢已确认的写入) 或 normal (断电可能丢失最后几次写入)", s)
}

// OpenSQLite opens (creating if needed) the SQLite database file at path,
// with the synchronous setting sync ("" for DefaultSync).
func OpenSQLite(ctx context.Context, path string, sync Sync) (*DB, error) {
	if sync == "" {
		sync = DefaultSync
	}
	if sync != SyncFull && sync != SyncNormal {
		return nil, fmt.Errorf("SQLite synchronous %q", sync)
	}
	pragmas := "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(" + string(sync) + ")" +
		"&_pragma=foreign_keys(1)&_pragma=temp_store(MEMORY)&_txlock=immediate&_time_format=sqlite"
	dsn := "file:" + path + "?" + pragmas
	// The writer's page cache holds a bulk import's index pages (64 MiB);
	// each reader keeps 16 MiB. The writer leaves checkpoints to a
	// connection of its own (sqlite_checkpoint.go), whose RESTART cuts a WAL
	// that grew in a burst back to 64 MiB (the writer does not: extending
	// the file again after every reset costs more than it saves).
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
	e := &sqliteEngine{w: w, r: r, wstmts: newStmtCache(w, true), rstmts: newStmtCache(r, false)}
	db := &DB{Dialect: SQLite, Where: path, eng: e}
	e.groups = startGroups(db.Tx, 1)
	e.ck = startCheckpoints(ck, w)
	return db, nil
}

func (e *sqliteEngine) bind(q string) string { return q }

func (e *sqliteEngine) read(ctx context.Context, q string) (string, *sql.Stmt) {
	return q, e.rstmts.get(ctx, q)
}

func (e *sqliteEngine) readers() *sql.DB { return e.r }
func (e *sqliteEngine) writer() *sql.DB  { return e.w }

// stmt runs q without the caller's cancellation: a write statement is
// short, the transaction is still rolled back when the caller goes away
// (DB.Tx), and the driver then need not start a watcher goroutine for
// every statement.
func (e *sqliteEngine) stmt(ctx context.Context, tx *sql.Tx, q string) (context.Context, string, *sql.Stmt) {
	ctx = context.WithoutCancel(ctx)
	if st := e.wstmts.get(ctx, q); st != nil {
		return ctx, q, tx.StmtContext(ctx, st)
	}
	return ctx, q, nil
}

// ended prepares the texts the transaction met, now that the writer's one
// connection is free.
func (e *sqliteEngine) ended(ctx context.Context) { e.wstmts.prepare(ctx) }

// insertID takes the last insert rowid: the new id, for a table whose id is
// its INTEGER PRIMARY KEY, without reading a result row.
func (e *sqliteEngine) insertID(ctx context.Context, t *Tx, q string, args []any) (int64, error) {
	res, err := t.Exec(ctx, q, args...)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// addID inserts the row at once: one writer, no round trips to save.
func (e *sqliteEngine) addID(ctx context.Context, t *Tx, r *Rows, args []any) (int64, error) {
	return t.InsertID(ctx, r.insert(), args...)
}

// tryLock always grants: SQLite has one writer, and one server per file.
func (e *sqliteEngine) tryLock(context.Context, *Tx, int64) (bool, error) { return true, nil }

func (e *sqliteEngine) group(ctx context.Context, fn func(*Tx) error) error {
	return e.groups.run(ctx, fn)
}

// intact: a failed statement leaves a SQLite transaction usable.
func (e *sqliteEngine) intact(*Tx) bool { return true }

func (e *sqliteEngine) retryable(err error) bool {
	s := err.Error()
	return strings.Contains(s, "SQLITE_BUSY") || strings.Contains(s, "database is locked")
}

// commitFailed: a failed COMMIT on SQLite committed nothing (the driver
// rolls back what is left), so every such error is exact.
func (e *sqliteEngine) commitFailed(err error) error { return err }

func sqliteUniqueViolation(err error) bool {
	return strings.Contains(err.Error(), "UNIQUE constraint failed")
}

// backup copies the database while the server keeps running: VACUUM INTO
// reads one snapshot.
func (e *sqliteEngine) backup(ctx context.Context, file string) error {
	abs, err := filepath.Abs(file)
	if err != nil {
		return err
	}
	if _, err := os.Stat(abs); err == nil {
		return fmt.Errorf("备份文件 %s 已存在，不会覆盖", abs)
	}
	if strings.ContainsRune(abs, '\'') {
		return fmt.Errorf("备份文件路径不能含单引号")
	}
	_, err = e.r.ExecContext(ctx, "VACUUM INTO '"+abs+"'")
	return err
}

func (e *sqliteEngine) migrations() (string, goose.Dialect) {
	return "migrations/sqlite", goose.DialectSQLite3
}

// close answers the queued group commits, stops the checkpointer (which
// then copies the whole WAL into the file) and closes the pools.
func (e *sqliteEngine) close() error {
	e.closing.Do(func() {
		e.groups.stop()
		e.ck.stop()
		e.wstmts.close()
		e.rstmts.close()
		e.closeErr = e.w.Close()
		if err := e.r.Close(); e.closeErr == nil {
			e.closeErr = err
		}
	})
	return e.closeErr
}
