package app_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"

	"anwei/internal/app"
	"anwei/internal/audit"
)

// TestAdminPasswordFromEnvironment: without ANWEI_ADMIN_PASSWORD the first
// start prints a generated password; with it, admin gets that password at
// start, and an unchanged one writes no new audit event.
func TestAdminPasswordFromEnvironment(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	var out bytes.Buffer
	t.Setenv("ANWEI_ADMIN_PASSWORD", "")
	a, err := app.New(ctx, app.Config{DataDir: dir, Region: "370105", Out: &out, Log: quiet})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "初始密码") {
		t.Fatalf("first start printed %q", out.String())
	}
	a.Close()
	t.Setenv("ANWEI_ADMIN_PASSWORD", "Zhiban2026")
	for i := 0; i < 2; i++ {
		a, err = app.New(ctx, app.Config{DataDir: dir, Log: quiet})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := a.Auth.Login(ctx, "admin", "Zhiban2026"); err != nil {
			t.Fatalf("start %d: login with ANWEI_ADMIN_PASSWORD: %v", i, err)
		}
		evs, _, err := audit.List(ctx, a.DB, app.AllScope(), audit.Filter{Action: "user.set_password"})
		if err != nil || len(evs) != 1 {
			t.Fatalf("start %d: %d set_password events (err %v), want exactly 1", i, len(evs), err)
		}
		a.Close()
	}
	// A different root region on a set-up deployment is refused.
	if _, err := app.New(ctx, app.Config{DataDir: dir, Region: "370102", Log: quiet}); err == nil {
		t.Fatal("changing the root region was accepted")
	}
}
