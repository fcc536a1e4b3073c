package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"anwei/internal/app"
	"anwei/internal/app/apptest"
	"anwei/internal/bench"
	"anwei/internal/store"
	"anwei/internal/store/storetest"
)

// TestBackupDrill is the README's "Backup and restore", done as written
// while the demo enterprise reports hazards (some with photos) through a
// live server: the backup taken under load, the attachments copied after
// it, a fresh data directory restored from both with the keys carried
// over, `anwei audit verify` on it, a server started on it that takes a new
// report. The restored copy must be the source as it was at one moment:
// its audit head is an event of the source's chain (`audit verify --head`
// on the source), it holds exactly the source's hazards whose report event
// is at or before that head, with their photos and the files they name,
// every hazard has its event and every event its hazard, and it caught the
// load in the middle (more than before it, fewer than after). SQLite here;
// the pg_dump / pg_restore round trip under ANWEI_TEST_BACKUP_PG=1
// (.ci/run's step of its own).
func TestBackupDrill(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { backupDrill(t, apptest.SQLite) })
	t.Run("postgres", func(t *testing.T) {
		if os.Getenv("ANWEI_TEST_BACKUP_PG") != "1" {
			storetest.Skip(t, "backup-pg", "pg_dump / pg_restore drill skipped: ANWEI_TEST_BACKUP_PG=1 runs it (.ci/run does)")
		}
		storetest.SkipWithoutPostgres(t)
		backupDrill(t, apptest.Postgres)
	})
}

func backupDrill(t *testing.T, dialect string) {
	ctx := t.Context()
	cfg := apptest.Seeded(t, dialect, app.Config{Demo: true, DemoEnterprises: 20})
	src := anweiProc(t, cfg.DataDir)
	src.DSN = cfg.DSN
	p, err := bench.StartProc(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Stop()
	ent, err := bench.Client(ctx, p.Base, "enterprise")
	if err != nil {
		t.Fatal(err)
	}
	before := hazardCount(t, openDB(t, src))

	// The load: four clients reporting hazards, every fourth with a photo
	// of its own (so each adds a file to the attachments).
	var acked, sent atomic.Int64
	var stop atomic.Bool
	var failed atomic.Value
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				if err := reportHazard(ctx, ent, p.Base, sent.Add(1)); err != nil {
					failed.Store(err)
					return
				}
				acked.Add(1)
			}
		}()
	}
	waitAcked := func(n int64) {
		for deadline := time.Now().Add(30 * time.Second); acked.Load() < n; time.Sleep(5 * time.Millisecond) {
			if err := failed.Load(); err != nil {
				t.Fatal(err)
			}
			if time.Now().After(deadline) {
				t.Fatalf("the load stalled at %d reports", acked.Load())
			}
		}
	}
	waitAcked(20)

	// Backup, as the README says, while the reports go on.
	bk := t.TempDir()
	if dialect == apptest.SQLite {
		if out, err := src.Run(ctx, "backup", "--data", src.Data, filepath.Join(bk, "anwei.db")); err != nil {
			t.Fatalf("anwei backup: %v %s", err, out)
		}
	} else {
		out, err := src.Run(ctx, "backup", "--data", src.Data, "--db", src.DSN, filepath.Join(bk, "anwei.dump"))
		if err != nil {
			t.Fatalf("anwei backup: %v %s", err, out)
		}
		cmd := regexp.MustCompile(`(?m)^\s*(pg_dump .*)$`).FindStringSubmatch(out)
		if cmd == nil {
			t.Fatalf("anwei backup --db printed no pg_dump command: %s", out)
		}
		// The command carries no password: pg_dump reads PGPASSWORD.
		if u, err := url.Parse(src.DSN); err == nil {
			pw, _ := u.User.Password()
			t.Setenv("PGPASSWORD", pw)
		}
		sh(t, "sh", "-c", cmd[1])
	}
	// The files after the database, as the README says (a plain cp -a
	// fails when an upload's temporary file vanishes under it).
	if out, err := src.Run(ctx, "backup-files", "--data", src.Data, filepath.Join(bk, "attachments")); err != nil {
		t.Fatalf("anwei backup-files: %v %s", err, out)
	}
	waitAcked(acked.Load() + 20)
	stop.Store(true)
	wg.Wait()
	p.Stop()
	if err := failed.Load(); err != nil {
		t.Fatal(err)
	}

	// Restore into a fresh data directory, as the README says.
	dst := anweiProc(t, filepath.Join(t.TempDir(), "anwei-restored"))
	sh(t, "mkdir", "-m", "700", dst.Data)
	if dialect == apptest.SQLite {
		sh(t, "cp", filepath.Join(bk, "anwei.db"), filepath.Join(dst.Data, "anwei.db"))
	} else {
		// createdb and pg_restore reach the server of ANWEI_TEST_PG.
		u, err := url.Parse(os.Getenv("ANWEI_TEST_PG"))
		if err != nil {
			t.Fatal(err)
		}
		pw, _ := u.User.Password()
		for k, v := range map[string]string{"PGHOST": u.Hostname(), "PGPORT": u.Port(), "PGUSER": u.User.Username(), "PGPASSWORD": pw} {
			t.Setenv(k, v)
		}
		name := fmt.Sprintf("anwei_restored_%d", time.Now().UnixNano())
		sh(t, "createdb", "--template=template0", "--encoding=UTF8", "--locale=C.UTF-8", name)
		t.Cleanup(func() { _ = exec.Command("dropdb", "--if-exists", "--force", name).Run() })
		u.Path, u.User = "/"+name, url.User(u.User.Username())
		dst.DSN = u.String()
		sh(t, "pg_restore", "--no-owner", "--dbname="+dst.DSN, filepath.Join(bk, "anwei.dump"))
	}
	sh(t, "cp", "-a", filepath.Join(bk, "attachments"), dst.Data+"/")
	sh(t, "install", "-m", "600", filepath.Join(src.Data, "audit.key"), filepath.Join(src.Data, "factor.key"), dst.Data+"/")
	if out, err := dst.Run(ctx, append([]string{"audit", "verify"}, dst.DBArgs()...)...); err != nil {
		t.Fatalf("anwei audit verify on the restored copy: %v %s", err, out)
	}
	rp, err := bench.StartProc(ctx, dst)
	if err != nil {
		t.Fatal(err)
	}
	defer rp.Stop()

	// The restored head is an event of the source's chain.
	out, err := dst.Run(ctx, append([]string{"audit", "head"}, dst.DBArgs()...)...)
	f := strings.Fields(out)
	if err != nil || len(f) != 2 {
		t.Fatalf("anwei audit head: %v %s", err, out)
	}
	head, _ := strconv.ParseInt(f[0], 10, 64)
	if out, err := src.Run(ctx, append([]string{"audit", "verify", "--head", f[1]}, src.DBArgs()...)...); err != nil {
		t.Fatalf("the restored head %s is not in the source's chain: %v %s", out, err, out)
	}

	// The restored copy is the source at that head.
	sdb, ddb := openDB(t, src), openDB(t, dst)
	if n := ints(t, ddb, "SELECT seq FROM audit_events ORDER BY seq"); len(n) != int(head) || (len(n) > 0 && n[len(n)-1] != head) {
		t.Errorf("restored audit events: %d up to %v, head %d", len(n), n[len(n)-1:], head)
	}
	dHazards := ints(t, ddb, "SELECT id FROM hazards ORDER BY id")
	// A hazard is made by its report, or by an inspection's order (hazard.found).
	if ev := ints(t, ddb, "SELECT CAST(object_id AS INTEGER) FROM audit_events WHERE action IN ('hazard.report', 'hazard.found') ORDER BY 1"); !slices.Equal(ev, dHazards) {
		t.Errorf("restored: %d hazards, %d hazard.report and hazard.found events: not one each", len(dHazards), len(ev))
	}
	if want := ints(t, sdb, "SELECT h.id FROM hazards h JOIN audit_events e ON e.action IN ('hazard.report', 'hazard.found') AND e.object_id = CAST(h.id AS TEXT) WHERE e.seq <= ? ORDER BY h.id", head); !slices.Equal(want, dHazards) {
		t.Errorf("restored hazards (%d) are not the source's reported by event #%d (%d)", len(dHazards), head, len(want))
	}
	after := hazardCount(t, sdb)
	if n := len(dHazards); n <= before || n >= after {
		t.Errorf("the backup holds %d hazards: not taken under the load (%d before it, %d after)", n, before, after)
	}
	in, args := store.InIDs("hazard_id", dHazards)
	photos := func(db *store.DB) []int64 {
		return ints(t, db, "SELECT id FROM hazard_photos WHERE "+in+" ORDER BY id", args...)
	}
	if s, d := photos(sdb), photos(ddb); !slices.Equal(s, d) || len(d) == 0 {
		t.Errorf("photos of the restored hazards: %d in the source, %d restored", len(s), len(d))
	}
	rows, err := ddb.Query(ctx, "SELECT sha256 FROM hazard_photos")
	sums, err := store.Collect(rows, err, store.Value[string])
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sums {
		if _, err := os.Stat(filepath.Join(dst.Data, "attachments", s[:2], s)); err != nil {
			t.Errorf("restored photo's file: %v", err)
		}
	}
	for _, table := range []string{"regions", "units", "users", "enterprises", "plans", "plan_tasks", "hazard_listings", "risk_points"} {
		q := "SELECT COUNT(*) FROM " + table
		if s, d := ints(t, sdb, q), ints(t, ddb, q); !slices.Equal(s, d) {
			t.Errorf("%s: %v in the source, %v restored", table, s, d)
		}
	}
	sdb.Close()
	ddb.Close()

	// The restored server takes a new report: its numbering goes on from
	// what the backup holds.
	rent, err := bench.Client(ctx, rp.Base, "enterprise")
	if err != nil {
		t.Fatal(err)
	}
	if err := reportHazard(ctx, rent, rp.Base, 1); err != nil {
		t.Fatalf("report on the restored server: %v", err)
	}
}

// reportHazard reports a hazard as the signed-in enterprise; every fourth
// (by n) carries a PNG photo whose pixel is n, so no two are alike.
func reportHazard(ctx context.Context, c *http.Client, base string, n int64) error {
	var body bytes.Buffer
	ct := "application/json"
	if n%4 == 0 {
		mw := multipart.NewWriter(&body)
		_ = mw.WriteField("place", "配电室")
		_ = mw.WriteField("description", "配电柜前无绝缘垫")
		fw, _ := mw.CreateFormFile("files", fmt.Sprintf("现场%d.png", n))
		img := image.NewRGBA(image.Rect(0, 0, 2, 2))
		img.Set(0, 0, color.RGBA{uint8(n), uint8(n >> 8), uint8(n >> 16), 255})
		_ = png.Encode(fw, img)
		_ = mw.Close()
		ct = mw.FormDataContentType()
	} else {
		_ = json.NewEncoder(&body).Encode(map[string]any{"place": "原料仓库", "description": "电气线路私拉乱接，未穿管保护"})
	}
	req, _ := http.NewRequestWithContext(ctx, "POST", base+"/api/v1/hazards", &body)
	req.Header.Set("Content-Type", ct)
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	doc, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		return fmt.Errorf("POST /api/v1/hazards: HTTP %d %s", resp.StatusCode, doc)
	}
	return nil
}

// sh runs a command of the README's steps.
func sh(t *testing.T, name string, args ...string) {
	t.Helper()
	if out, err := exec.Command(name, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
}

// openDB opens c's database to read what the drill compares (tests may
// read any table).
func openDB(t *testing.T, c bench.ProcConfig) *store.DB {
	t.Helper()
	db, err := store.Open(t.Context(), c.DSN, c.Data)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func hazardCount(t *testing.T, db *store.DB) int {
	t.Helper()
	return int(ints(t, db, "SELECT COUNT(*) FROM hazards")[0])
}

func ints(t *testing.T, db *store.DB, q string, args ...any) []int64 {
	t.Helper()
	rows, err := db.Query(t.Context(), q, args...)
	out, err := store.Collect(rows, err, store.Value[int64])
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return out
}
