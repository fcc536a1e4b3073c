package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"anwei/internal/app"
	"anwei/internal/app/apptest"
	"anwei/internal/bench"
	"anwei/internal/store/storetest"
)

// skipCrash skips the crash runs unless ANWEI_TEST_CRASH=1 (.ci/run's step
// of their own: some 30 s, too long for go test ./...).
func skipCrash(t *testing.T) {
	t.Helper()
	if os.Getenv("ANWEI_TEST_CRASH") != "1" {
		storetest.Skip(t, "crash", "kill -9 rounds skipped: ANWEI_TEST_CRASH=1 runs them (.ci/run does)")
	}
}

// TestCrash: three rounds of writers, kill -9 under load and restart, on
// SQLite and on PostgreSQL (bench.Crash, what `anwei bench crash` runs for
// longer): no acknowledged write lost, no number taken twice, no gap in the
// 文号 series, the audit chain intact.
func TestCrash(t *testing.T) {
	skipCrash(t)
	run := func(t *testing.T, c bench.ProcConfig) {
		res, err := bench.Crash(t.Context(), bench.CrashConfig{Proc: c, Rounds: 3, Log: t.Logf})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%d rounds, %d writes acknowledged, %d lost, %d duplicate numbers, %d gaps", res.Rounds, res.Acknowledged, res.Lost, res.Duplicates, res.Gaps)
		if res.Failed() || res.Rounds != 3 || res.Acknowledged == 0 {
			t.Fatalf("crash run failed:\n%s", strings.Join(res.Problems, "\n"))
		}
	}
	t.Run("sqlite", func(t *testing.T) { run(t, seededProc(t, apptest.SQLite)) })
	t.Run("postgres", func(t *testing.T) {
		storetest.SkipWithoutPostgres(t)
		run(t, seededProc(t, apptest.Postgres))
	})
	// anwei bench crash itself: its figures, one round on a new SQLite
	// with the full demo. The server it starts is this test binary, anwei
	// under ANWEI_TEST_AS_ANWEI=1 (inherited).
	t.Run("bench", func(t *testing.T) {
		t.Setenv("ANWEI_TEST_AS_ANWEI", "1")
		var out bytes.Buffer
		if err := runBench(t.Context(), []string{"-rounds", "1", "-clients", "4", "crash"}, &out); err != nil {
			t.Fatalf("%v\n%s", err, out.String())
		}
		for _, want := range []string{"bench crash_rounds 1.00 rounds", "bench crash_lost 0.000 writes", "bench crash_duplicates 0.000 numbers", "bench crash_acknowledged "} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("no %q in:\n%s", want, out.String())
			}
		}
	})
}

// seededProc is a server on a copy of the seeded demo (20 enterprises) on
// dialect: no demo load at its first start.
func seededProc(t *testing.T, dialect string) bench.ProcConfig {
	cfg := apptest.Seeded(t, dialect, app.Config{Demo: true, DemoEnterprises: 20})
	c := anweiProc(t, cfg.DataDir)
	c.DSN = cfg.DSN
	return c
}

// TestCrashCatchesLostWrites: the crash run fails when durability is
// broken on purpose. Between the kill and the restart of the second round
// the SQLite WAL is deleted, as a file system that lost it would: the
// commits since the last checkpoint (at most a second's) are gone, and the
// run must say so.
func TestCrashCatchesLostWrites(t *testing.T) {
	skipCrash(t)
	round := 0
	c := seededProc(t, apptest.SQLite)
	res, err := bench.Crash(t.Context(), bench.CrashConfig{Proc: c, Rounds: 2, KillAfter: 1500 * time.Millisecond, Log: t.Logf,
		AfterKill: func(c bench.ProcConfig) error {
			if round++; round < 2 {
				return nil
			}
			for _, f := range []string{"anwei.db-wal", "anwei.db-shm"} {
				if err := os.Remove(filepath.Join(c.Data, f)); err != nil && !os.IsNotExist(err) {
					return err
				}
			}
			return nil
		}})
	switch {
	case err != nil: // the run must get as far as comparing, and fail there
		t.Fatalf("the crash run stopped before it compared: %v", err)
	case res.Lost == 0:
		t.Fatalf("WAL deleted after kill -9, yet the crash run lost nothing: %+v", res)
	default:
		t.Logf("the run failed (as it must): %d lost, %d duplicates, %d gaps, audit failed %d:\n%s",
			res.Lost, res.Duplicates, res.Gaps, res.AuditFailed, strings.Join(res.Problems, "\n"))
	}
}
