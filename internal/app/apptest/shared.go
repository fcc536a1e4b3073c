package apptest

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"time"
)

// The seeded templates are shared by every test binary of a run, and kept
// for the next run: loading the demo was a second or more per package and
// per dialect (some 26 loads a suite run, a fifth of its CPU, PostgreSQL's
// the larger part), the same rows each time. A template lives under
// sharedRoot — a folder named for a hash of the source it was loaded with
// (every non-test file of internal/ and cmd/ but the fonts and the web's
// static files, and go.sum), so a change of any of it loads afresh — in a
// folder per key holding the data directory, the PostgreSQL template's DSN
// and a mark that it is complete. A file lock per key serialises the
// loading across test binaries; another serialises the copies of a
// PostgreSQL template (PostgreSQL refuses a CREATE DATABASE … TEMPLATE
// while another session uses the template). Folders and databases of other
// sources not used for two hours are removed at the next load.

// sourceHash is the hash of the source the templates depend on ("" when
// the module's files cannot be read: then every binary loads its own).
var sourceHash = sync.OnceValue(func() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return ""
	}
	root := filepath.Join(filepath.Dir(file), "..", "..", "..")
	h := sha256.New()
	for _, top := range []string{"internal", "cmd", "go.sum"} {
		err := filepath.WalkDir(filepath.Join(root, top), func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(root, path)
			rel = filepath.ToSlash(rel)
			if d.IsDir() {
				if rel == "internal/docs/font" || rel == "internal/web/static" {
					return filepath.SkipDir
				}
				return nil
			}
			if strings.HasSuffix(rel, "_test.go") || !d.Type().IsRegular() {
				return nil
			}
			f, err := os.Open(path)
			if err != nil {
				return err
			}
			defer f.Close()
			io.WriteString(h, rel+"\x00")
			_, err = io.Copy(h, f)
			return err
		})
		if err != nil {
			return ""
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
})

// sharedRoot is the folder of this source's templates ("" when not shared).
func sharedRoot() string {
	if s := sourceHash(); s != "" {
		return filepath.Join(os.TempDir(), "anwei-templates-"+s)
	}
	return ""
}

// keyDir is the folder of the template of key.
func keyDir(key string) string {
	sum := sha256.Sum256([]byte(key))
	return filepath.Join(sharedRoot(), hex.EncodeToString(sum[:8]))
}

// locked runs fn holding an exclusive lock on the file path.
func locked(path string, fn func() error) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o640)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		return err
	}
	defer syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
	return fn()
}

// shared gives tp the template of key, loading it with build (into tp.dir,
// and tp.dsn for PostgreSQL) when no test binary has yet.
func shared(key string, tp *template, build func(tp *template) error) error {
	dir := keyDir(key)
	return locked(dir+".lock", func() error {
		data, done := filepath.Join(dir, "data"), filepath.Join(dir, "done")
		if b, err := os.ReadFile(done); err == nil && (len(b) == 0 || postgresExists(string(b))) {
			tp.dir, tp.dsn = data, string(b)
			now := time.Now()
			_ = os.Chtimes(sharedRoot(), now, now)
			_ = os.Chtimes(done, now, now) // in use: not swept
			return nil
		}
		sweep()
		if err := os.RemoveAll(dir); err != nil {
			return err
		}
		if err := os.MkdirAll(data, 0o750); err != nil {
			return err
		}
		tp.dir = data
		if err := build(tp); err != nil {
			return err
		}
		return os.WriteFile(done, []byte(tp.dsn), 0o640)
	})
}

// postgresExists tells whether the database of dsn is on the server (a
// cluster made anew loses the templates the folders still name).
func postgresExists(dsn string) bool {
	base := os.Getenv("ANWEI_TEST_PG")
	u, err := url.Parse(dsn)
	if base == "" || err != nil {
		return false
	}
	db, err := sql.Open("pgx", base)
	if err != nil {
		return false
	}
	defer db.Close()
	var n int
	err = db.QueryRowContext(context.Background(), "SELECT count(*) FROM pg_database WHERE datname = $1", strings.TrimPrefix(u.Path, "/")).Scan(&n)
	return err == nil && n == 1
}

// sweep removes the templates no run has used for two hours — those of
// other sources, and this source's of past clock windows (a system
// clock's template is keyed by its five minutes): their folders, and the
// PostgreSQL databases they name.
func sweep() {
	dones, _ := filepath.Glob(filepath.Join(sharedRoot(), "*", "done"))
	for _, d := range dones {
		if info, err := os.Stat(d); err == nil && time.Since(info.ModTime()) > 2*time.Hour {
			if b, err := os.ReadFile(d); err == nil && len(b) > 0 {
				dropDSN(string(b))
			}
			_ = os.RemoveAll(filepath.Dir(d))
		}
	}
	olds, _ := filepath.Glob(filepath.Join(os.TempDir(), "anwei-templates-*"))
	for _, old := range olds {
		info, err := os.Stat(old)
		if err != nil || old == sharedRoot() || time.Since(info.ModTime()) < 2*time.Hour {
			continue
		}
		dones, _ := filepath.Glob(filepath.Join(old, "*", "done"))
		for _, d := range dones {
			if b, err := os.ReadFile(d); err == nil && len(b) > 0 {
				dropDSN(string(b))
			}
		}
		_ = os.RemoveAll(old)
	}
}

// dropDSN drops the database dsn names.
func dropDSN(dsn string) {
	base := os.Getenv("ANWEI_TEST_PG")
	u, err := url.Parse(dsn)
	if base == "" || err != nil {
		return
	}
	if db, err := sql.Open("pgx", base); err == nil {
		_, _ = db.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+strings.TrimPrefix(u.Path, "/")+" WITH (FORCE)")
		db.Close()
	}
}
