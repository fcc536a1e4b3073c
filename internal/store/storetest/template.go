package storetest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"anwei/internal/store"
)

// Migrating is most of a database test's set-up (SQLite: some 40 ms; a
// PostgreSQL schema: half a second of the server's CPU), and the result is
// the same every time. So the schema is migrated once per test binary and
// copied: SQLite's file from memory, PostgreSQL's database by CREATE
// DATABASE … TEMPLATE — the latter only under Main, which drops the copies
// when the binary ends (a drop waits for a checkpoint; drops issued
// together share it). Without Main, PostgreSQL tests get a migrated schema
// of their own as before.

var migrated struct {
	sqliteOnce sync.Once
	sqlite     map[string][]byte // file name → contents of a migrated SQLite database
	sqliteErr  error

	sync.Mutex
	main     bool
	pgOnce   sync.Once
	pgDSN    string // the migrated template database
	pgErr    error
	pgDrops  []func()
	pgCopies []func()
}

// Main runs the package's tests (m.Run) and then drops the PostgreSQL
// databases made for them; with it, PostgreSQL tests get a copy of a
// migrated template instead of migrating a schema. A package's TestMain
// calls it (apptest.Main does).
func Main(m *testing.M) int {
	// The tests check what anwei stores, not the disk's flush: SQLite
	// flushes at checkpoints only (store.SyncNormal), as a flush per commit
	// would slow them. The default of deployments (SyncFull) is tested by
	// store's TestSQLiteSyncSetting.
	store.DefaultSync = store.SyncNormal
	migrated.Lock()
	migrated.main = true
	migrated.Unlock()
	code := m.Run()
	migrated.Lock()
	drops := append(migrated.pgCopies, migrated.pgDrops...)
	migrated.pgCopies, migrated.pgDrops = nil, nil
	migrated.Unlock()
	DropAll(drops)
	return code
}

// AtEnd has Main run drop (a DROP DATABASE) with its own when the tests
// are done.
func AtEnd(drop func()) {
	migrated.Lock()
	migrated.pgCopies = append(migrated.pgCopies, drop)
	migrated.Unlock()
}

// DropAll runs the drops together, up to 32 at a time: each DROP DATABASE
// waits for a checkpoint, and concurrent ones share it (the audit tests'
// 24 drops took 1.5 s all at once, 12 to 23 s eight at a time, on a busy
// machine).
func DropAll(drops []func()) {
	var wg sync.WaitGroup
	sem := make(chan struct{}, 32)
	for _, drop := range drops {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			drop()
			<-sem
		}()
	}
	wg.Wait()
}

// sqliteCopy writes a migrated SQLite database into dir as name.
func sqliteCopy(dir, name string) error {
	migrated.sqliteOnce.Do(func() {
		migrated.sqlite, migrated.sqliteErr = migrateSQLite()
	})
	if migrated.sqliteErr != nil {
		return migrated.sqliteErr
	}
	for suffix, b := range migrated.sqlite {
		if err := os.WriteFile(filepath.Join(dir, name+suffix), b, 0o600); err != nil {
			return err
		}
	}
	return nil
}

// migrateSQLite migrates a database in a directory of its own and returns
// its files (by suffix to the database's name; not the shared-memory
// index, which the next opening rebuilds), removing the directory.
func migrateSQLite() (map[string][]byte, error) {
	dir, err := os.MkdirTemp("", "anwei-migrated-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	ctx := context.Background()
	path := filepath.Join(dir, "db")
	db, err := store.OpenSQLite(ctx, path, "")
	if err != nil {
		return nil, err
	}
	_, err = db.Migrate(ctx)
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	for _, suffix := range []string{"", "-wal"} {
		b, err := os.ReadFile(path + suffix)
		if os.IsNotExist(err) && suffix != "" {
			continue
		}
		if err != nil {
			return nil, err
		}
		files[suffix] = b
	}
	return files, nil
}

// postgresCopyDSN returns the DSN of a new copy of the migrated template
// database, dropped by Main, or ok false when not under Main.
func postgresCopyDSN(t testing.TB) (dsn string, ok bool) {
	t.Helper()
	migrated.Lock()
	main := migrated.main
	migrated.Unlock()
	if !main {
		return "", false
	}
	SkipWithoutPostgres(t)
	ctx := context.Background()
	migrated.pgOnce.Do(func() {
		dsn, drop, _, err := PostgresTemplate(ctx)
		if err != nil {
			migrated.pgErr = err
			return
		}
		migrated.Lock()
		migrated.pgDrops = append(migrated.pgDrops, drop)
		migrated.Unlock()
		db, err := store.Open(ctx, dsn, "")
		if err != nil {
			migrated.pgErr = err
			return
		}
		_, err = db.Migrate(ctx)
		if cerr := db.Close(); err == nil {
			err = cerr
		}
		migrated.pgDSN, migrated.pgErr = dsn, err
	})
	if migrated.pgErr != nil {
		t.Fatalf("migrated PostgreSQL template: %v", strings.TrimSpace(migrated.pgErr.Error()))
	}
	dsn, drop, err := PostgresCopy(ctx, migrated.pgDSN)
	if err != nil {
		t.Fatal(err)
	}
	AtEnd(drop)
	return dsn, true
}
