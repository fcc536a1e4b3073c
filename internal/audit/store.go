package audit

import (
	"context"
	"fmt"
	"time"

	"anwei/internal/apperr"
	"anwei/internal/org/scope"
	"anwei/internal/store"
)

// headMemo keeps the chain head within a transaction (store.Tx.Memo).
const headMemo = "audit.head"

type head struct {
	seq  int64
	hash string
}

// Append records one event in tx, chained to the head. It must be called in
// the same transaction as the change it records. The head is read once per
// transaction and written back just before it commits.
func Append(ctx context.Context, tx *store.Tx, now time.Time, who Who, e Entry) (Event, error) {
	before, err := Canonical(e.Before)
	if err != nil {
		return Event{}, fmt.Errorf("audit before: %w", err)
	}
	after, err := Canonical(e.After)
	if err != nil {
		return Event{}, fmt.Errorf("audit after: %w", err)
	}
	region := e.Region
	if region == "" {
		region = who.Region
	}
	var ev Event
	if h, ok := tx.Memo(headMemo); ok {
		ev.Seq, ev.PrevHash = h.(head).seq, h.(head).hash
	} else {
		lock := ""
		if tx.Dialect == store.Postgres {
			lock = " FOR UPDATE" // the head row serialises writers across servers
		}
		if err := tx.QueryRow(ctx, "SELECT seq, hash FROM audit_head WHERE id = 1"+lock).Scan(&ev.Seq, &ev.PrevHash); err != nil {
			return Event{}, fmt.Errorf("audit head: %w", err)
		}
	}
	ev.Seq++
	ev.At = now.UTC().Truncate(time.Microsecond)
	ev.ActorID, ev.Actor, ev.UnitID, ev.Region = who.UserID, who.Name, who.UnitID, region
	ev.Action, ev.ObjectKind, ev.ObjectID = e.Action, e.ObjectKind, e.ObjectID
	ev.Before, ev.After = before, after
	ev.Hash = ev.ComputeHash()
	if _, err := tx.Exec(ctx, `INSERT INTO audit_events
		(seq, at, actor_id, actor, unit_id, region_code, action, object_kind, object_id, before_json, after_json, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		ev.Seq, ev.At, ev.ActorID, ev.Actor, ev.UnitID, ev.Region, ev.Action, ev.ObjectKind, ev.ObjectID,
		ev.Before, ev.After, ev.PrevHash, ev.Hash); err != nil {
		return Event{}, fmt.Errorf("audit insert: %w", err)
	}
	// The head moves once per transaction, after its last event.
	tx.SetMemo(headMemo, head{ev.Seq, ev.Hash})
	tx.BeforeCommit(headMemo, func() error {
		h, ok := tx.Memo(headMemo)
		if !ok {
			return nil // every event of the transaction was rolled back to its savepoint
		}
		if _, err := tx.Exec(ctx, "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", h.(head).seq, h.(head).hash); err != nil {
			return fmt.Errorf("audit head update: %w", err)
		}
		return nil
	})
	return ev, nil
}

const eventCols = "seq, at, actor_id, actor, unit_id, region_code, action, object_kind, object_id, before_json, after_json, prev_hash, hash"

type scanner interface{ Scan(...any) error }

func scanEvent(r scanner) (Event, error) {
	var e Event
	err := r.Scan(&e.Seq, &e.At, &e.ActorID, &e.Actor, &e.UnitID, &e.Region, &e.Action, &e.ObjectKind, &e.ObjectID,
		&e.Before, &e.After, &e.PrevHash, &e.Hash)
	e.At = e.At.UTC()
	return e, err
}

// Head returns the chain head: the latest sequence number and hash.
func Head(ctx context.Context, db *store.DB) (seq int64, hash string, err error) {
	err = db.QueryRow(ctx, "SELECT seq, hash FROM audit_head WHERE id = 1").Scan(&seq, &hash)
	return
}

// Broken describes the first place the chain does not hold.
type Broken struct {
	Seq    int64
	Reason string
}

func (b *Broken) Error() string {
	return fmt.Sprintf("审计链在事件 #%d 处断裂: %s", b.Seq, b.Reason)
}

// Verify walks the whole chain. It returns the number of events checked and,
// when the chain does not hold, a *Broken naming the first bad event.
func Verify(ctx context.Context, db *store.DB) (int64, error) {
	rows, err := db.Query(ctx, "SELECT "+eventCols+" FROM audit_events ORDER BY seq")
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var n, prevSeq int64
	prevHash := ""
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return n, err
		}
		switch {
		case e.Seq != prevSeq+1:
			return n, &Broken{Seq: prevSeq + 1, Reason: fmt.Sprintf("缺少事件 (下一条为 #%d)，事件被删除", e.Seq)}
		case e.PrevHash != prevHash:
			return n, &Broken{Seq: e.Seq, Reason: "前一事件哈希不符，事件被删除或调换顺序"}
		case e.ComputeHash() != e.Hash:
			return n, &Broken{Seq: e.Seq, Reason: "内容与哈希不符，事件被改动"}
		}
		prevSeq, prevHash = e.Seq, e.Hash
		n++
	}
	if err := rows.Err(); err != nil {
		return n, err
	}
	headSeq, headHash, err := Head(ctx, db)
	if err != nil {
		return n, err
	}
	switch {
	case headSeq > prevSeq:
		return n, &Broken{Seq: prevSeq + 1, Reason: fmt.Sprintf("链头记录到 #%d，实有事件只到 #%d，最新事件被删除", headSeq, prevSeq)}
	case headSeq < prevSeq:
		return n, &Broken{Seq: headSeq + 1, Reason: fmt.Sprintf("链头只记录到 #%d，其后的事件不在链上，链头被改动", headSeq)}
	case headHash != prevHash:
		return n, &Broken{Seq: prevSeq, Reason: "最新事件哈希与链头不符"}
	}
	return n, nil
}

// Filter narrows an event search.
type Filter struct {
	Action     string // prefix, e.g. "unit."
	ObjectKind string
	ObjectID   string
	Actor      string
	Since      time.Time
	Until      time.Time
	Offset     int
	Limit      int
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
	limit := f.Limit
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	rows, err := db.Query(ctx, "SELECT "+eventCols+" FROM audit_events WHERE "+where+" ORDER BY seq DESC LIMIT ? OFFSET ?",
		append(args, limit, max(f.Offset, 0))...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, e)
	}
	return out, total, rows.Err()
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
