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
	"anwei/internal/store/storetest"
)

// TestFactorKeyCheckedAtStart: the first start keeps a check value of its
// factor key in the database; a second server on the same database that
// made a key of its own (no --factor-key-file), or one given another key
// file, does not start and names --factor-key-file; one given the first
// server's file starts.
func TestFactorKeyCheckedAtStart(t *testing.T) {
	for _, dialect := range []string{"sqlite", "postgres"} {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
			dir := t.TempDir()
			cfg := app.Config{DataDir: dir, Region: "370105", Log: quiet}
			if dialect == "postgres" {
				cfg.DSN = storetest.PostgresDSN(t)
			} else {
				cfg.DSN = filepath.Join(dir, "anwei.db")
			}
			a, err := app.New(ctx, cfg)
			if err != nil {
				t.Fatal(err)
			}
			a.Close()
			keyFile := filepath.Join(dir, "factor.key")

			// A second server sharing the audit key but making its own factor key.
			second := cfg
			second.DataDir, second.AuditKeyFile = t.TempDir(), filepath.Join(dir, "audit.key")
			if _, err := app.New(ctx, second); err == nil || !strings.Contains(err.Error(), "--factor-key-file") {
				t.Fatalf("a server that would make a factor key of its own: %v, want refused naming --factor-key-file", err)
			}
			if _, err := os.Stat(filepath.Join(second.DataDir, "factor.key")); !os.IsNotExist(err) {
				t.Fatalf("the refused server made a key file: %v", err)
			}
			// One that made its own before the check existed (its file is there).
			if err := os.WriteFile(filepath.Join(second.DataDir, "factor.key"), bytes.Repeat([]byte{9}, 32), 0o600); err != nil {
				t.Fatal(err)
			}
			if _, err := app.New(ctx, second); err == nil || !strings.Contains(err.Error(), "--factor-key-file") || !strings.Contains(err.Error(), "不是本数据库所用的密钥") {
				t.Fatalf("a server with a factor key of its own: %v, want refused naming --factor-key-file", err)
			}
			// Another key file: refused too.
			other := second
			other.FactorKeyFile = filepath.Join(t.TempDir(), "other.key")
			if err := os.WriteFile(other.FactorKeyFile, bytes.Repeat([]byte{7}, 32), 0o600); err != nil {
				t.Fatal(err)
			}
			if _, err := app.New(ctx, other); err == nil || !strings.Contains(err.Error(), "--factor-key-file") {
				t.Fatalf("a server with another key file: %v", err)
			}
			// The first server's file: it starts, and so does the first again.
			second.FactorKeyFile = keyFile
			for _, c := range []app.Config{second, cfg} {
				a, err := app.New(ctx, c)
				if err != nil {
					t.Fatalf("with the shared key file: %v", err)
				}
				a.Close()
			}
		})
	}
}
