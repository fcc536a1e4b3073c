package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver "pgx"
	"github.com/pressly/goose/v3"
)

// postgresEngine is PostgreSQL through pgx: one pool for reads and writes
// (pgx caches its own prepared statements), `?` rewritten to `$n`.
type postgresEngine struct {
	pool   *sql.DB
	groups *committer
	once   sync.Once
	ids    ids   // Tx.AddID's blocks
	conns  conns // the open transactions' connections (copy.go)
}

// pgGroupLoops is how many groups one server commits at once on
// PostgreSQL by default: while one waits for its COMMIT to be flushed, the
// other gathers. Every group of every server ends on the same serial rows
// (the audit head, a busy enterprise's counts), so several servers on one
// database do better with fewer each: the DSN's anwei_groups=N sets it
// (README: one per server when several share a database). Measured on the
// 2-core machine (issue 19 note): one server 3,119 hazards/s with 2 and
// 2,861 with 1; two servers with 2 each 0.73 of one, with 1 each 1.02.
const pgGroupLoops = 2

// groupsParam is the DSN parameter that sets a server's group loops; it is
// anwei's, taken out before the DSN reaches the driver.
const groupsParam = "anwei_groups"

// pgGroups takes anwei_groups out of dsn: the DSN for the driver and the
// loops (pgGroupLoops when absent).
func pgGroups(dsn string) (string, int, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn, pgGroupLoops, nil // the driver says what is wrong with it
	}
	q := u.Query()
	if !q.Has(groupsParam) {
		return dsn, pgGroupLoops, nil
	}
	n, err := strconv.Atoi(q.Get(groupsParam))
	if err != nil || n < 1 || n > 8 {
		return dsn, 0, fmt.Errorf("数据库地址的 %s=%q 应为 1 到 8 的整数 (每台服务器同时提交的事务组数)", groupsParam, q.Get(groupsParam))
	}
	q.Del(groupsParam)
	u.RawQuery = q.Encode()
	return u.String(), n, nil
}

// noJIT turns PostgreSQL's JIT compilation off in each new session (an
// AfterConnect SET, which PgBouncer passes on as it would not a startup
// parameter), unless the DSN sets jit itself. anwei's statements are
// short, and a listing whose estimate crossed jit_above_cost (a table the
// planner thought large, or small when it was not) spent 20–200 ms
// compiling for a few ms of work: measured on the registry's lookups and
// the hazards' per-enterprise counts (issue 20).
func noJIT(cfg *pgx.ConnConfig) []stdlib.OptionOpenDB {
	if _, set := cfg.RuntimeParams["jit"]; set {
		return nil
	}
	return []stdlib.OptionOpenDB{stdlib.OptionAfterConnect(func(ctx context.Context, c *pgx.Conn) error {
		_, err := c.Exec(ctx, "SET jit = off")
		return err
	})}
}

func openPostgres(ctx context.Context, dsn string) (*DB, error) {
	dsn, loops, err := pgGroups(dsn)
	if err != nil {
		return nil, err
	}
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("连接 PostgreSQL: %w", err)
	}
	pool := stdlib.OpenDB(*cfg, noJIT(cfg)...)
	// More connections than group loops, by a margin: each loop holds one
	// while its group runs, and a group may need another beside it
	// (numbering's blocks, Tx.Aside) — with every connection held by a
	// loop, that one would wait for ever.
	conns := max(8, runtime.NumCPU()*4, 2*loops+4)
	pool.SetMaxOpenConns(conns)
	pool.SetMaxIdleConns(conns)
	if err := pool.PingContext(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("连接 PostgreSQL: %w", err)
	}
	e := &postgresEngine{pool: pool}
	db := &DB{Dialect: Postgres, Where: redact(dsn), eng: e}
	e.groups = startGroups(db.Tx, loops)
	return db, nil
}

// redact hides the password of a DSN for logs (in its user part or as a
// password= parameter).
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.Host == "" {
		return dsn
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "***")
	}
	if q := u.Query(); q.Has("password") {
		q.Set("password", "***")
		u.RawQuery = q.Encode()
	}
	return strings.Replace(u.String(), ":%2A%2A%2A@", ":***@", 1)
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
			b.WriteString(strconv.Itoa(n))
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func (e *postgresEngine) bind(q string) string { return Rebind(q) }

func (e *postgresEngine) read(_ context.Context, q string) (string, *sql.Stmt) {
	return Rebind(q), nil
}

func (e *postgresEngine) readers() *sql.DB { return e.pool }
func (e *postgresEngine) writer() *sql.DB  { return e.pool }

// stmt runs q with the caller's context: a statement the caller no longer
// waits for is cancelled on the server.
func (e *postgresEngine) stmt(ctx context.Context, _ *sql.Tx, q string) (context.Context, string, *sql.Stmt) {
	return ctx, Rebind(q), nil
}

func (e *postgresEngine) ended(context.Context) {}

func (e *postgresEngine) insertID(ctx context.Context, t *Tx, q string, args []any) (int64, error) {
	var id int64
	err := t.ExecRow(ctx, q+" RETURNING id", args...).Scan(&id)
	return id, err
}

// addID takes the row's id from the server's block and keeps the row
// (Tx.AddID).
func (e *postgresEngine) addID(ctx context.Context, t *Tx, r *Rows, args []any) (int64, error) {
	id, err := e.ids.next(ctx, t, r.Table)
	if err != nil {
		return 0, err
	}
	t.Add(r.withID(), append([]any{id}, args...)...)
	return id, nil
}

// tryLock takes a transaction-scoped advisory lock, so that only one of
// several anwei servers runs a scheduled job at a time; the key (four ASCII
// letters) is paired with the schema, as Exclusive's.
func (e *postgresEngine) tryLock(ctx context.Context, t *Tx, key int64) (bool, error) {
	var ok bool
	err := t.QueryRow(ctx, "SELECT pg_try_advisory_xact_lock(?::int4, hashtext(current_schema()))", key).Scan(&ok)
	return ok, err
}

// group runs fn in a group commit (group.go): one transaction, one set of
// end-of-transaction locks (audit head, count rows) and one COMMIT
// serve the whole group, several groups at once.
func (e *postgresEngine) group(ctx context.Context, fn func(*Tx) error) error {
	return e.groups.run(ctx, fn)
}

// intact asks the server whether t still runs statements: one that failed
// (a constraint, a cancelled query) aborts a PostgreSQL transaction, and
// the group's later functions would fail for it. Asked only when a
// function failed.
func (e *postgresEngine) intact(t *Tx) bool {
	_, err := t.tx.ExecContext(context.Background(), "SELECT 1")
	return err == nil
}

// PostgreSQL error codes the store acts on.
const (
	pgSerializationFailure = "40001"
	pgDeadlock             = "40P01"
	pgUnique               = "23505"
)

func (e *postgresEngine) retryable(err error) bool {
	var pg *pgconn.PgError
	return errors.As(err, &pg) && (pg.Code == pgSerializationFailure || pg.Code == pgDeadlock)
}

func pgUniqueViolation(err error) bool {
	var pg *pgconn.PgError
	return errors.As(err, &pg) && pg.Code == pgUnique
}

// commitFailed tells a COMMIT that certainly did not commit — the server
// answered with an error or a rollback, or pgx sent nothing — from one
// whose answer was lost with the connection: ErrCommitUnknown.
func (e *postgresEngine) commitFailed(err error) error {
	if commitKnownFailed(err) {
		return err
	}
	return fmt.Errorf("%w: %w", ErrCommitUnknown, err)
}

func commitKnownFailed(err error) bool {
	var pg *pgconn.PgError
	return errors.As(err, &pg) || errors.Is(err, pgx.ErrTxCommitRollback) || errors.Is(err, pgx.ErrTxClosed) ||
		errors.Is(err, sql.ErrTxDone) || pgconn.SafeToRetry(err)
}

func (e *postgresEngine) backup(context.Context, string) error { return ErrPostgresBackup }

// PgDumpCommand is the command that backs up the PostgreSQL database, to
// be run as printed. It carries no password (a command line is seen by
// every user of the machine; Where's "***" would fail): pg_dump takes it
// from PGPASSWORD or ~/.pgpass.
// Of the DSN's parameters it keeps those libpq knows (pgx's own, such as
// search_path or pool settings, would make pg_dump fail).
func (db *DB) PgDumpCommand(file string) string {
	return fmt.Sprintf("pg_dump --format=custom --file='%s' '%s'", file, libpqDSN(db.Where))
}

// libpqDSN is the redacted DSN without its password and with only the
// parameters libpq takes.
func libpqDSN(where string) string {
	u, err := url.Parse(where)
	if err != nil || u.Host == "" {
		return where
	}
	if u.User != nil {
		u.User = url.User(u.User.Username())
	}
	q, keep := u.Query(), url.Values{}
	for k, v := range q {
		switch k {
		case "sslmode", "sslrootcert", "sslcert", "sslkey", "sslpassword", "connect_timeout", "application_name",
			"target_session_attrs", "options", "channel_binding", "gssencmode", "service", "passfile":
			keep[k] = v
		}
	}
	u.RawQuery = keep.Encode()
	return u.String()
}

func (e *postgresEngine) migrations() (string, goose.Dialect) {
	return "migrations/postgres", goose.DialectPostgres
}

// close answers the queued group commits and closes the pool.
func (e *postgresEngine) close() error {
	e.once.Do(e.groups.stop)
	return e.pool.Close()
}
