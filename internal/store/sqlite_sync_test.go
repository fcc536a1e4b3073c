package store_test

import (
	"path/filepath"
	"strings"
	"testing"

	"anwei/internal/store"
)

// TestSQLiteSyncSetting: the operator's --sqlite-sync reaches SQLite's
// writer (PRAGMA synchronous: 2 is FULL, 1 NORMAL), an empty one takes the
// default, a wrong one is refused naming the flag; deployments flush every
// commit (group) by default.
func TestSQLiteSyncSetting(t *testing.T) {
	if store.DeploymentSync != store.SyncFull {
		t.Errorf("deployments run synchronous=%s; an acknowledged write must survive power loss (ARCHITECTURE.md, Durability)", store.DeploymentSync)
	}
	if store.DefaultSync != store.SyncNormal {
		t.Errorf("storetest.Main leaves DefaultSync %s, want NORMAL for the tests", store.DefaultSync)
	}
	for _, c := range []struct {
		flag string
		want int
	}{{"full", 2}, {"FULL", 2}, {"normal", 1}, {"", 1}} {
		sync, err := store.ParseSync(c.flag)
		if err != nil {
			t.Fatalf("ParseSync(%q): %v", c.flag, err)
		}
		db, err := store.OpenSync(t.Context(), "", filepath.Join(t.TempDir(), "d"), sync)
		if err != nil {
			t.Fatal(err)
		}
		var got int
		if err := db.Writer().QueryRowContext(t.Context(), "PRAGMA synchronous").Scan(&got); err != nil {
			t.Fatal(err)
		}
		db.Close()
		if got != c.want {
			t.Errorf("--sqlite-sync %q: PRAGMA synchronous = %d, want %d", c.flag, got, c.want)
		}
	}
	if _, err := store.ParseSync("off"); err == nil || !strings.Contains(err.Error(), "--sqlite-sync") {
		t.Errorf("--sqlite-sync off: %v, want a refusal naming the flag", err)
	}
}
