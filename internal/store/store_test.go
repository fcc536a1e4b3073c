package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"anwei/internal/store"
	"anwei/internal/store/storetest"
)

func TestRebind(t *testing.T) {
	cases := []struct{ in, want string }{
		{"SELECT 1", "SELECT 1"},
		{"a = ? AND b = ?", "a = $1 AND b = $2"},
		{"x = '?' AND y = ?", "x = '?' AND y = $1"},
	}
	for _, c := range cases {
		if got := store.Rebind(c.in); got != c.want {
			t.Errorf("Rebind(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestMigrateIsIdempotent(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, db *store.DB) {
		n, err := db.Migrate(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Fatalf("second migrate applied %d migrations, want 0", n)
		}
	})
}

// TestTxRollsBackAndCommits: a failing function leaves nothing behind; many
// concurrent writers all commit, with no "database is locked".
func TestTxRollsBackAndCommits(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		boom := errors.New("boom")
		err := db.Tx(ctx, func(tx *store.Tx) error {
			if _, err := tx.Exec(ctx, "INSERT INTO settings (key, value) VALUES (?, ?)", "k", "v"); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("err = %v, want boom", err)
		}
		var n int
		if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM settings").Scan(&n); err != nil || n != 0 {
			t.Fatalf("after rollback: n=%d err=%v", n, err)
		}
		var wg sync.WaitGroup
		errs := make(chan error, 400)
		for w := 0; w < 8; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				for i := 0; i < 50; i++ {
					errs <- db.Tx(ctx, func(tx *store.Tx) error {
						_, err := tx.Exec(ctx, "INSERT INTO settings (key, value) VALUES (?, ?)", fmt.Sprintf("w%d-%d", w, i), "v")
						return err
					})
				}
			}(w)
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM settings").Scan(&n); err != nil || n != 400 {
			t.Fatalf("after concurrent writes: n=%d err=%v", n, err)
		}
		if !store.IsUniqueViolation(db.Tx(ctx, func(tx *store.Tx) error {
			_, err := tx.Exec(ctx, "INSERT INTO settings (key, value) VALUES (?, ?)", "w0-0", "dup")
			return err
		})) {
			t.Fatal("duplicate key not reported as unique violation")
		}
	})
}

// TestTxGroupIsolatesEachCaller: concurrent TxGroup callers commit
// together, but one whose function fails — before writing, or after (the
// group then runs again without it) — leaves nothing and gets its own
// error, and nobody's work is committed twice.
func TestTxGroupIsolatesEachCaller(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		boom := errors.New("boom")
		var wg sync.WaitGroup
		errs := make([]error, 200)
		for i := range errs {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				errs[i] = db.TxGroup(ctx, func(tx *store.Tx) error {
					var n int
					if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM settings WHERE key = ?", fmt.Sprintf("g%d", i)).Scan(&n); err != nil || n != 0 {
						return fmt.Errorf("caller %d runs again after committing: %d %v", i, n, err)
					}
					if i%10 == 7 {
						return boom // before writing anything
					}
					if _, err := tx.Exec(ctx, "INSERT INTO settings (key, value) VALUES (?, ?)", fmt.Sprintf("g%d", i), "v"); err != nil {
						return err
					}
					if i%10 == 3 {
						return boom // after writing
					}
					return nil
				})
			}(i)
		}
		wg.Wait()
		for i, err := range errs {
			if (i%10 == 3 || i%10 == 7) != errors.Is(err, boom) {
				t.Fatalf("caller %d: err = %v", i, err)
			}
		}
		var n, failed int
		if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM settings WHERE key LIKE 'g%'").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM settings WHERE key IN ('g3', 'g13', 'g193', 'g7', 'g197')").Scan(&failed); err != nil {
			t.Fatal(err)
		}
		if n != 160 || failed != 0 {
			t.Fatalf("committed %d (want 160), failed callers' rows %d", n, failed)
		}
	})
}
