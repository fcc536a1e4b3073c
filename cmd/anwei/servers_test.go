package main

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"anwei/internal/auth"
	"anwei/internal/bench"
	"anwei/internal/demo"
	"anwei/internal/store/storetest"
)

// TestServersOnOnePostgres (issue 18.2): two `anwei serve` processes on one
// PostgreSQL database, with one audit key file and one factor key file and
// no balancer — the test alternates between them:
//
//   - both start at once on an empty database, each with --demo: one
//     migrates and loads the demo, the other waits and finds it there;
//   - a session made on one works on the other, a sign-out on one holds on
//     the other, a two-factor sign-in started on one finishes on the other;
//   - hazards (隐患编号) and notices (文号, a gap-free series) created
//     concurrently through both get distinct numbers, all there afterwards;
//   - the audit chain stays one chain: one event per write, no gap, and
//     `anwei audit verify` passes;
//   - the scheduler runs on both: an overdue major hazard is escalated once
//     although both sweep at the same moment, and the webhook receives every
//     inbox message once although both deliver;
//   - a holiday notice the administrator imports through one is the other's
//     table too.
//
// Some 30 s (mostly waiting for the webhook job's 5 s ticks), so a CI step of
// its own (ANWEI_TEST_SERVERS=1, .ci/run).
func TestServersOnOnePostgres(t *testing.T) {
	if os.Getenv("ANWEI_TEST_SERVERS") == "" {
		storetest.Skip(t, "servers", "several servers on one PostgreSQL skipped: ANWEI_TEST_SERVERS=1 runs it (.ci/run does)")
	}
	dsn := storetest.PostgresDSN(t) // an empty schema of its own
	ctx := t.Context()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	count := func(q string, args ...any) int {
		t.Helper()
		var n int
		if err := db.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}

	// The webhook's receiver counts each message id it is sent.
	var hookMu sync.Mutex
	hooked := map[int64]int{}
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var m struct {
			ID int64 `json:"id"`
		}
		if err := json.NewDecoder(r.Body).Decode(&m); err != nil {
			t.Error(err)
		}
		hookMu.Lock()
		hooked[m.ID]++
		hookMu.Unlock()
	}))
	defer hook.Close()

	// One data directory (the attachments folder every server must share)
	// and one pair of key files, which neither server finds at its start.
	dir, keys := t.TempDir(), t.TempDir()
	var servers [2]*bench.Proc
	var cfg bench.ProcConfig
	{
		cfg = anweiProc(t, dir)
		cfg.DSN, cfg.Demo = dsn, true
		cfg.KeyFile, cfg.FactorKeyFile = filepath.Join(keys, "audit.key"), filepath.Join(keys, "factor.key")
		cfg.Args = []string{"--webhook-url", hook.URL, "--webhook-secret", "servers-test-secret"}
		var wg sync.WaitGroup
		errs := make([]error, len(servers))
		for i := range servers {
			wg.Add(1)
			go func() { defer wg.Done(); servers[i], errs[i] = bench.StartProc(ctx, cfg) }()
		}
		wg.Wait()
		for i, p := range servers {
			if p != nil {
				defer p.Kill()
			}
			if errs[i] != nil {
				t.Fatalf("server %d of two started at once on an empty database: %v", i, errs[i])
			}
		}
	}
	a, b := servers[0], servers[1]
	if loaded := strings.Count(a.Log()+b.Log(), "演示账号"); loaded != 1 {
		t.Fatalf("the demo loaded %d times by two servers started at once:\nA:\n%s\nB:\n%s", loaded, a.Log(), b.Log())
	}
	if n := count("SELECT COUNT(*) FROM users WHERE username IN ('admin', 'office')"); n != 2 {
		t.Fatalf("%d admin and office accounts after two starts", n)
	}
	// The webhook's channel starts at the first delivery run: what is in
	// the inbox then (the demo's) is not sent.
	var cursor int64
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if err := db.QueryRowContext(ctx, "SELECT last_id FROM inbox_outbound WHERE channel = 'webhook'").Scan(&cursor); err == nil {
			break
		} else if time.Now().After(deadline) {
			t.Fatalf("the webhook's cursor: %v", err)
		}
	}

	do := func(c *http.Client, method, url, body string) (int, string) {
		t.Helper()
		req, _ := http.NewRequestWithContext(ctx, method, url, strings.NewReader(body))
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", method, url, err)
		}
		defer resp.Body.Close()
		doc, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(doc)
	}
	signIn := func(base, user string) *http.Client {
		t.Helper()
		c, err := bench.Client(ctx, base, user)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}

	t.Run("sessions", func(t *testing.T) {
		c := signIn(a.Base, "city")
		if code, body := do(c, "GET", b.Base+"/api/v1/me", ""); code != 200 {
			t.Fatalf("a session made on A, on B: %d %s", code, body)
		}
		if code, body := do(c, "DELETE", b.Base+"/api/v1/session", ""); code/100 != 2 {
			t.Fatalf("signing out on B: %d %s", code, body)
		}
		if code, _ := do(c, "GET", a.Base+"/api/v1/me", ""); code != 401 {
			t.Fatalf("a session ended on B, on A: %d, want 401", code)
		}
	})

	// Concurrent writes through both: hazards by the enterprise, notices
	// (gap-free 文号) by the office.
	auditBefore := count("SELECT COUNT(*) FROM audit_events")
	ent, office := signIn(a.Base, "enterprise"), signIn(b.Base, "office")
	code, body := do(office, "GET", a.Base+"/api/v1/instances?status=todo&limit=20", "")
	var instances struct {
		Items []struct {
			ID     int64  `json:"id"`
			Status string `json:"status"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(body), &instances); code != 200 || err != nil {
		t.Fatalf("the office's duties: %d %v %.300s", code, err, body)
	}
	var open []int64 // duties not done, which a notice may be about
	for _, in := range instances.Items {
		if in.Status != "done" {
			open = append(open, in.ID)
		}
	}
	if len(open) < 2 {
		t.Fatalf("%d duties not done among the office's first %d", len(open), len(instances.Items))
	}
	const writers, each = 8, 10
	var mu sync.Mutex
	hazards := map[int64]string{} // id → 隐患编号
	var notices []int64
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				base := []string{a.Base, b.Base}[(w+i)%2]
				if w%4 == 3 { // every fourth writer issues notices, to one duty each
					body := fmt.Sprintf(`{"kind":"reminder","answer_by":"2099-12-31","again":true,"instance_ids":[%d]}`, open[w/4])
					code, doc := do(office, "POST", base+"/api/v1/notices", body)
					var out struct {
						IDs []int64 `json:"ids"`
					}
					if code != 201 || json.Unmarshal([]byte(doc), &out) != nil {
						t.Errorf("notice through %s: %d %s", base, code, doc)
						continue
					}
					mu.Lock()
					notices = append(notices, out.IDs...)
					mu.Unlock()
					continue
				}
				code, doc := do(ent, "POST", base+"/api/v1/hazards", `{"place":"原料仓库","description":"电气线路私拉乱接","source":"self"}`)
				var h struct {
					ID     int64  `json:"id"`
					Number string `json:"number"`
				}
				if code != 201 || json.Unmarshal([]byte(doc), &h) != nil || h.Number == "" {
					t.Errorf("hazard through %s: %d %s", base, code, doc)
					continue
				}
				mu.Lock()
				hazards[h.ID] = h.Number
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	t.Run("numbers", func(t *testing.T) {
		seen := map[string]int64{}
		for id, n := range hazards {
			if other, dup := seen[n]; dup {
				t.Errorf("hazards %d and %d share the number %s", id, other, n)
			}
			seen[n] = id
			// Each is there, with its number, on the server that did not make it too.
			for _, base := range []string{a.Base, b.Base} {
				code, doc := do(ent, "GET", fmt.Sprintf("%s/api/v1/hazards/%d", base, id), "")
				if code != 200 || !strings.Contains(doc, `"number":"`+n+`"`) {
					t.Errorf("hazard %d (%s) on %s: %d %.200s", id, n, base, code, doc)
				}
			}
		}
		if want := writers / 4 * 3 * each; len(hazards) != want {
			t.Errorf("%d hazards acknowledged, want %d", len(hazards), want)
		}
		var numbers []string
		for _, id := range notices {
			code, doc := do(office, "GET", fmt.Sprintf("%s/api/v1/notices/%d", a.Base, id), "")
			var n struct {
				DocNumber string `json:"doc_number"`
			}
			if code != 200 || json.Unmarshal([]byte(doc), &n) != nil || n.DocNumber == "" {
				t.Fatalf("notice %d: %d %.200s", id, code, doc)
			}
			if slices.Contains(numbers, n.DocNumber) {
				t.Errorf("two notices numbered %s", n.DocNumber)
			}
			numbers = append(numbers, n.DocNumber)
		}
		if want := writers / 4 * each; len(numbers) != want {
			t.Errorf("%d notices issued, want %d", len(numbers), want)
		}
		// 文号 run without gaps: the office's reminders this year are
		// numbered 1…n, with the notices before this test.
		if max, n := count("SELECT COALESCE(MAX(last_number), 0) FROM counters WHERE series = 'plan.notice.reminder'"),
			count("SELECT COUNT(*) FROM plan_notices WHERE kind = 'reminder'"); max != n {
			t.Errorf("reminders: the counter stands at %d for %d notices", max, n)
		}
	})

	t.Run("one audit chain", func(t *testing.T) {
		events := count("SELECT COUNT(*) FROM audit_events") - auditBefore
		reports := count("SELECT COUNT(*) FROM audit_events WHERE action = 'hazard.report' AND seq > $1", auditBefore)
		issues := count("SELECT COUNT(*) FROM audit_events WHERE action = 'plan.notice.issue' AND seq > $1", auditBefore)
		if reports != len(hazards) || issues != len(notices) {
			t.Errorf("audit events: %d hazard.report for %d hazards, %d plan.notice.issue for %d notices", reports, len(hazards), issues, len(notices))
		}
		if events < reports+issues {
			t.Errorf("%d events for %d audited writes", events, reports+issues)
		}
		if n, max, head := count("SELECT COUNT(*) FROM audit_events"), count("SELECT MAX(seq) FROM audit_events"), count("SELECT seq FROM audit_head"); n != max || max != head {
			t.Errorf("audit chain: %d events, highest seq %d, head at %d", n, max, head)
		}
	})

	// Every message since the channel started reaches the webhook once.
	webhookOnce := func(t *testing.T) {
		t.Helper()
		var want []int64
		rows, err := db.QueryContext(ctx, "SELECT id FROM inbox WHERE id > $1 AND done_at IS NULL ORDER BY id", cursor)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id int64
			_ = rows.Scan(&id)
			want = append(want, id)
		}
		rows.Close()
		if len(want) == 0 {
			t.Fatal("no message to deliver")
		}
		missing := func() (n int) {
			hookMu.Lock()
			defer hookMu.Unlock()
			for _, id := range want {
				if hooked[id] == 0 {
					n++
				}
			}
			return n
		}
		for deadline := time.Now().Add(30 * time.Second); missing() > 0; time.Sleep(200 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("%d of %d messages not delivered in 30 s", missing(), len(want))
			}
		}
		time.Sleep(6 * time.Second) // both servers' next run (every 5 s)
		hookMu.Lock()
		defer hookMu.Unlock()
		for id, n := range hooked {
			if id <= cursor {
				t.Errorf("message %d, in the inbox before the channel started, was delivered", id)
			}
			if n != 1 {
				t.Errorf("message %d delivered %d times", id, n)
			}
		}
		t.Logf("%d messages delivered once each", len(hooked))
	}
	t.Run("webhook once", webhookOnce)

	t.Run("escalated once", func(t *testing.T) {
		// Deadlines pass: open major hazards get one of two days ago, not
		// escalated yet; both servers restart at once, and each runs the
		// sweep as it starts.
		deadline := time.Now().AddDate(0, 0, -2).Format("2006-01-02")
		res, err := db.ExecContext(ctx, `UPDATE hazards SET deadline = $1, escalated_at = NULL
			WHERE id IN (SELECT id FROM hazards WHERE level = 'major' AND state <> 'closed' ORDER BY id LIMIT 20)`, deadline)
		if err != nil {
			t.Fatal(err)
		}
		due, _ := res.RowsAffected()
		if due == 0 {
			t.Fatal("no open major hazard in the demo")
		}
		seq := count("SELECT MAX(seq) FROM audit_events")
		for _, p := range servers {
			p.Stop()
		}
		// The test holds the first of them (the sweep's order is by
		// deadline and id) until both servers have started and swept, so
		// that their sweeps overlap: without the sweep's lock both would
		// wait here and then both escalate.
		hold, err := db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer hold.Rollback()
		if _, err := hold.ExecContext(ctx, `SELECT id FROM hazards WHERE id = (SELECT MIN(id) FROM hazards WHERE deadline = $1) FOR UPDATE`, deadline); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for _, p := range servers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := p.Restart(ctx); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if t.Failed() {
			t.FailNow()
		}
		// Both sweeps have begun: one waits on the held row, the other on
		// the sweep's lock or on the row (without that lock). Until both
		// wait, the test has not made them overlap.
		for until := time.Now().Add(20 * time.Second); count("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%hazards%'") < 1; time.Sleep(50 * time.Millisecond) {
			if time.Now().After(until) {
				t.Fatal("no sweep waited on the held hazard in 20 s: the test would not make the two sweeps overlap")
			}
		}
		time.Sleep(500 * time.Millisecond) // the second server's sweep, kept out by the lock, has tried too
		if err := hold.Rollback(); err != nil {
			t.Fatal(err)
		}
		for until := time.Now().Add(30 * time.Second); count("SELECT COUNT(*) FROM hazards WHERE deadline = $1 AND escalated_at IS NULL", deadline) > 0; time.Sleep(100 * time.Millisecond) {
			if time.Now().After(until) {
				t.Fatal("the overdue hazards were not escalated in 30 s")
			}
		}
		time.Sleep(time.Second) // a second sweep, were there one, would have written by now
		told := map[int64]int{}
		rows, err := db.QueryContext(ctx, "SELECT after_json FROM audit_events WHERE action = 'hazard.escalate' AND seq > $1", seq)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var doc string
			var after struct {
				Hazards []int64 `json:"hazards"`
			}
			if err := rows.Scan(&doc); err != nil || json.Unmarshal([]byte(doc), &after) != nil {
				t.Fatalf("hazard.escalate: %v %s", err, doc)
			}
			for _, id := range after.Hazards {
				told[id]++
			}
		}
		rows.Close()
		if int64(len(told)) != due {
			t.Errorf("%d hazards escalated in the audit, %d became overdue", len(told), due)
		}
		for id, n := range told {
			if n != 1 {
				t.Errorf("hazard %d escalated %d times", id, n)
			}
		}
		if n := count("SELECT COUNT(*) FROM hazard_escalations WHERE deadline = $1", deadline); int64(n) != due {
			t.Errorf("%d escalations for %d overdue hazards", n, due)
		}
		if n := count("SELECT COUNT(*) FROM inbox WHERE kind = 'hazard.overdue' AND dedup LIKE $1", "%:"+deadline); n == 0 {
			t.Error("no overdue message")
		}
		if n, max := count("SELECT COUNT(*) FROM audit_events"), count("SELECT MAX(seq) FROM audit_events"); n != max {
			t.Errorf("audit chain: %d events, highest seq %d", n, max)
		}
	})
	t.Run("webhook once after the sweep", webhookOnce)

	t.Run("a holiday notice imported through A, on B", func(t *testing.T) {
		notice, err := os.ReadFile(invented2027) // a test fixture, not the State Council's
		if err != nil {
			t.Fatal(err)
		}
		admin := signIn(a.Base, "admin")
		if code, body := do(admin, "POST", a.Base+"/api/v1/calendar", string(notice)); code != 201 || !strings.Contains(body, `"year":2027`) {
			t.Fatalf("the 2027 notice through A: %d %s", code, body)
		}
		// B loads the stored notices every five minutes, and before it
		// answers for the table.
		if code, body := do(signIn(b.Base, "office"), "GET", b.Base+"/api/v1/calendar", ""); code != 200 ||
			!strings.Contains(body, `"known_through":"2027-12-31"`) || !strings.Contains(body, `{"year":2027,"source":"导入"`) {
			t.Fatalf("the table on B: %d %s", code, body)
		}
	})

	t.Run("two-factor across servers", func(t *testing.T) {
		admin := signIn(a.Base, "admin")
		if code, body := do(admin, "PUT", a.Base+"/api/v1/settings/two-factor", `{"required":true}`); code != 204 {
			t.Fatalf("requiring two factors: %d %s", code, body)
		}
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar, Timeout: 30 * time.Second}
		login, _ := json.Marshal(map[string]string{"username": "office", "password": demo.Password})
		code, body := do(c, "POST", a.Base+"/api/v1/session", string(login))
		var due struct {
			SecondFactor string `json:"second_factor"`
			Enrolment    struct {
				Secret string `json:"secret"`
			} `json:"enrolment"`
		}
		if code != 202 || json.Unmarshal([]byte(body), &due) != nil || due.Enrolment.Secret == "" {
			t.Fatalf("the office's sign-in on A: %d %s", code, body)
		}
		code, body = do(c, "POST", b.Base+"/api/v1/session/code", `{"code":"`+auth.TOTPCode(due.Enrolment.Secret, time.Now())+`"}`)
		if code != 200 {
			t.Fatalf("the code on B: %d %s", code, body)
		}
		if code, body := do(c, "GET", a.Base+"/api/v1/me", ""); code != 200 || !strings.Contains(body, `"office"`) {
			t.Fatalf("signed in with two factors through A and B, on A: %d %.200s", code, body)
		}
	})

	for _, p := range servers {
		p.Stop()
	}
	out, err := cfg.Run(ctx, append([]string{"audit", "verify"}, cfg.DBArgs()...)...)
	if err != nil {
		t.Fatalf("audit verify after writes through two servers: %v\n%s", err, out)
	}
	t.Logf("audit verify: %s", bytes.TrimSpace([]byte(out)))
}
