package store_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"sync/atomic"
	"testing"

	"anwei/internal/store"
)

// A driver whose query "ok" yields the rows 1 and 2, "broken" the same and
// then fails with errBroken, "empty" nothing; and counts the row sets its callers closed: a real
// database cannot be made to fail half-way through a result on cue.
type fakeDriver struct{}

var (
	errBroken  = errors.New("connection broken after two rows")
	fakeClosed atomic.Int32
)

func init() { sql.Register("anwei-fake-rows", fakeDriver{}) }

func (fakeDriver) Open(string) (driver.Conn, error) { return fakeConn{}, nil }

type fakeConn struct{}

func (fakeConn) Prepare(q string) (driver.Stmt, error) { return fakeStmt{q}, nil }
func (fakeConn) Close() error                          { return nil }
func (fakeConn) Begin() (driver.Tx, error)             { return nil, errors.New("no transactions") }

type fakeStmt struct{ q string }

func (fakeStmt) Close() error                               { return nil }
func (fakeStmt) NumInput() int                              { return -1 }
func (fakeStmt) Exec([]driver.Value) (driver.Result, error) { return nil, errors.New("no exec") }
func (s fakeStmt) Query([]driver.Value) (driver.Rows, error) {
	r := &fakeRows{last: 2, fail: s.q == "broken"}
	if s.q == "empty" {
		r.last = 0
	}
	return r, nil
}

type fakeRows struct {
	n, last int64
	fail    bool
}

func (*fakeRows) Columns() []string { return []string{"n"} }
func (*fakeRows) Close() error      { fakeClosed.Add(1); return nil }
func (r *fakeRows) Next(dest []driver.Value) error {
	if r.n == r.last {
		if r.fail {
			return errBroken
		}
		return io.EOF
	}
	r.n++
	dest[0] = r.n
	return nil
}

func fakeDB(t *testing.T) *sql.DB {
	db, err := sql.Open("anwei-fake-rows", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestCollect: every row scanned in order; a scan error and an error that
// ends the iteration both come back, with the rows closed and the
// connection back in the pool; a failed query is passed through.
func TestCollect(t *testing.T) {
	ctx := context.Background()
	db := fakeDB(t)
	collect := func(q string, scan func(store.Scanner) (int64, error)) ([]int64, error) {
		rows, err := db.QueryContext(ctx, q)
		return store.Collect(rows, err, scan)
	}
	closedBefore := fakeClosed.Load()
	got, err := collect("ok", store.Value[int64])
	if err != nil || len(got) != 2 || got[0] != 1 || got[1] != 2 {
		t.Fatalf("Collect = %v, %v; want [1 2]", got, err)
	}

	if _, err := collect("broken", store.Value[int64]); !errors.Is(err, errBroken) {
		t.Fatalf("iteration error: got %v, want %v", err, errBroken)
	}

	bad := errors.New("bad row")
	calls := 0
	_, err = collect("ok", func(r store.Scanner) (int64, error) {
		calls++
		return 0, bad
	})
	if !errors.Is(err, bad) || calls != 1 {
		t.Fatalf("scan error: got %v after %d calls, want %v after 1", err, calls, bad)
	}
	if n := fakeClosed.Load() - closedBefore; n != 3 {
		t.Fatalf("%d of 3 row sets closed", n)
	}
	if s := db.Stats(); s.InUse != 0 {
		t.Fatalf("%d connections still in use", s.InUse)
	}

	failed := errors.New("query failed")
	if got, err := store.Collect(nil, failed, store.Value[int64]); got != nil || !errors.Is(err, failed) {
		t.Fatalf("failed query: got %v, %v", got, err)
	}
}

// TestCollectEmpty: no row is a nil slice and no error, as the loops it
// replaced gave.
func TestCollectEmpty(t *testing.T) {
	rows, err := fakeDB(t).QueryContext(context.Background(), "empty")
	got, err := store.Collect(rows, err, store.Value[int64])
	if err != nil || got != nil {
		t.Fatalf("got %#v, %v; want nil, nil", got, err)
	}
}

// TestEach: fn sees every row until it fails; its error, or the one that
// ended the iteration, comes back, and the rows are closed either way.
func TestEach(t *testing.T) {
	ctx := context.Background()
	db := fakeDB(t)
	each := func(q string, fn func(store.Scanner) error) error {
		rows, err := db.QueryContext(ctx, q)
		return store.Each(rows, err, fn)
	}
	sum := int64(0)
	add := func(r store.Scanner) error {
		var v int64
		err := r.Scan(&v)
		sum += v
		return err
	}
	if err := each("ok", add); err != nil || sum != 3 {
		t.Fatalf("Each = %v with sum %d; want nil with 3", err, sum)
	}
	if err := each("broken", add); !errors.Is(err, errBroken) || sum != 6 {
		t.Fatalf("iteration error: got %v with sum %d, want %v with 6", err, sum, errBroken)
	}
	stop := errors.New("stop")
	calls := 0
	if err := each("ok", func(store.Scanner) error { calls++; return stop }); !errors.Is(err, stop) || calls != 1 {
		t.Fatalf("fn error: got %v after %d calls, want %v after 1", err, calls, stop)
	}
	if s := db.Stats(); s.InUse != 0 {
		t.Fatalf("%d connections still in use", s.InUse)
	}
}
