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
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
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

// SQLite opens a migrated SQLite database in t's temporary directory (a
// copy of one migrated once per test binary).
func SQLite(t testing.TB) *store.DB {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	if err := sqliteCopy(dir, "anwei.db"); err != nil {
		t.Fatal(err)
	}
	db, err := store.OpenSQLite(ctx, filepath.Join(dir, "anwei.db"), "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return db
}

// Postgres opens a migrated PostgreSQL database of t's — under Main a copy
// of one migrated once per test binary, else a schema of its own, migrated —
// or skips the test (saying why) when ANWEI_TEST_PG is not set.
func Postgres(t testing.TB) *store.DB {
	t.Helper()
	dsn, ok := postgresCopyDSN(t)
	if !ok {
		dsn = PostgresDSN(t)
	}
	return PostgresAt(t, dsn)
}

// PostgresAt opens dsn (closed at cleanup) and migrates it: a second
// handle on one database is a second server of it.
func PostgresAt(t testing.TB, dsn string) *store.DB {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, dsn, "")
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
	SkipWithoutPostgres(t)
	dsn := os.Getenv("ANWEI_TEST_PG")
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

// SkipWithoutPostgres skips t, saying why, when ANWEI_TEST_PG is not set
// (fails it when ANWEI_TEST_PG_REQUIRED is).
func SkipWithoutPostgres(t testing.TB) {
	t.Helper()
	if os.Getenv("ANWEI_TEST_PG") != "" {
		return
	}
	if os.Getenv("ANWEI_TEST_PG_REQUIRED") != "" {
		t.Fatal("ANWEI_TEST_PG_REQUIRED is set but ANWEI_TEST_PG is empty: PostgreSQL tests cannot run")
	}
	Skip(t, "PostgreSQL", "PostgreSQL tests skipped: set ANWEI_TEST_PG=postgres://user:pass@127.0.0.1:5432/db to run them")
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

// PostgresTemplate creates an empty database of its own in the ANWEI_TEST_PG
// server, to be filled once and then copied by PostgresCopy; drop removes
// it. It outlives any one test: the caller drops it when the test binary is
// done. ok is false (and err nil) when ANWEI_TEST_PG is not set.
func PostgresTemplate(ctx context.Context) (dsn string, drop func(), ok bool, err error) {
	base := os.Getenv("ANWEI_TEST_PG")
	if base == "" {
		return "", nil, false, nil
	}
	name, dsn, err := newDatabase(ctx, base, "")
	if err != nil {
		return "", nil, true, err
	}
	return dsn, func() { dropDatabase(base, name) }, true, nil
}

// PostgresCopy creates a database as a copy of the template database
// (CREATE DATABASE … TEMPLATE: a file copy, far cheaper than loading the
// same rows again) and returns its DSN and drop, which removes it. No
// connection to the template may be open. Dropping a database makes
// PostgreSQL checkpoint (a second or two): callers drop their copies
// together, at the end (concurrent drops share one checkpoint).
func PostgresCopy(ctx context.Context, templateDSN string) (dsn string, drop func(), err error) {
	base := os.Getenv("ANWEI_TEST_PG")
	if base == "" {
		return "", nil, fmt.Errorf("ANWEI_TEST_PG is not set")
	}
	u, err := url.Parse(templateDSN)
	if err != nil {
		return "", nil, err
	}
	name, dsn, err := newDatabase(ctx, base, strings.TrimPrefix(u.Path, "/"))
	if err != nil {
		return "", nil, err
	}
	markRan()
	return dsn, func() { dropDatabase(base, name) }, nil
}

// copying serialises the copies of one template within the binary:
// PostgreSQL refuses a CREATE DATABASE whose template another session is
// using, and a copy in progress uses it.
var copying sync.Mutex

// newDatabase creates a database with a random name (a copy of template
// when that is not empty) on the server of base and returns its name and a
// DSN for it.
func newDatabase(ctx context.Context, base, template string) (string, string, error) {
	var b [6]byte
	_, _ = rand.Read(b[:])
	name := "t_" + hex.EncodeToString(b[:])
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return "", "", err
	}
	defer admin.Close()
	q := "CREATE DATABASE " + name
	if template != "" {
		q += " TEMPLATE " + template
		copying.Lock()
		defer copying.Unlock()
	} else {
		// The encoding and collation of the ANWEI_TEST_PG database (CI
		// makes it C.UTF-8): they decide how text sorts.
		var enc, collate, ctype string
		if err := admin.QueryRowContext(ctx, "SELECT pg_encoding_to_char(encoding), datcollate, datctype FROM pg_database WHERE datname = current_database()").
			Scan(&enc, &collate, &ctype); err != nil {
			return "", "", fmt.Errorf("PostgreSQL at ANWEI_TEST_PG unusable: %w", err)
		}
		q += " TEMPLATE template0 ENCODING " + quote(enc) + " LC_COLLATE " + quote(collate) + " LC_CTYPE " + quote(ctype)
	}
	if _, err := admin.ExecContext(ctx, q); err != nil {
		return "", "", fmt.Errorf("PostgreSQL at ANWEI_TEST_PG: %s: %w", q, err)
	}
	u, err := url.Parse(base)
	if err != nil {
		return "", "", err
	}
	u.Path = "/" + name
	return name, u.String(), nil
}

func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func dropDatabase(base, name string) {
	if a, err := sql.Open("pgx", base); err == nil {
		_, _ = a.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		a.Close()
	}
}
