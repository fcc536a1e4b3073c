package store_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"anwei/internal/store"
)

// TestLongINListsAreNotKept: an IN list as long as a growing result is a
// new text at each length; the statement cache keeps those of a page, not
// the rest, whose prepared statements (outside the Go heap, on every
// reader) grew the soak's resident memory by 150 MB in ten minutes.
func TestLongINListsAreNotKept(t *testing.T) {
	ctx := context.Background()
	db, err := store.OpenSQLite(ctx, filepath.Join(t.TempDir(), "anwei.db"), "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	before := store.CachedStatements(db)
	for n := 1; n <= 300; n++ {
		args := make([]any, n)
		for i := range args {
			args[i] = i
		}
		var c int
		q := "SELECT COUNT(*) FROM settings WHERE key IN (" + strings.TrimSuffix(strings.Repeat("?, ", n), ", ") + ")"
		if err := db.QueryRow(ctx, q, args...).Scan(&c); err != nil {
			t.Fatal(err)
		}
	}
	if kept := store.CachedStatements(db) - before; kept == 0 || kept > 64 {
		t.Errorf("%d IN-list statements kept of 300 lengths, want the 64 shortest at most (and some)", kept)
	}
}
