package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"anwei/internal/store"
	"anwei/internal/store/storetest"
)

// Copy writes every row, in chunks on SQLite (2,500 rows: 1,000, 1,000,
// 500) and one COPY on PostgreSQL; a rolled-back transaction leaves none;
// rows kept by Add reach the table before the copied ones, so a copied row
// that repeats a kept one's key fails the Copy, and with it the
// transaction.
func TestCopy(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		cols := []string{"key", "value"}
		row := func(prefix string) func(int, []any) []any {
			return func(i int, dst []any) []any { return append(dst, fmt.Sprintf("%s.%04d", prefix, i), fmt.Sprint(i*i)) }
		}
		err := db.Tx(ctx, func(tx *store.Tx) error {
			b := tx.Batch()
			defer b.Close()
			return b.Copy(ctx, "settings", cols, 2500, row("copy"))
		})
		if err != nil {
			t.Fatal(err)
		}
		if n := settingCount(t, db, "copy."); n != 2500 {
			t.Errorf("%d rows copied, want 2500", n)
		}
		var v string
		if err := db.QueryRow(ctx, "SELECT value FROM settings WHERE key = 'copy.2499'").Scan(&v); err != nil || v != "6245001" {
			t.Errorf("copy.2499 = %q (%v), want 6245001", v, err)
		}

		err = db.Tx(ctx, func(tx *store.Tx) error {
			b := tx.Batch()
			defer b.Close()
			if err := b.Copy(ctx, "settings", cols, 10, row("undone")); err != nil {
				return err
			}
			return errRollback
		})
		if !errors.Is(err, errRollback) || settingCount(t, db, "undone.") != 0 {
			t.Errorf("rolled back: err %v, %d rows left, want none", err, settingCount(t, db, "undone."))
		}

		err = db.Tx(ctx, func(tx *store.Tx) error {
			tx.Add(settingRows, "clash.0003", "kept")
			b := tx.Batch()
			defer b.Close()
			return b.Copy(ctx, "settings", cols, 5, row("clash"))
		})
		if err == nil {
			t.Error("a copied row repeating a kept row's key was let in")
		}
		if n := settingCount(t, db, "clash."); n != 0 {
			t.Errorf("the failed transaction left %d rows", n)
		}
	})
}

// anwei's PostgreSQL sessions run without JIT compilation, set in each new
// session (not a startup parameter, which PgBouncer refuses); a DSN that
// sets jit keeps its own. SQLite has none to turn off.
func TestSessionsWithoutJIT(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, db *store.DB) {
		if db.Dialect != store.Postgres {
			return
		}
		ctx := context.Background()
		var jit string
		if err := db.QueryRow(ctx, "SELECT current_setting('jit')").Scan(&jit); err != nil || jit != "off" {
			t.Errorf("jit = %q (%v), want off", jit, err)
		}
		own, err := store.Open(ctx, storetest.PostgresDSN(t)+"&jit=on", t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		defer own.Close()
		if err := own.QueryRow(ctx, "SELECT current_setting('jit')").Scan(&jit); err != nil || jit != "on" {
			t.Errorf("with jit=on in the DSN: jit = %q (%v), want on", jit, err)
		}
	})
}
