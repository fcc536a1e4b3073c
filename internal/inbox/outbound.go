package inbox

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"anwei/internal/org"
	"anwei/internal/store"
)

// Outbound delivery: every message is also handed to the deployment's
// channel (SMS, a government messaging platform) through a Channel — after
// its step committed, never inside the writer's transaction, and never
// failing the step. The inbox itself is the outbox: a Deliverer reads the
// messages after the last one it delivered, by primary key, so a hand-over
// costs no statement more on its hot path. Of several servers on one
// database one delivers at a time (an advisory lock, store.DB.Exclusive),
// and what it delivered above the cursor is recorded (inbox_sent), so the
// next run, on whichever server, does not send it again. Delivery is still
// at least once — a server that dies between the channel's answer and the
// record sends that message again from the next run — and a message
// carries its id for the receiver to drop a repeat; a message settled
// before it was delivered is not sent, and one whose channel keeps failing
// is logged and given up after MaxTries (tries counted per server).

// Outgoing is what a channel delivers: the message and the name of the
// unit it is for.
type Outgoing struct {
	Message
	UnitName string `json:"unit_name"`
	// UserID is the one person of the unit it is for (an expert asked by
	// name), absent for the whole unit: a gateway must not send a
	// person's request to the whole pool.
	UserID *int64 `json:"user_id,omitempty"`
}

// Channel delivers a message outside anwei.
type Channel interface {
	// Name identifies the channel's progress in inbox_outbound.
	Name() string
	Deliver(ctx context.Context, m Outgoing) error
}

// Webhook is a Channel that POSTs each message as JSON to URL, signed with
// Secret: header X-Anwei-Signature is "sha256=" and the hex HMAC-SHA256 of
// the body under Secret. A reply other than 2xx is a failure.
type Webhook struct {
	URL    string
	Secret string
	Client *http.Client // nil: a client with a 10 s timeout
}

// Name is the channel's name.
func (w *Webhook) Name() string { return "webhook" }

// Sign is the signature header's value for body under secret.
func Sign(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// Deliver posts m.
func (w *Webhook) Deliver(ctx context.Context, m Outgoing) error {
	body, err := json.Marshal(m)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Anwei-Signature", Sign(w.Secret, body))
	c := w.Client
	if c == nil {
		c = &http.Client{Timeout: 10 * time.Second}
	}
	res, err := c.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 1<<16))
	if res.StatusCode/100 != 2 {
		return fmt.Errorf("webhook: %s", res.Status)
	}
	return nil
}

// MaxTries is how often a Deliverer tries a message before it gives up.
const MaxTries = 5

// settleLag is how long a Deliverer waits before it counts a message id as
// passed: on PostgreSQL a transaction that took an id earlier may commit
// after one that took a later id.
const settleLag = time.Minute

// deliverLock is the advisory lock key of delivering ("outb"): one server
// delivers at a time.
const deliverLock int64 = 0x6f757462

// Deliverer hands the inbox's messages to a channel.
type Deliverer struct {
	db   *store.DB
	ch   Channel
	log  *slog.Logger
	now  func() time.Time
	sent map[int64]bool      // delivered (or given up) above the cursor
	fail map[int64]int       // tries of messages not delivered yet
	next map[int64]time.Time // when a failed message is tried again
}

// NewDeliverer returns a deliverer of db's inbox to ch; now is the clock.
func NewDeliverer(db *store.DB, ch Channel, log *slog.Logger, now func() time.Time) *Deliverer {
	return &Deliverer{db: db, ch: ch, log: log, now: now, sent: map[int64]bool{}, fail: map[int64]int{}, next: map[int64]time.Time{}}
}

// Deliver hands the messages new since the last call to the channel and
// reports how many it delivered (a scheduler job). The first call on a
// database starts from its newest message: what was sent before a channel
// was configured is not delivered. While another server delivers, it
// does nothing.
func (d *Deliverer) Deliver(ctx context.Context) (int, error) {
	n := 0
	_, err := d.db.Exclusive(ctx, deliverLock, false, func() (err error) {
		n, err = d.deliver(ctx)
		return err
	})
	return n, err
}

func (d *Deliverer) deliver(ctx context.Context) (int, error) {
	var last int64
	err := d.db.QueryRow(ctx, "SELECT last_id FROM inbox_outbound WHERE channel = ?", d.ch.Name()).Scan(&last)
	if store.NoRows(err) {
		return 0, d.db.Tx(ctx, func(tx *store.Tx) error {
			_, err := tx.Exec(ctx, `INSERT INTO inbox_outbound (channel, last_id) SELECT ?, COALESCE(MAX(id), 0) FROM inbox WHERE true
				ON CONFLICT (channel) DO NOTHING`, d.ch.Name())
			return err
		})
	}
	if err != nil {
		return 0, err
	}
	rows, err := d.db.Query(ctx, `SELECT m.id, m.unit_id, m.kind, m.title, m.link, m.created_at, m.todo, m.due, m.done_at, COALESCE(u.name, ''), m.user_id
		FROM inbox m LEFT JOIN `+org.UnitsView+` u ON u.id = m.unit_id WHERE m.id > ? ORDER BY m.id LIMIT 200`, last)
	ms, err := store.Collect(rows, err, func(r store.Scanner) (Outgoing, error) {
		var o Outgoing
		err := r.Scan(&o.ID, &o.UnitID, &o.Kind, &o.Title, &o.Link, &o.CreatedAt, &o.Todo, &o.Due, &o.DoneAt, &o.UnitName, &o.UserID)
		return o, err
	})
	if err != nil {
		return 0, err
	}
	// What a run before this one delivered, here or on another server.
	rows, err = d.db.Query(ctx, "SELECT message_id FROM inbox_sent WHERE channel = ? AND message_id > ?", d.ch.Name(), last)
	if err := store.Each(rows, err, func(r store.Scanner) error {
		var id int64
		err := r.Scan(&id)
		d.sent[id] = true
		return err
	}); err != nil {
		return 0, err
	}
	now, n := d.now(), 0
	for _, m := range ms {
		if d.sent[m.ID] || now.Before(d.next[m.ID]) {
			continue
		}
		if m.DoneAt != nil { // dealt with before it went out
			d.sent[m.ID] = true
			continue
		}
		if err := d.ch.Deliver(ctx, m); err != nil {
			d.fail[m.ID]++
			if d.fail[m.ID] >= MaxTries {
				d.log.Error("消息外发失败，已放弃", "channel", d.ch.Name(), "id", m.ID, "unit", m.UnitID, "err", err)
				delete(d.fail, m.ID)
				delete(d.next, m.ID)
				if err := d.record(ctx, m.ID); err != nil {
					return n, err
				}
				continue
			}
			d.log.Warn("消息外发失败，稍后重试", "channel", d.ch.Name(), "id", m.ID, "try", d.fail[m.ID], "err", err)
			d.next[m.ID] = now.Add(time.Duration(1<<d.fail[m.ID]) * 10 * time.Second)
			// The channel may be down: the rest wait for the next run
			// rather than each spend a try (and a timeout) on it now.
			break
		}
		n++
		delete(d.fail, m.ID)
		delete(d.next, m.ID)
		if err := d.record(ctx, m.ID); err != nil {
			return n, err
		}
	}
	// The cursor passes every message delivered (or given up) that is old
	// enough for no earlier id to commit after it.
	cursor := last
	for _, m := range ms {
		if !d.sent[m.ID] || now.Sub(m.CreatedAt) < settleLag {
			break
		}
		cursor = m.ID
	}
	if cursor == last {
		return n, nil
	}
	for id := range d.sent {
		if id <= cursor {
			delete(d.sent, id)
		}
	}
	return n, d.db.Tx(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(ctx, "UPDATE inbox_outbound SET last_id = ? WHERE channel = ? AND last_id < ?", cursor, d.ch.Name(), cursor); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, "DELETE FROM inbox_sent WHERE channel = ? AND message_id <= ?", d.ch.Name(), cursor)
		return err
	})
}

// record notes that message id is done with (delivered or given up), here
// and for every server.
// A message handed over is recorded even when the server is stopping (ctx
// ended by a graceful shutdown): otherwise the next start sends it again.
func (d *Deliverer) record(ctx context.Context, id int64) error {
	d.sent[id] = true
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	return d.db.Tx(ctx, func(tx *store.Tx) error {
		_, err := tx.Exec(ctx, "INSERT INTO inbox_sent (channel, message_id) VALUES (?, ?) ON CONFLICT (channel, message_id) DO NOTHING", d.ch.Name(), id)
		return err
	})
}
