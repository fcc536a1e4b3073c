package store_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"anwei/internal/store"
	"anwei/internal/store/storetest"
)

var errRollback = errors.New("roll back")

// put is a function that writes key.
func put(key string) func(tx *store.Tx) error {
	return func(tx *store.Tx) error {
		_, err := tx.Exec(context.Background(), "INSERT INTO settings (key, value) VALUES (?, 'v')", key)
		return err
	}
}

func committed(t *testing.T, db *store.DB, key string) bool {
	t.Helper()
	var n int
	if err := db.QueryRow(context.Background(), "SELECT COUNT(*) FROM settings WHERE key = ?", key).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n == 1
}

// notCommitted checks that err says, as the contract promises, that the
// write did not commit because the caller's context ended.
func notCommitted(t *testing.T, db *store.DB, what string, err error, key string) {
	t.Helper()
	if !errors.Is(err, store.ErrNotCommitted) || !errors.Is(err, context.Canceled) {
		t.Errorf("%s: err = %v, want ErrNotCommitted and context.Canceled", what, err)
	}
	if committed(t, db, key) {
		t.Errorf("%s: %s is in the database, want it not committed", what, key)
	}
}

// blockGroup starts a TxGroup whose function holds the committer (on
// SQLite the callers after it queue) until release is called.
func blockGroup(t *testing.T, db *store.DB) (release func()) {
	started, rel, done := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	var once sync.Once
	go func() {
		done <- db.TxGroup(context.Background(), func(tx *store.Tx) error {
			once.Do(func() { close(started) })
			<-rel
			return nil
		})
	}()
	<-started
	return func() {
		close(rel)
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}

// blockAll holds every group loop of db (SQLite has one, PostgreSQL
// several), so the callers after it queue and run in one group at release.
func blockAll(t *testing.T, db *store.DB) (release func()) {
	var releases []func()
	for range store.GroupLoops(db) {
		releases = append(releases, blockGroup(t, db))
	}
	return func() {
		for _, r := range releases {
			r()
		}
	}
}

// TestTxGroupCancellation: a TxGroup caller whose context ends learns
// exactly whether its write committed. One whose context ended while it
// was queued is skipped: its function never runs and it gets
// ErrNotCommitted. One whose function already ran waits for its group's
// commit: committed, nil. (Before, the caller got ctx.Err() while its
// write could still commit.)
func TestTxGroupCancellation(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, db *store.DB) {
		// Cancelled while queued behind running groups (every loop busy).
		release := blockAll(t, db)
		ctx, cancel := context.WithCancel(context.Background())
		ran := false
		queued := make(chan error, 1)
		go func() {
			queued <- db.TxGroup(ctx, func(tx *store.Tx) error { ran = true; return put("queued")(tx) })
		}()
		for store.Queued(db) < 1 {
			runtime.Gosched()
		}
		cancel()
		release()
		notCommitted(t, db, "cancelled while queued", <-queued, "queued")
		if ran {
			t.Error("the function of a caller cancelled before its turn ran")
		}

		// Cancelled while its function runs.
		ctx, cancel = context.WithCancel(context.Background())
		running := make(chan struct{})
		var once sync.Once
		result := make(chan error, 1)
		go func() {
			result <- db.TxGroup(ctx, func(tx *store.Tx) error {
				if err := put("running")(tx); err != nil {
					return err
				}
				once.Do(func() { close(running) })
				<-ctx.Done()
				return nil
			})
		}()
		<-running
		cancel()
		if err := <-result; err != nil || !committed(t, db, "running") {
			t.Errorf("cancelled after its function ran: err = %v, committed = %v; want nil and committed", err, committed(t, db, "running"))
		}
	})
}

// TestTxGroupTrustsDeclaredWrites: a function that fails after writing
// through ExecRow (INSERT … RETURNING) is taken out of its group — the
// group runs again without it — while the function beside it commits.
// Group commit knows it wrote only because ExecRow declares a write.
func TestTxGroupTrustsDeclaredWrites(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		boom := errors.New("boom")
		release := blockAll(t, db)
		errs := make(chan error, 2)
		go func() {
			errs <- db.TxGroup(ctx, func(tx *store.Tx) error {
				var k string
				if err := tx.ExecRow(ctx, "INSERT INTO settings (key, value) VALUES ('failed', 'v') RETURNING key").Scan(&k); err != nil {
					return err
				}
				return boom
			})
		}()
		for store.Queued(db) < 1 {
			runtime.Gosched()
		}
		go func() { errs <- db.TxGroup(ctx, put("beside")) }()
		for store.Queued(db) < 2 {
			runtime.Gosched()
		}
		release()
		var failed, ok int
		for range 2 {
			switch err := <-errs; {
			case errors.Is(err, boom):
				failed++
			case err == nil:
				ok++
			default:
				t.Fatal(err)
			}
		}
		if failed != 1 || ok != 1 {
			t.Fatalf("failed %d, ok %d", failed, ok)
		}
		if committed(t, db, "failed") || !committed(t, db, "beside") {
			t.Errorf("failed function's row committed: %v; the other's: %v", committed(t, db, "failed"), committed(t, db, "beside"))
		}
	})
}

// TestTxGroupPanicReachesItsCaller: a panic in a group's function is raised
// again in its caller — not in the committer, which would take the server
// down — and the group commits without it.
func TestTxGroupPanicReachesItsCaller(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		release := blockAll(t, db)
		panicked := make(chan any, 1)
		go func() {
			defer func() { panicked <- recover() }()
			_ = db.TxGroup(ctx, func(tx *store.Tx) error {
				if err := put("panicked")(tx); err != nil {
					return err
				}
				panic("a bug")
			})
		}()
		for store.Queued(db) < 1 {
			runtime.Gosched()
		}
		beside := make(chan error, 1)
		go func() { beside <- db.TxGroup(ctx, put("beside")) }()
		release()
		if p := <-panicked; p == nil || !strings.Contains(fmt.Sprint(p), "a bug") {
			t.Fatalf("caller recovered %v, want the function's panic", p)
		}
		if err := <-beside; err != nil {
			t.Fatal(err)
		}
		if committed(t, db, "panicked") || !committed(t, db, "beside") {
			t.Errorf("panicked function's row committed: %v; the other's: %v", committed(t, db, "panicked"), committed(t, db, "beside"))
		}
		if err := db.TxGroup(ctx, put("after")); err != nil {
			t.Fatal(err)
		}
	})
}

// TestTxCancellation: DB.Tx whose context ends before it commits — while
// its function runs, in a BeforeCommit hook, or before it starts — reports
// ErrNotCommitted and context.Canceled, and nothing is written.
func TestTxCancellation(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, db *store.DB) {
		ctx, cancel := context.WithCancel(context.Background())
		err := db.Tx(ctx, func(tx *store.Tx) error {
			if err := put("during")(tx); err != nil {
				return err
			}
			cancel()
			return nil
		})
		notCommitted(t, db, "cancelled during fn", err, "during")

		ctx, cancel = context.WithCancel(context.Background())
		err = db.Tx(ctx, func(tx *store.Tx) error {
			tx.BeforeCommit("cancel", func(context.Context) error { cancel(); return nil })
			return put("hook")(tx)
		})
		notCommitted(t, db, "cancelled in a hook", err, "hook")

		err = db.Tx(ctx, put("before"))
		notCommitted(t, db, "cancelled before", err, "before")
		defer cancel()
	})
}

// TestTxGroupAnswersCallersAtClose (SQLite): a caller queued when the
// database closes is answered, exactly — its write committed with nil, or
// ErrNotCommitted and nothing written — and a caller after Close gets
// ErrNotCommitted.
func TestTxGroupAnswersCallersAtClose(t *testing.T) {
	db := storetest.SQLite(t)
	ctx := context.Background()
	release := blockGroup(t, db)
	queued := make(chan error, 1)
	go func() { queued <- db.TxGroup(ctx, put("queued")) }()
	for store.Queued(db) < 1 {
		runtime.Gosched()
	}
	closed := make(chan error, 1)
	go func() { closed <- db.Close() }()
	release()
	err := <-queued
	if err != nil && !errors.Is(err, store.ErrNotCommitted) {
		t.Fatalf("queued caller at close: %v", err)
	}
	if err := <-closed; err != nil {
		t.Fatal(err)
	}
	if err := db.TxGroup(ctx, put("after")); !errors.Is(err, store.ErrNotCommitted) {
		t.Fatalf("caller after close: %v, want ErrNotCommitted", err)
	}
	db, err2 := store.OpenSQLite(ctx, db.Where, "")
	if err2 != nil {
		t.Fatal(err2)
	}
	defer db.Close()
	if committed(t, db, "queued") != (err == nil) {
		t.Fatalf("queued caller told %v, committed %v", err, committed(t, db, "queued"))
	}
}

// TestTxGroupSurvivesAFailedStatement: a function whose statement fails
// without a declared write (on PostgreSQL that aborts the transaction) is
// left out, and the functions grouped with it — before and after it —
// commit, each told nil.
func TestTxGroupSurvivesAFailedStatement(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		release := blockAll(t, db)
		errs := make(chan error, 3)
		go func() { errs <- db.TxGroup(ctx, put("before")) }()
		for store.Queued(db) < 1 {
			runtime.Gosched()
		}
		go func() {
			errs <- db.TxGroup(ctx, func(tx *store.Tx) error {
				var n int
				return tx.QueryRow(ctx, "SELECT 1 / (SELECT COUNT(*) FROM settings WHERE key = 'none')").Scan(&n)
			})
		}()
		for store.Queued(db) < 2 {
			runtime.Gosched()
		}
		go func() { errs <- db.TxGroup(ctx, put("after")) }()
		for store.Queued(db) < 3 {
			runtime.Gosched()
		}
		release()
		var failed int
		for range 3 {
			if err := <-errs; err != nil {
				failed++
			}
		}
		if failed != 1 || !committed(t, db, "before") || !committed(t, db, "after") {
			t.Errorf("%d failed (want 1); before committed %v, after %v", failed, committed(t, db, "before"), committed(t, db, "after"))
		}
	})
}

// TestTxGroupRetriesADeadlock (PostgreSQL): a deadlock met by one function
// of a group is the group's (two groups committing at once took two rows
// in opposite orders), not the function's: the group runs again and the
// caller is told nil, not the deadlock.
func TestTxGroupRetriesADeadlock(t *testing.T) {
	db := storetest.Postgres(t)
	ctx := context.Background()
	tries := 0
	err := db.TxGroup(ctx, func(tx *store.Tx) error {
		tries++
		if err := put(fmt.Sprintf("try-%d", tries))(tx); err != nil {
			return err
		}
		if tries == 1 {
			return fmt.Errorf("取编号: %w", &pgconn.PgError{Code: "40P01", Message: "deadlock detected"})
		}
		return nil
	})
	if err != nil || tries != 2 {
		t.Fatalf("err = %v after %d tries, want nil after 2", err, tries)
	}
	if committed(t, db, "try-1") || !committed(t, db, "try-2") {
		t.Errorf("the first try's write committed (%v) or the second's did not (%v)", committed(t, db, "try-1"), committed(t, db, "try-2"))
	}
}

// TestTxGroupHooksOutliveACaller: a commit-time function runs with the
// transaction's context, not with that of the caller who registered it:
// here the first caller of a group registers one and has gone (its context
// ended) by the time the group commits. Both callers' writes commit, each
// told nil — the first because its function ran. (Before, the function
// ran with the gone caller's context and, on PostgreSQL, failed the whole
// group: an HTTP 500 for everybody beside a closed browser.)
func TestTxGroupHooksOutliveACaller(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, db *store.DB) {
		release := blockAll(t, db)
		gone, leave := context.WithCancel(context.Background())
		errs := make(chan error, 2)
		go func() {
			errs <- db.TxGroup(gone, func(tx *store.Tx) error {
				tx.AtCommit("late", func(ctx context.Context) error {
					_, err := tx.Exec(ctx, "INSERT INTO settings (key, value) VALUES ('late', 'v')")
					return err
				})
				return put("gone")(tx)
			})
		}()
		for store.Queued(db) < 1 {
			runtime.Gosched()
		}
		go func() {
			errs <- db.TxGroup(context.Background(), func(tx *store.Tx) error {
				leave() // the first caller goes after its function ran
				return put("stayed")(tx)
			})
		}()
		for store.Queued(db) < 2 {
			runtime.Gosched()
		}
		release()
		for range 2 {
			if err := <-errs; err != nil {
				t.Errorf("a caller was told %v", err)
			}
		}
		for _, k := range []string{"gone", "stayed", "late"} {
			if !committed(t, db, k) {
				t.Errorf("%s did not commit", k)
			}
		}
	})
}

// A server opened with anwei_groups=1 runs one group loop.
func TestGroupLoopsFromTheDSN(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	if n := store.GroupLoops(storetest.PostgresAt(t, dsn+sep+"anwei_groups=1")); n != 1 {
		t.Errorf("%d loops, want 1", n)
	}
	if n := store.GroupLoops(storetest.PostgresAt(t, dsn)); n != 2 {
		t.Errorf("%d loops by default, want 2", n)
	}
}
