package store_test

import (
	"context"
	"fmt"
	"testing"

	"anwei/internal/store"
	"anwei/internal/store/storetest"
)

// writes are statements a read method must refuse; reads, statements it
// must run.
var (
	writes = []string{
		"INSERT INTO settings (key, value) VALUES ('w', 'v') RETURNING key",
		"  update settings SET value = 'x' WHERE key = 'r' RETURNING key",
		"DELETE FROM settings WHERE key = 'r' RETURNING key",
		"REPLACE INTO settings (key, value) VALUES ('w', 'v')",
		"WITH d AS (DELETE FROM settings WHERE key = 'r' RETURNING key) SELECT key FROM d",
		"-- a comment first\nINSERT INTO settings (key, value) VALUES ('w', 'v') RETURNING key",
		"PRAGMA user_version = 7",
	}
	reads = []string{
		"SELECT key FROM settings WHERE key = 'r'",
		"\n\t select key FROM settings WHERE value <> 'DELETE'",
		"WITH k AS (SELECT key FROM settings) SELECT key FROM k WHERE key = 'r'",
		"WITH k AS (SELECT key, 'update' AS note FROM settings) SELECT key FROM k -- INSERT later\n WHERE key = 'r'",
		"/* list */ SELECT key FROM settings WHERE key = 'r'",
	}
)

// TestReadMethodsRefuseWrites: the four read methods panic on a statement
// that writes — nothing is written — and run every read; the write
// methods run the writing statements, returning their rows.
func TestReadMethodsRefuseWrites(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if err := db.Tx(ctx, func(tx *store.Tx) error {
			_, err := tx.Exec(ctx, "INSERT INTO settings (key, value) VALUES ('r', 'v')")
			return err
		}); err != nil {
			t.Fatal(err)
		}
		methods := map[string]func(tx *store.Tx, q string) error{
			"DB.Query": func(_ *store.Tx, q string) error {
				rows, err := db.Query(ctx, q)
				if err == nil {
					rows.Close()
				}
				return err
			},
			"DB.QueryRow": func(_ *store.Tx, q string) error { var s string; return db.QueryRow(ctx, q).Scan(&s) },
			"Tx.Query": func(tx *store.Tx, q string) error {
				rows, err := tx.Query(ctx, q)
				if err == nil {
					rows.Close()
				}
				return err
			},
			"Tx.QueryRow": func(tx *store.Tx, q string) error { var s string; return tx.QueryRow(ctx, q).Scan(&s) },
		}
		for name, run := range methods {
			for _, q := range writes {
				if p := panicOf(db, func(tx *store.Tx) error { return run(tx, q) }); p == nil {
					t.Errorf("%s ran a writing statement: %q", name, q)
				}
			}
			for _, q := range reads {
				if p := panicOf(db, func(tx *store.Tx) error { return run(tx, q) }); p != nil {
					t.Errorf("%s refused a read %q: %v", name, q, p)
				}
			}
		}
		var n int
		if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM settings WHERE key = 'r' AND value = 'v'").Scan(&n); err != nil || n != 1 {
			t.Fatalf("a refused statement wrote: %d %v", n, err)
		}
		// The write methods take them.
		if err := db.Tx(ctx, func(tx *store.Tx) error {
			var k string
			if err := tx.ExecRow(ctx, writes[0]).Scan(&k); err != nil || k != "w" {
				return fmt.Errorf("ExecRow: %q %v", k, err)
			}
			rows, err := tx.ExecRows(ctx, "DELETE FROM settings RETURNING key")
			if err != nil {
				return err
			}
			defer rows.Close()
			n := 0
			for rows.Next() {
				n++
			}
			if n != 2 {
				return fmt.Errorf("ExecRows returned %d rows, want 2", n)
			}
			return rows.Err()
		}); err != nil {
			t.Fatal(err)
		}
	})
}

// panicOf runs fn in a transaction that rolls back and returns what it
// panicked with, or nil.
func panicOf(db *store.DB, fn func(tx *store.Tx) error) (p any) {
	defer func() { p = recover() }()
	_ = db.Tx(context.Background(), func(tx *store.Tx) error {
		_ = fn(tx)
		return errRollback
	})
	return nil
}
