package app_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"anwei/internal/app"
	"anwei/internal/audit"
	"anwei/internal/store/storetest"
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
		if _, _, err := a.Auth.Login(ctx, "admin", "Zhiban2026", "127.0.0.1"); err != nil {
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

// TestAdminPasswordAtStartUnlocksAdmin: an attacker locked admin out from
// its address; restarting with ANWEI_ADMIN_PASSWORD (even the same one)
// lifts the lock, and says so in the audit log.
func TestAdminPasswordAtStartUnlocksAdmin(t *testing.T) {
	for _, d := range []struct {
		name string
		cfg  func(t *testing.T) app.Config
	}{
		{"sqlite", func(t *testing.T) app.Config { return app.Config{DataDir: t.TempDir()} }},
		{"postgres", func(t *testing.T) app.Config { return app.Config{DataDir: t.TempDir(), DSN: storetest.PostgresDSN(t)} }},
	} {
		t.Run(d.name, func(t *testing.T) {
			ctx := context.Background()
			cfg := d.cfg(t)
			cfg.Region, cfg.Log = "370105", slog.New(slog.NewTextHandler(io.Discard, nil))
			const attacker = "203.0.113.66"
			t.Setenv("ANWEI_ADMIN_PASSWORD", "Zhiban2026")
			a, err := app.New(ctx, cfg)
			if err != nil {
				t.Fatal(err)
			}
			for range a.Auth.Policy().LockAfter {
				_, _, _ = a.Auth.Login(ctx, "admin", "guess1234", attacker)
			}
			if _, _, err := a.Auth.Login(ctx, "admin", "Zhiban2026", attacker); err == nil {
				t.Fatal("admin not locked after the attacker's guesses")
			}
			a.Close()
			a, err = app.New(ctx, cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer a.Close()
			if _, _, err := a.Auth.Login(ctx, "admin", "Zhiban2026", attacker); err != nil {
				t.Fatalf("admin after a restart with ANWEI_ADMIN_PASSWORD: %v", err)
			}
			evs, _, err := audit.List(ctx, a.DB, app.AllScope(), audit.Filter{Action: "user.unlock"})
			if err != nil || len(evs) != 1 || evs[0].Actor != "system" {
				t.Fatalf("unlock events %+v (err %v), want one by the system", evs, err)
			}
		})
	}
}

func TestSchedulerRunsTheOverdueSweepAtStart(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	a, err := app.New(ctx, app.Config{DataDir: t.TempDir(), Demo: true})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	a.RunScheduler(ctx)
	// The demo leaves one duty overdue (when any is due yet); the first run
	// marks it, and the sweep then finds nothing more to do.
	deadline := time.Now().Add(5 * time.Second)
	for {
		var open, noted int
		if err := a.DB.QueryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN overdue_noted_at IS NOT NULL THEN 1 ELSE 0 END), 0)
			FROM plan_instances WHERE done_at IS NULL AND due_on < ?`, a.Plans.Today()).Scan(&open, &noted); err != nil {
			t.Fatal(err)
		}
		if open == noted {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("scheduler marked %d of %d overdue duties", noted, open)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if n, err := a.Plans.SweepOverdue(ctx); err != nil || n != 0 {
		t.Errorf("sweep after the scheduler's: %d %v", n, err)
	}
}

// TestWebhookIsAJob: with --webhook-url the scheduler delivers the inbox to
// it (inbox.Deliverer); without, nothing goes out.
func TestWebhookIsAJob(t *testing.T) {
	for _, url := range []string{"", "http://127.0.0.1:9/hook"} {
		a, err := app.New(context.Background(), app.Config{DataDir: t.TempDir(), WebhookURL: url, Out: io.Discard})
		if err != nil {
			t.Fatal(err)
		}
		has := false
		for _, j := range a.Jobs() {
			has = has || j.Name == "inbox.webhook"
		}
		a.Close()
		if has != (url != "") {
			t.Errorf("webhook %q: job scheduled %v", url, has)
		}
	}
}
