package store_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"anwei/internal/store"
	"anwei/internal/store/storetest"
)

var settingRows = &store.Rows{Table: "settings", Cols: "key, value"}

// querier is a DB or a Tx.
type querier interface {
	QueryRow(context.Context, string, ...any) *sql.Row
}

func settingCount(t *testing.T, q querier, prefix string) int {
	t.Helper()
	var n int
	if err := q.QueryRow(context.Background(), "SELECT COUNT(*) FROM settings WHERE key LIKE ?", prefix+"%").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// Kept rows reach the table before a statement that names it, and at
// the commit, in statements of a power of two of rows (45 = 32+8+4+1);
// a rolled-back transaction leaves none.
func TestKeptRowsArriveInTime(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		err := db.Tx(ctx, func(tx *store.Tx) error {
			for i := range 45 {
				tx.Add(settingRows, fmt.Sprintf("kept.%02d", i), "v")
			}
			if n := settingCount(t, tx, "kept."); n != 45 {
				t.Errorf("a query naming settings saw %d kept rows, want 45", n)
			}
			tx.Add(settingRows, "kept.last", "v")
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if n := settingCount(t, db, "kept."); n != 46 {
			t.Errorf("after the commit %d rows, want 46 (the last kept without a statement after it)", n)
		}
		err = db.Tx(ctx, func(tx *store.Tx) error {
			tx.Add(settingRows, "gone.1", "v")
			return errRollback
		})
		if !errors.Is(err, errRollback) || settingCount(t, db, "gone.") != 0 {
			t.Errorf("rolled back: err %v, %d rows kept, want none", err, settingCount(t, db, "gone."))
		}
	})
}

// Under group commit a function that fails after keeping rows takes them
// with it, and one that fails after its read wrote the others' kept rows
// does not have them written twice; the others' rows commit.
func TestKeptRowsOfAFailedFunctionGo(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		release := blockGroup(t, db)
		var wg sync.WaitGroup
		errs := make([]error, 6)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = db.TxGroup(ctx, func(tx *store.Tx) error {
					if i == 4 { // keeps nothing, reads (writing the others' kept rows) and fails
						settingCount(t, tx, "group.")
						return errRollback
					}
					tx.Add(settingRows, fmt.Sprintf("group.%d", i), "v")
					if i == 2 { // fails with its row still kept
						return errRollback
					}
					return nil
				})
			}()
		}
		release()
		wg.Wait()
		for i, err := range errs {
			want := i != 2 && i != 4
			if (err == nil) != want || (err != nil && !errors.Is(err, errRollback)) {
				t.Errorf("function %d: err %v", i, err)
			}
			var n int
			if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM settings WHERE key = ?", fmt.Sprintf("group.%d", i)).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if (n == 1) != want {
				t.Errorf("function %d: %d rows, want committed %v", i, n, want)
			}
		}
	})
}

// AddID's ids are the rows' ids, distinct across the transactions of two
// handles on one database (two servers), and a row written at the commit
// is found by them.
func TestAddIDGivesTheRowsIDs(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { addIDs(t, storetest.SQLite(t)) })
	t.Run("postgres", func(t *testing.T) {
		dsn := storetest.PostgresDSN(t)
		addIDs(t, storetest.PostgresAt(t, dsn), storetest.PostgresAt(t, dsn))
	})
}

func addIDs(t *testing.T, dbs ...*store.DB) {
	ctx := context.Background()
	units := &store.Rows{Table: "units", Cols: "name, kind, level, created_at, updated_at"}
	names := map[int64]string{}
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for round := range 3 {
		for k, db := range dbs {
			err := db.Tx(ctx, func(tx *store.Tx) error {
				for i := range 50 {
					name := fmt.Sprintf("unit %d.%d.%d", round, k, i)
					id, err := tx.AddID(ctx, units, name, "department", 3, at, at)
					if err != nil {
						return err
					}
					if _, dup := names[id]; dup {
						t.Errorf("id %d given twice", id)
					}
					names[id] = name
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	if len(names) != 3*50*len(dbs) {
		t.Fatalf("%d ids, want %d", len(names), 3*50*len(dbs))
	}
	for id, name := range names {
		var got string
		if err := dbs[0].QueryRow(ctx, "SELECT name FROM units WHERE id = ?", id).Scan(&got); err != nil || got != name {
			t.Fatalf("unit %d: %q, %v; want %q", id, got, err, name)
		}
	}
}

// A kept row that fails fails its own function alone, with the cause
// (not PostgreSQL's "transaction is aborted" met by a later read), and its
// neighbours in the group commit.
func TestAFailingKeptRowFailsItsFunctionAlone(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if err := db.Tx(ctx, put("taken")); err != nil {
			t.Fatal(err)
		}
		err := db.Tx(ctx, func(tx *store.Tx) error {
			tx.Add(settingRows, "taken", "v")
			var n int
			return tx.QueryRow(ctx, "SELECT COUNT(*) FROM settings").Scan(&n) // aborted on PostgreSQL
		})
		if !store.IsUniqueViolation(err) {
			t.Errorf("Tx: %v, want the unique violation", err)
		}
		release := blockGroup(t, db)
		var wg sync.WaitGroup
		errs := make([]error, 5)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = db.TxGroup(ctx, func(tx *store.Tx) error {
					key := fmt.Sprintf("fail.%d", i)
					if i == 1 {
						key = "taken"
					}
					tx.Add(settingRows, key, "v")
					if i == 3 { // writes the kept rows; aborted on PostgreSQL when 1's went before
						var n int
						return tx.QueryRow(ctx, "SELECT COUNT(*) FROM settings").Scan(&n)
					}
					return nil
				})
			}()
		}
		release()
		wg.Wait()
		for i, err := range errs {
			if i == 1 {
				if !store.IsUniqueViolation(err) {
					t.Errorf("function 1: %v, want its unique violation", err)
				}
			} else if err != nil {
				t.Errorf("function %d: %v, want committed", i, err)
			}
		}
		if n := settingCount(t, db, "fail."); n != 4 {
			t.Errorf("%d rows of the others, want 4", n)
		}
	})
}
