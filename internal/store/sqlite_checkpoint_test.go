package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"anwei/internal/store"
)

// TestCheckpointsBesideTheWriter: the writer does not checkpoint, the
// checkpointer's own connection does, soon after the writes; Close leaves
// no WAL behind and nothing written is lost.
func TestCheckpointsBesideTheWriter(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "anwei.db")
	db, err := store.OpenSQLite(ctx, path, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	for i := range 50 {
		if err := db.Tx(ctx, func(tx *store.Tx) error {
			for k := range 40 {
				if _, err := tx.Exec(ctx, "INSERT INTO settings (key, value) VALUES (?, ?)", fmt.Sprint("ck", i, "-", k), "值"); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	// The database file alone, without its WAL, holds the rows once they
	// have been checkpointed: copy it and look.
	deadline := time.Now().Add(10 * time.Second)
	for n := 0; n != 2000; {
		if time.Now().After(deadline) {
			t.Fatalf("the WAL was not checkpointed: the database file alone has %d rows", n)
		}
		time.Sleep(100 * time.Millisecond)
		n = fileOnlyRows(t, path, filepath.Join(t.TempDir(), "copy.db"))
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path + "-wal"); err == nil && fi.Size() > 0 {
		t.Errorf("WAL left behind: %d bytes", fi.Size())
	}
	db, err = store.OpenSQLite(ctx, path, "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM settings WHERE key LIKE 'ck%'").Scan(&n); err != nil || n != 2000 {
		t.Fatalf("rows after reopening: %d %v", n, err)
	}
}

// fileOnlyRows counts the settings rows in a copy of the database file
// made without its WAL; 0 when the copy is unreadable (caught mid-write).
func fileOnlyRows(t *testing.T, path, copyPath string) int {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(copyPath, b, 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := sql.Open("sqlite", "file:"+copyPath)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var n int
	if c.QueryRow("SELECT COUNT(*) FROM settings WHERE key LIKE 'ck%'").Scan(&n) != nil {
		return 0
	}
	return n
}
