package inbox_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"anwei/internal/app"
	"anwei/internal/app/apptest"
	"anwei/internal/calendar"
	"anwei/internal/hazard"
	"anwei/internal/inbox"
)

// TestWebhookDeliversAfterTheStep (issue 16.1): a hand-over's messages go
// to the webhook after the step committed, signed; a failing receiver
// neither fails the step nor loses the message (it is tried again), a
// delivered one is not sent twice, even after a restart, and messages
// from before the channel existed are not sent.
func TestWebhookDeliversAfterTheStep(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		clock := calendar.NewFixed(time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC))
		db, s := apptest.SeededDemo(t, dialect, app.Wiring{Clock: clock}, 20, false)
		const secret = "s3cret"
		var mu sync.Mutex
		var got []inbox.Outgoing
		down := true
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			defer mu.Unlock()
			body, _ := io.ReadAll(r.Body)
			if r.Header.Get("X-Anwei-Signature") != inbox.Sign(secret, body) {
				t.Errorf("signature %q", r.Header.Get("X-Anwei-Signature"))
			}
			if down {
				http.Error(w, "busy", http.StatusServiceUnavailable)
				return
			}
			var m inbox.Outgoing
			if err := json.Unmarshal(body, &m); err != nil {
				t.Error(err)
			}
			got = append(got, m)
		}))
		defer srv.Close()
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		hook := &inbox.Webhook{URL: srv.URL, Secret: secret}
		d := inbox.NewDeliverer(db, hook, log, clock.Now)
		deliver := func() int {
			t.Helper()
			n, err := d.Deliver(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		if _, err := s.Hazards.Report(ctx, mustActor(t, s, "enterprise"), hazard.ReportInput{Place: "罐区", Description: "旧的隐患"}); err != nil {
			t.Fatal(err)
		}
		deliver() // the channel starts here: what was sent before is not delivered
		h, err := s.Hazards.Report(ctx, mustActor(t, s, "enterprise"), hazard.ReportInput{Place: "液氯储罐区", Description: "紧急切断阀失效"})
		if err != nil {
			t.Fatalf("the step fails with the receiver down: %v", err)
		}
		if n := deliver(); n != 0 {
			t.Errorf("delivered %d to a receiver that is down", n)
		}
		mu.Lock()
		down = false
		mu.Unlock()
		clock.Advance(2 * time.Minute)
		if n := deliver(); n == 0 {
			t.Fatalf("nothing delivered once the receiver is up")
		}
		if n := deliver(); n != 0 {
			t.Errorf("delivered %d again", n)
		}
		if n, err := inbox.NewDeliverer(db, hook, log, clock.Now).Deliver(ctx); err != nil || n != 0 {
			t.Errorf("a restarted deliverer sent %d again: %v", n, err)
		}
		// A request to one expert goes out addressed to that expert, not its pool.
		expert := mustActor(t, s, "expert")
		if _, err := s.Hazards.AskExperts(ctx, mustActor(t, s, "member"), h.ID, hazard.AskInput{ExpertIDs: []int64{expert.UserID}, Question: "请判定"}); err != nil {
			t.Fatal(err)
		}
		clock.Advance(2 * time.Minute)
		deliver()
		mu.Lock()
		defer mu.Unlock()
		var toExpert *inbox.Outgoing
		for i, m := range got {
			if m.Kind == "hazard.opinion" {
				toExpert = &got[i]
			}
		}
		if toExpert == nil || toExpert.UserID == nil || *toExpert.UserID != expert.UserID {
			t.Errorf("the expert's request went out as %+v, want it addressed to user %d", toExpert, expert.UserID)
		}
		got = slices.DeleteFunc(got, func(m inbox.Outgoing) bool { return m.Kind == "hazard.opinion" })
		member := mustActor(t, s, "member")
		found := false
		for _, m := range got {
			if m.UnitID == member.Unit.ID && m.Todo && m.Link == "/hazards/"+itoa(h.ID) && m.UnitName == member.Unit.Name {
				found = true
			}
			if m.Link != "/hazards/"+itoa(h.ID) {
				t.Errorf("delivered a message of before the channel: %+v", m)
			}
		}
		if !found {
			t.Errorf("the supervising department's 待判定 was not delivered: %+v", got)
		}
	})
}
