package app_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"anwei/internal/app"
	"anwei/internal/audit"
	"anwei/internal/store/storetest"
)

// TestAuditKeyAtFirstStart: the first start creates the audit key in the
// data directory (32 bytes, mode 0600) and keys the chain; later starts
// reuse it; servers sharing one PostgreSQL share one key file, and a
// server with another key, or none, does not start (a lost key is not
// replaced by a new one).
func TestAuditKeyAtFirstStart(t *testing.T) {
	for _, dialect := range []string{"sqlite", "postgres"} {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
			dir := t.TempDir()
			cfg := app.Config{DataDir: dir, Region: "370105", Log: quiet}
			if dialect == "postgres" {
				cfg.DSN = storetest.PostgresDSN(t)
			}
			var out bytes.Buffer
			first := cfg
			first.Out = &out
			a, err := app.New(ctx, first)
			if err != nil {
				t.Fatal(err)
			}
			a.Close()
			path := filepath.Join(dir, "audit.key")
			fi, err := os.Stat(path)
			if err != nil || fi.Mode().Perm() != 0o600 || fi.Size() != audit.KeySize {
				t.Fatalf("key file: %v %v", fi, err)
			}
			if !strings.Contains(out.String(), "已生成审计密钥") {
				t.Fatalf("first start did not say it made the key: %q", out.String())
			}
			key, err := os.ReadFile(path)
			if err != nil || len(key) == 0 {
				t.Fatalf("the key file: %d bytes, %v", len(key), err)
			}

			// The next start, and a second server pointed at the same file.
			second := cfg
			second.DataDir, second.AuditKeyFile = t.TempDir(), path
			second.FactorKeyFile = filepath.Join(dir, "factor.key") // shared too (factorkey_test.go)
			for _, c := range []app.Config{cfg, second} {
				a, err := app.New(ctx, c)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := a.Org.Bootstrap(ctx, ""); err != nil {
					t.Fatal(err)
				}
				if n, err := audit.Verify(ctx, a.DB); err != nil || n == 0 {
					t.Fatalf("verify: n=%d err=%v", n, err)
				}
				if from, err := audit.KeyedFrom(ctx, a.DB); err != nil || from != 1 {
					t.Fatalf("keyed from #%d, want #1 (%v)", from, err)
				}
				a.Close()
			}
			if now, err := os.ReadFile(path); err != nil || !bytes.Equal(now, key) {
				t.Fatal("the key changed between starts")
			}
			if _, err := os.Stat(filepath.Join(second.DataDir, "audit.key")); !os.IsNotExist(err) {
				t.Fatalf("the server with --audit-key-file made a key of its own: %v", err)
			}

			// A server with a key of its own does not fit the chain.
			other := cfg
			other.AuditKeyFile = filepath.Join(t.TempDir(), "other.key")
			if err := os.WriteFile(other.AuditKeyFile, bytes.Repeat([]byte{7}, audit.KeySize), 0o600); err != nil {
				t.Fatal(err)
			}
			if _, err := app.New(ctx, other); err == nil || !strings.Contains(err.Error(), "密钥签名不符") {
				t.Fatalf("server with another key: %v", err)
			}
			// Without the key file no new one is made.
			if err := os.Rename(path, path+".away"); err != nil {
				t.Fatal(err)
			}
			if _, err := app.New(ctx, cfg); err == nil || !strings.Contains(err.Error(), "不会另生成新密钥") {
				t.Fatalf("start without the key file: %v", err)
			}
			if _, err := os.Stat(path); !os.IsNotExist(err) {
				t.Fatalf("a new key was made: %v", err)
			}
			// A reading command opens without it and says what it cannot check.
			db, err := app.OpenDBToRead(ctx, cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if _, err := audit.Verify(ctx, db); err == nil || !strings.Contains(err.Error(), "未提供审计密钥，无法核验带密钥部分") {
				t.Fatalf("verify without the key: %v", err)
			}
		})
	}
}
