// Package storetest opens real databases for tests: a fresh SQLite file in a
// temporary directory, and — when ANWEI_TEST_PG holds a DSN — a fresh schema
// in that PostgreSQL database, so that packages testing in parallel do not
// collide. Each runs the embedded migrations.
//
// With ANWEI_TEST_PG_REQUIRED=1 (CI sets it) a missing or unreachable
// PostgreSQL fails the test instead of skipping it.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"anwei/internal/store"
)

// Dialects runs fn once per available database: SQLite always, PostgreSQL
// when ANWEI_TEST_PG is set. Each run gets a new, migrated database.
func Dialects(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
}

// SQLite opens a migrated SQLite database in t's temporary directory.
func SQLite(t testing.TB) *store.DB {
	t.Helper()
	ctx := context.Background()
	db, err := store.OpenSQLite(ctx, filepath.Join(t.TempDir(), "anwei.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return db
}

// Postgres opens a migrated PostgreSQL database in a schema of its own, or
// skips the test (saying why) when ANWEI_TEST_PG is not set.
func Postgres(t testing.TB) *store.DB {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, PostgresDSN(t), "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return db
}

// PostgresDSN creates an empty schema of the test's own in the ANWEI_TEST_PG
// database (dropped at cleanup) and returns a DSN that uses it, or skips.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv("ANWEI_TEST_PG")
	if dsn == "" {
		if os.Getenv("ANWEI_TEST_PG_REQUIRED") != "" {
			t.Fatal("ANWEI_TEST_PG_REQUIRED is set but ANWEI_TEST_PG is empty: PostgreSQL tests cannot run")
		}
		t.Skip("PostgreSQL tests skipped: set ANWEI_TEST_PG=postgres://user:pass@127.0.0.1:5432/db to run them")
	}
	ctx := context.Background()
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "t_" + hex.EncodeToString(b[:])
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("PostgreSQL at ANWEI_TEST_PG unusable: %v", err)
	}
	// Extensions are per database: keep pg_trgm in public, which every
	// test schema's search path includes. Packages racing to create it may
	// see a duplicate; the one that lost finds it there.
	if _, err := admin.ExecContext(ctx, "CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public"); err != nil {
		var n int
		if admin.QueryRowContext(ctx, "SELECT COUNT(*) FROM pg_extension WHERE extname = 'pg_trgm'").Scan(&n); n == 0 {
			t.Fatalf("pg_trgm: %v", err)
		}
	}
	t.Cleanup(func() {
		a, err := sql.Open("pgx", dsn)
		if err == nil {
			_, _ = a.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
			a.Close()
		}
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema+",public")
	u.RawQuery = q.Encode()
	markRan()
	return u.String()
}

// markRan records, for CI, that PostgreSQL tests really ran: it touches a
// file in ANWEI_PG_MARKER_DIR when that is set.
func markRan() {
	dir := os.Getenv("ANWEI_PG_MARKER_DIR")
	if dir == "" {
		return
	}
	exe, _ := os.Executable()
	_ = os.WriteFile(filepath.Join(dir, filepath.Base(exe)), []byte("ran\n"), 0o644)
}
