package audit

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"time"

	"anwei/internal/apperr"
	"anwei/internal/org/scope"
	"anwei/internal/paging"
	"anwei/internal/store"
)

// headMemo keeps the chain head within a transaction (store.Tx.Memo);
// pendingMemo the transaction's events, chained when it commits.
const (
	headMemo    = "audit.head"
	pendingMemo = "audit.pending"
)

// head is the chain head: the latest event and where the keyed part
// begins (0: the chain has no key yet).
type head struct {
	seq       int64
	hash      string
	keyedFrom int64
}

// Append records one event in tx. It must be called in the same
// transaction as the change it records. The event is kept in the
// transaction and chained when it commits (chain): its sequence number and
// hash, and the head's lock, are taken at the end, for the whole
// transaction — under group commit for the whole group — so writers queue
// on the head only for the COMMIT. With the database's audit key the
// event's hash is keyed (an empty chain becomes keyed from its first
// event; a chain that has unkeyed events is bound to the key by Bind, at
// start, never here); without it the transaction extends only a chain that
// has no key, and fails at its commit otherwise.
func Append(ctx context.Context, tx *store.Tx, now time.Time, who Who, e Entry) error {
	before, err := Canonical(e.Before)
	if err != nil {
		return fmt.Errorf("audit before: %w", err)
	}
	after, err := Canonical(e.After)
	if err != nil {
		return fmt.Errorf("audit after: %w", err)
	}
	region := e.Region
	if region == "" {
		region = who.Region
	}
	var ev Event
	ev.At = now.UTC().Truncate(time.Microsecond)
	ev.ActorID, ev.Actor, ev.UnitID, ev.Region = who.UserID, who.Name, who.UnitID, region
	ev.Action, ev.ObjectKind, ev.ObjectID = e.Action, e.ObjectKind, e.ObjectID
	ev.Before, ev.After = before, after
	var pending []Event
	if m, ok := tx.Memo(pendingMemo); ok {
		pending = m.([]Event)
	}
	// A new slice each time: under group commit a failed function's memo
	// is put back, and the events it added must go with it.
	tx.SetMemo(pendingMemo, append(slices.Clip(pending), ev))
	tx.AtCommit(headMemo, func(ctx context.Context) error { return chain(ctx, tx) })
	return nil
}

// chain links the transaction's events to the head, in the order they
// were appended, inserts them and moves the head: the last statements
// before COMMIT. The head is read (locked on PostgreSQL, where it
// serialises the commits of all servers) and its signature checked, so
// that no write extends — and by re-signing, hides — a head stepped back
// or written under another key.
func chain(ctx context.Context, tx *store.Tx) error {
	var pending []Event
	if m, ok := tx.Memo(pendingMemo); ok {
		pending = m.([]Event)
	}
	_, moved := tx.Memo(headMemo)
	if len(pending) == 0 && !moved {
		return nil // every event of the transaction was left out of it
	}
	h, err := txHead(ctx, tx)
	if err != nil {
		return err
	}
	key := tx.AuditKey()
	if len(pending) > 0 && h.keyedFrom == 0 && key != nil {
		if h.seq > 0 {
			return ErrUnbound
		}
		h.keyedFrom = 1
	}
	for i := range pending {
		ev := &pending[i]
		ev.Seq, ev.PrevHash = h.seq+1, h.hash
		if h.keyedFrom > 0 {
			ev.Hash = ev.ComputeMAC(key)
		} else {
			ev.Hash = ev.ComputeHash()
		}
		h.seq, h.hash = ev.Seq, ev.Hash
	}
	mac := ""
	if h.keyedFrom > 0 {
		mac = h.mac(key)
	}
	if err := insertEvents(ctx, tx, pending, "UPDATE audit_head SET seq = ?, hash = ?, keyed_from = ?, mac = ? WHERE id = 1",
		h.seq, h.hash, h.keyedFrom, mac); err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}

// insertRows is how many events one INSERT carries (13 values each).
const insertRows = 32

// insertEvents inserts events, several to a statement — under the
// head's lock every round trip counts — and runs the head's update
// (head, with headArgs) after them: on PostgreSQL in the same statement
// as the last events, a writing WITH.
func insertEvents(ctx context.Context, tx *store.Tx, events []Event, head string, headArgs ...any) error {
	for len(events) > 0 {
		n := min(len(events), insertRows)
		q := "INSERT INTO audit_events (" + eventCols + ") VALUES " + store.Tuples(13, n)
		args := make([]any, 0, 13*n+len(headArgs))
		for _, ev := range events[:n] {
			args = append(args, ev.Seq, ev.At, ev.ActorID, ev.Actor, ev.UnitID, ev.Region, ev.Action, ev.ObjectKind, ev.ObjectID,
				ev.Before, ev.After, ev.PrevHash, ev.Hash)
		}
		events = events[n:]
		if len(events) == 0 && tx.Dialect == store.Postgres {
			q, args, head = "WITH e AS ("+q+") "+head, append(args, headArgs...), ""
		}
		if _, err := tx.Exec(ctx, q, args...); err != nil {
			return fmt.Errorf("insert: %w", err)
		}
	}
	if head != "" {
		if _, err := tx.Exec(ctx, head, headArgs...); err != nil {
			return fmt.Errorf("head update: %w", err)
		}
	}
	return nil
}

// txHead returns the head as the transaction sees it: from its memo, or
// read from the database (locked on PostgreSQL) with its signature
// checked.
func txHead(ctx context.Context, tx *store.Tx) (head, error) {
	if h, ok := tx.Memo(headMemo); ok {
		return h.(head), nil
	}
	lock := ""
	if tx.Dialect == store.Postgres {
		lock = " FOR UPDATE"
	}
	var h head
	var mac string
	if err := tx.QueryRow(ctx, "SELECT seq, hash, keyed_from, mac FROM audit_head WHERE id = 1"+lock).
		Scan(&h.seq, &h.hash, &h.keyedFrom, &mac); err != nil {
		return h, fmt.Errorf("audit head: %w", err)
	}
	if h.keyedFrom > 0 {
		key := tx.AuditKey()
		if key == nil {
			return h, ErrNoKey
		}
		if !hmac.Equal([]byte(mac), []byte(h.mac(key))) {
			return h, ErrHeadMismatch
		}
	}
	return h, nil
}

// setHead makes h the transaction's head (Bind): it is written when the
// transaction commits, after its events are chained to it.
func setHead(ctx context.Context, tx *store.Tx, h head) {
	tx.SetMemo(headMemo, h)
	tx.AtCommit(headMemo, func(ctx context.Context) error { return chain(ctx, tx) })
}

// mac is the head's signature: the hex HMAC-SHA256 under key of its
// sequence number, hash and first keyed event. (The events' encoding is a
// JSON object; this one cannot be mistaken for it.)
func (h head) mac(key []byte) string {
	m := hmac.New(sha256.New, key)
	fmt.Fprintf(m, "anwei audit head\n%d\n%s\n%d", h.seq, h.hash, h.keyedFrom)
	return hex.EncodeToString(m.Sum(nil))
}

// ErrNoKey: the chain is keyed and the process has no key.
var ErrNoKey = errors.New("审计链已启用审计密钥，但本进程没有密钥，不能追加审计事件: 请用 --audit-key-file (或 ANWEI_AUDIT_KEY_FILE) 指定写入此链的密钥文件")

// ErrUnbound: the process has a key and the chain's head says the chain
// has none, after Bind made sure it has.
var ErrUnbound = errors.New("本进程有审计密钥，但审计链头没有启用密钥的记录，不再追加审计事件: 链头被改动 (请运行 anwei audit verify)")

// ErrHeadMismatch: the head's signature does not hold under the process's
// key.
var ErrHeadMismatch = errors.New("审计链头的密钥签名不符，不再追加审计事件 (以免掩盖改动): 或者链头被改动 (例如删除最新事件后退回了链头，请运行 anwei audit verify)，" +
	"或者本进程的审计密钥不是写入此链的那一个 (多台服务器须用 --audit-key-file 指向同一个密钥文件)")

const eventCols = "seq, at, actor_id, actor, unit_id, region_code, action, object_kind, object_id, before_json, after_json, prev_hash, hash"

func scanEvent(r store.Scanner) (Event, error) {
	var e Event
	err := r.Scan(&e.Seq, &e.At, &e.ActorID, &e.Actor, &e.UnitID, &e.Region, &e.Action, &e.ObjectKind, &e.ObjectID,
		&e.Before, &e.After, &e.PrevHash, &e.Hash)
	e.At = e.At.UTC()
	e.ActionName, e.ObjectKindName = ActionName(e.Action), KindName(e.ObjectKind)
	return e, err
}

// Filter narrows an event search.
type Filter struct {
	Action     string // prefix, e.g. "unit."
	ObjectKind string
	ObjectID   string
	Actor      string
	Since      time.Time
	Until      time.Time
	paging.Page
}

// List returns the events the scope may see, newest first, with their total.
func List(ctx context.Context, db *store.DB, sc scope.Scope, f Filter) ([]Event, int, error) {
	where, args := sc.EventsWhere("region_code", "unit_id")
	if f.Action != "" {
		where += " AND action LIKE ?"
		args = append(args, f.Action+"%")
	}
	if f.ObjectKind != "" {
		where += " AND object_kind = ?"
		args = append(args, f.ObjectKind)
	}
	if f.ObjectID != "" {
		where += " AND object_id = ?"
		args = append(args, f.ObjectID)
	}
	if f.Actor != "" {
		where += " AND actor = ?"
		args = append(args, f.Actor)
	}
	if !f.Since.IsZero() {
		where += " AND at >= ?"
		args = append(args, f.Since.UTC())
	}
	if !f.Until.IsZero() {
		where += " AND at < ?"
		args = append(args, f.Until.UTC())
	}
	var total int
	if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM audit_events WHERE "+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	pg := f.Page.Clamp()
	rows, err := db.Query(ctx, "SELECT "+eventCols+" FROM audit_events WHERE "+where+" ORDER BY seq DESC LIMIT ? OFFSET ?",
		append(args, pg.Limit, pg.Offset)...)
	out, err := store.Collect(rows, err, scanEvent)
	return out, total, err
}

// Get returns one event if the scope may see it.
func Get(ctx context.Context, db *store.DB, sc scope.Scope, seq int64) (Event, error) {
	where, args := sc.EventsWhere("region_code", "unit_id")
	e, err := scanEvent(db.QueryRow(ctx, "SELECT "+eventCols+" FROM audit_events WHERE seq = ? AND "+where, append([]any{seq}, args...)...))
	if store.NoRows(err) {
		return e, apperr.New(apperr.NotFound, "审计事件不存在或不在您的管辖范围内")
	}
	return e, err
}
