// Package inbox is every unit's list of things it is told: a duty that
// became overdue, a reminder (提醒函) addressed to it, a hazard escalated to
// its office. Mechanisms write to it inside their own transaction; a unit
// reads only its own inbox.
package inbox

import (
	"context"
	"strings"
	"time"

	"anwei/internal/org"
	"anwei/internal/paging"
	"anwei/internal/store"
)

// Message is one inbox entry.
type Message struct {
	ID        int64      `json:"id"`
	UnitID    int64      `json:"unit_id"`
	Kind      string     `json:"kind"` // plan.overdue, plan.notice, …
	Title     string     `json:"title"`
	Link      string     `json:"link"`
	CreatedAt time.Time  `json:"created_at"`
	ReadAt    *time.Time `json:"read_at,omitempty"`
	// Todo: the message asks its unit to act (inbox.Ask); it is in the
	// 待办 until the step is taken (DoneAt, set by Settle). Due is the
	// date it is due by, '' when no rule sets one.
	Todo   bool       `json:"todo"`
	Due    string     `json:"due,omitempty"`
	DoneAt *time.Time `json:"done_at,omitempty"`
}

// Send puts a message in a unit's inbox inside tx. dedup identifies the
// occasion: a second Send with the same unit and dedup is ignored, so a
// repeated sweep tells nobody twice.
func Send(ctx context.Context, tx *store.Tx, now time.Time, unitID int64, kind, title, link, dedup string) error {
	return send(ctx, tx, now, unitID, nil, kind, title, link, dedup, false, "")
}

// SendToUser is Send for one person of the unit only: an expert of a
// 专家库 is told by name, and the pool's other experts do not read it.
func SendToUser(ctx context.Context, tx *store.Tx, now time.Time, unitID, userID int64, kind, title, link, dedup string) error {
	return send(ctx, tx, now, unitID, userID, kind, title, link, dedup, false, "")
}

// messages is the inbox's rows: kept by the transaction and written
// several at a time before it commits (store.Rows), or before its next
// statement on the inbox. A message already there (same unit and dedup)
// is passed over.
var messages = &store.Rows{Table: "inbox", Cols: "unit_id, user_id, kind, title, link, dedup, created_at, todo, due",
	Tail: "ON CONFLICT (unit_id, dedup) DO NOTHING"}

func send(_ context.Context, tx *store.Tx, now time.Time, unitID int64, userID any, kind, title, link, dedup string, todo bool, due string) error {
	tx.Add(messages, unitID, userID, kind, title, link, dedup, now, todo, due)
	return nil
}

// SendTo puts a message into the inbox of every unit the query units
// selects (one column, unit_id; args are its arguments), in one statement
// inside tx, and reports how many it reached. A unit already told on the
// same occasion is passed over (Withdraw first to tell it again).
func SendTo(ctx context.Context, tx *store.Tx, now time.Time, kind, title, link, dedup, units string, args ...any) (int64, error) {
	return sendTo(ctx, tx, now, kind, title, link, dedup, false, "", units, args...)
}

func sendTo(ctx context.Context, tx *store.Tx, now time.Time, kind, title, link, dedup string, todo bool, due, units string, args ...any) (int64, error) {
	// "WHERE true" keeps SQLite from reading ON CONFLICT as a join's.
	res, err := tx.Exec(ctx, `INSERT INTO inbox (unit_id, kind, title, link, dedup, created_at, todo, due)
		SELECT u.unit_id, ?, ?, ?, ?, ?, ?, ? FROM (`+units+`) u WHERE true
		ON CONFLICT (unit_id, dedup) DO NOTHING`, append([]any{kind, title, link, dedup, now, todo, due}, args...)...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// Withdraw takes the messages of occasion dedup out of every inbox inside
// tx, so that a step asked for again (a rectification sent back, a hazard
// reopened) reaches its units new and unread, at the top.
func Withdraw(ctx context.Context, tx *store.Tx, dedup string) error {
	_, err := tx.Exec(ctx, "DELETE FROM inbox WHERE dedup = ?", dedup)
	return err
}

// Settle marks the messages of occasion dedup as dealt with in every inbox
// they reached, inside tx: read, and titled title (a report "待审核" becomes
// "已通过" once decided; a hazard's "待判定" in each supervising department
// once one of them judged it), so nobody's inbox still asks for what was
// done; a to-do leaves the 待办.
func Settle(ctx context.Context, tx *store.Tx, now time.Time, dedup, title string) error {
	_, err := tx.Exec(ctx, "UPDATE inbox SET title = ?, read_at = COALESCE(read_at, ?), done_at = COALESCE(done_at, ?) WHERE dedup = ?",
		title, now, now, dedup)
	return err
}

// Reopen puts the done to-dos of occasion dedup back in their 待办, unread
// (a payment reported that did not reach the account).
func Reopen(ctx context.Context, tx *store.Tx, dedup string) error {
	_, err := tx.Exec(ctx, "UPDATE inbox SET done_at = NULL, read_at = NULL WHERE dedup = ? AND todo", dedup)
	return err
}

// Done marks the messages of occasion dedup as dealt with, as Settle, but
// keeps their titles (a duty done late: its "任务已逾期" still says which).
func Done(ctx context.Context, tx *store.Tx, now time.Time, dedup string) error {
	_, err := tx.Exec(ctx, "UPDATE inbox SET read_at = COALESCE(read_at, ?), done_at = COALESCE(done_at, ?) WHERE dedup = ?", now, now, dedup)
	return err
}

// DoneAll is Done for every occasion that begins with prefix (a hazard's
// overdue notices, one per deadline: "hazard.overdue:12:"); prefix must end
// in ':'. It matches with LIKE, not a range of the index: a range holds
// only under byte order, and a PostgreSQL database created with an ICU or
// zh_CN collation sorts ':' and ';' otherwise (second review).
func DoneAll(ctx context.Context, tx *store.Tx, now time.Time, prefix string) error {
	if !strings.HasSuffix(prefix, ":") {
		panic("inbox.DoneAll: prefix must end in ':'")
	}
	like := strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(prefix) + "%"
	_, err := tx.Exec(ctx, `UPDATE inbox SET read_at = COALESCE(read_at, ?), done_at = COALESCE(done_at, ?) WHERE dedup LIKE ? ESCAPE '\' AND done_at IS NULL`,
		now, now, like)
	return err
}

// Service reads inboxes.
type Service struct {
	db        *store.DB
	resolvers map[string]Resolver
}

// NewService returns the inbox service.
func NewService(db *store.DB) *Service { return &Service{db: db, resolvers: map[string]Resolver{}} }

// mine is the condition on inbox rows that a reads: its own unit's, for
// the whole unit or for a by name (an expert of a pool, SendToUser).
const mine = "unit_id = ? AND (user_id IS NULL OR user_id = ?)"

// ListInbox lists the actor's own unit's messages (those for the whole
// unit and those for the actor by name), newest first, and the number
// unread. Nobody reads another unit's inbox, nor another person's.
func (s *Service) ListInbox(ctx context.Context, a *org.Actor, pg paging.Page) ([]Message, int, int, error) {
	if a.Unit.ID == 0 {
		return nil, 0, 0, nil
	}
	var total, unread int
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN read_at IS NULL THEN 1 ELSE 0 END), 0) FROM inbox WHERE `+mine,
		a.Unit.ID, a.UserID).Scan(&total, &unread); err != nil {
		return nil, 0, 0, err
	}
	pg = pg.Clamp()
	rows, err := s.db.Query(ctx, `SELECT `+messageCols+` FROM inbox WHERE `+mine+`
		ORDER BY id DESC LIMIT ? OFFSET ?`, a.Unit.ID, a.UserID, pg.Limit, pg.Offset)
	out, err := store.Collect(rows, err, scanMessage)
	return out, total, unread, err
}

// messageCols are the columns scanMessage reads.
const messageCols = "id, unit_id, kind, title, link, created_at, read_at, todo, due, done_at"

func scanMessage(r store.Scanner) (Message, error) {
	var m Message
	err := r.Scan(&m.ID, &m.UnitID, &m.Kind, &m.Title, &m.Link, &m.CreatedAt, &m.ReadAt, &m.Todo, &m.Due, &m.DoneAt)
	return m, err
}

// MarkRead marks the actor's messages read (all of them when id is 0): its
// unit's, and its own by name, never a colleague's.
// Reading is not a state change of the record, so it is not audited.
func (s *Service) MarkRead(ctx context.Context, a *org.Actor, now time.Time, id int64) error {
	return s.db.Tx(ctx, func(tx *store.Tx) error {
		q, args := "UPDATE inbox SET read_at = ? WHERE "+mine+" AND read_at IS NULL", []any{now, a.Unit.ID, a.UserID}
		if id != 0 {
			q += " AND id = ?"
			args = append(args, id)
		}
		_, err := tx.Exec(ctx, q, args...)
		return err
	})
}
