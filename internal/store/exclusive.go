package store

import (
	"context"
	"database/sql/driver"
	"time"
)

// Lock keys of the work that only one of several servers on a database may
// do at a time, held across transactions (Exclusive). A scheduled job that
// fits in one transaction takes Tx.TryLock instead. A key is four ASCII
// letters (it must fit 32 bits): PostgreSQL's advisory locks belong to the
// whole database, so the store pairs the key with the deployment's schema
// (hashtext(current_schema())), and deployments in two schemas of one
// database (or the tests' schemas) do not hold each other's locks.
const (
	// StartLock serialises the start of servers and commands on one
	// database: migrating, binding the keys, setting the deployment up
	// (root region, demo data, admin account). ("strt")
	StartLock int64 = 0x73747274
	// migrateLock serialises migrations: two servers started at once on
	// an empty database would otherwise both create its tables. ("mgrt")
	migrateLock int64 = 0x6d677274
)

// Exclusive runs fn while holding the named lock of the database, so that
// of several processes on one PostgreSQL database only one runs it at a
// time; the lock spans fn's transactions (a PostgreSQL session advisory
// lock on a connection of its own, freed with that connection should the
// process die). With wait it waits for the lock; without, it reports ran
// false at once when another holds it. SQLite has one server per file, so
// there fn simply runs. A wait that has to wait is first told to
// db.Waiting, for the operator.
func (db *DB) Exclusive(ctx context.Context, key int64, wait bool, fn func() error) (ran bool, err error) {
	if db.Dialect != Postgres {
		return true, fn()
	}
	conn, err := db.eng.writer().Conn(ctx)
	if err != nil {
		return false, err
	}
	defer conn.Close()
	err = conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock($1::int4, hashtext(current_schema()))", key).Scan(&ran)
	if err == nil && !ran && wait {
		if db.Waiting != nil {
			db.Waiting(key)
		}
		_, err = conn.ExecContext(ctx, "SELECT pg_advisory_lock($1::int4, hashtext(current_schema()))", key)
		ran = err == nil
	}
	if err != nil {
		// The statement may have taken the lock before it failed (the
		// context ended as it was granted): the connection must not
		// return to the pool possibly holding it.
		_ = conn.Raw(func(any) error { return driver.ErrBadConn })
		return false, err
	}
	if !ran {
		return false, nil
	}
	defer func() {
		// The lock is the session's: a connection that could not give it
		// back must not return to the pool holding it.
		unlock, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if _, uerr := conn.ExecContext(unlock, "SELECT pg_advisory_unlock($1::int4, hashtext(current_schema()))", key); uerr != nil {
			_ = conn.Raw(func(any) error { return driver.ErrBadConn })
		}
	}()
	return true, fn()
}
