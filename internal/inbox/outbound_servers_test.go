package inbox_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"anwei/internal/app"
	"anwei/internal/app/apptest"
	"anwei/internal/calendar"
	"anwei/internal/hazard"
	"anwei/internal/inbox"
)

// TestWebhookOnceAcrossServers (issue 18.2): two servers on one database
// each run a Deliverer of the same channel; every message reaches the
// receiver once, whether the two take turns (a message delivered by one
// within the minute before the cursor passes it was sent again by the
// other) or, on PostgreSQL, run at the same moment.
func TestWebhookOnceAcrossServers(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		clock := calendar.NewFixed(time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC))
		db, s := apptest.SeededDemo(t, dialect, app.Wiring{Clock: clock}, 20, false)
		var mu sync.Mutex
		got := map[int64]int{}
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			var m inbox.Outgoing
			if err := json.NewDecoder(r.Body).Decode(&m); err != nil {
				t.Error(err)
			}
			mu.Lock()
			got[m.ID]++
			mu.Unlock()
		}))
		defer srv.Close()
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		hook := &inbox.Webhook{URL: srv.URL, Secret: "s3cret-s3cret-s3cret"}
		a, b := inbox.NewDeliverer(db, hook, log, clock.Now), inbox.NewDeliverer(db, hook, log, clock.Now)
		deliver := func(d *inbox.Deliverer) int {
			t.Helper()
			n, err := d.Deliver(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		deliver(a) // the channel starts here
		ent := mustActor(t, s, "enterprise")
		report := func() {
			t.Helper()
			if _, err := s.Hazards.Report(ctx, ent, hazard.ReportInput{Place: "液氯储罐区", Description: "紧急切断阀失效"}); err != nil {
				t.Fatal(err)
			}
		}
		total := 0
		for round := range 3 {
			report()
			total += deliver([]*inbox.Deliverer{a, b}[round%2])
			total += deliver([]*inbox.Deliverer{b, a}[round%2])
			clock.Advance(10 * time.Second) // within the minute the cursor waits
		}
		if dialect == "postgres" {
			for range 3 {
				report()
				var wg sync.WaitGroup
				for _, d := range []*inbox.Deliverer{a, b} {
					wg.Add(1)
					go func() {
						defer wg.Done()
						n, err := d.Deliver(ctx)
						if err != nil {
							t.Error(err)
						}
						mu.Lock()
						total += n
						mu.Unlock()
					}()
				}
				wg.Wait()
				total += deliver(a) + deliver(b) // whichever was kept out by the other's lock
			}
		}
		clock.Advance(2 * time.Minute) // the cursor passes them all
		total += deliver(b) + deliver(a)
		mu.Lock()
		defer mu.Unlock()
		if len(got) == 0 {
			t.Fatal("nothing delivered")
		}
		for id, n := range got {
			if n != 1 {
				t.Errorf("message %d delivered %d times", id, n)
			}
		}
		if total != len(got) {
			t.Errorf("the deliverers counted %d deliveries, the receiver got %d messages", total, len(got))
		}
		var left int
		if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM inbox_sent").Scan(&left); err != nil || left != 0 {
			t.Errorf("inbox_sent keeps %d rows behind the cursor (%v)", left, err)
		}
	})
}

// stopping is a channel that takes each message and, while handing the
// first over, sees the server stop (its context ends): a graceful
// shutdown in the middle of a run.
type stopping struct {
	stop func()
	got  []int64
}

func (c *stopping) Name() string { return "stopping" }

func (c *stopping) Deliver(_ context.Context, m inbox.Outgoing) error {
	c.got = append(c.got, m.ID)
	c.stop()
	return nil
}

// TestWebhookStopDoesNotResend: a message handed over as the server stops
// is recorded as sent, so the restarted server does not send it again.
func TestWebhookStopDoesNotResend(t *testing.T) {
	ctx := context.Background()
	clock := calendar.NewFixed(time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC))
	db, s := apptest.SeededDemo(t, apptest.SQLite, app.Wiring{Clock: clock}, 20, false)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	ch := &stopping{stop: func() {}}
	if _, err := inbox.NewDeliverer(db, ch, log, clock.Now).Deliver(ctx); err != nil { // the channel starts here
		t.Fatal(err)
	}
	if _, err := s.Hazards.Report(ctx, mustActor(t, s, "enterprise"), hazard.ReportInput{Place: "液氯储罐区", Description: "紧急切断阀失效"}); err != nil {
		t.Fatal(err)
	}
	run, stop := context.WithCancel(ctx)
	ch.stop = stop
	_, _ = inbox.NewDeliverer(db, ch, log, clock.Now).Deliver(run)
	if len(ch.got) == 0 {
		t.Fatal("nothing delivered")
	}
	first := len(ch.got)
	ch.stop = func() {}
	if _, err := inbox.NewDeliverer(db, ch, log, clock.Now).Deliver(ctx); err != nil { // the restarted server
		t.Fatal(err)
	}
	seen := map[int64]int{}
	for _, id := range ch.got {
		seen[id]++
	}
	for _, id := range ch.got[:first] {
		if seen[id] > 1 {
			t.Errorf("message %d, handed over as the server stopped, sent again after the restart", id)
		}
	}
}
