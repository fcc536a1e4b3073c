package inbox

import (
	"context"
	"fmt"
	"strings"
	"time"

	"anwei/internal/org"
	"anwei/internal/paging"
	"anwei/internal/store"
)

// The 待办 (issue 16.1) is the messages that ask their unit to act and are
// not done yet. A hand-over asks (Ask, AskTo) instead of telling (Send,
// SendTo), with the date the step is due by; the step that deals with it
// settles the occasion (Settle), and the item leaves every 待办 it was in.
// What an item shows is its object's live state, read when the 待办 is
// read from the mechanism that owns the object (a Resolver), never the
// title written at the hand-over, so no 待办 shows a stale status.

// Ask puts a to-do in a unit's 待办 (and inbox) inside tx, due by due
// (YYYY-MM-DD, ” when no rule sets a date); as Send otherwise.
func Ask(ctx context.Context, tx *store.Tx, now time.Time, unitID int64, kind, title, link, dedup, due string) error {
	return send(ctx, tx, now, unitID, nil, kind, title, link, dedup, true, due)
}

// AskUser is Ask for one person of the unit only (an expert of a pool,
// asked by name).
func AskUser(ctx context.Context, tx *store.Tx, now time.Time, unitID, userID int64, kind, title, link, dedup, due string) error {
	return send(ctx, tx, now, unitID, userID, kind, title, link, dedup, true, due)
}

// Tell is Ask when ask, else Send: a message that asks one of the units it
// goes to and tells the others.
func Tell(ctx context.Context, tx *store.Tx, now time.Time, ask bool, unitID int64, kind, title, link, dedup, due string) error {
	return send(ctx, tx, now, unitID, nil, kind, title, link, dedup, ask, due)
}

// AskTo puts a to-do in the 待办 of every unit the query units selects, in
// one statement inside tx; as SendTo otherwise.
func AskTo(ctx context.Context, tx *store.Tx, now time.Time, kind, title, link, dedup, due, units string, args ...any) (int64, error) {
	return sendTo(ctx, tx, now, kind, title, link, dedup, true, due, units, args...)
}

// Redue moves the due date of occasion dedup's open to-dos inside tx (a
// hazard listed for supervision gets a new 整改期限).
func Redue(ctx context.Context, tx *store.Tx, dedup, due string) error {
	_, err := tx.Exec(ctx, "UPDATE inbox SET due = ? WHERE dedup = ? AND todo AND done_at IS NULL", due, dedup)
	return err
}

// Todo is one item of a 待办: the message that asked, its object's live
// state and how many days it is past its due date.
type Todo struct {
	Message
	State   string `json:"state"`        // the object's state now (隐患 整改中，逾期 3 天)
	Overdue int    `json:"overdue_days"` // days past Due (0: not due yet or no date)
}

// A Resolver reads the live state of the objects of a mechanism's to-dos,
// given their occasions (the dedup keys it sent them under) and today's
// date, in one query, and returns it by occasion. An occasion it does not
// know is left out.
type Resolver func(ctx context.Context, today string, occasions []string) (map[string]string, error)

// Resolve declares the resolver of the to-dos whose kind is mechanism's
// (mechanism "hazard" resolves kinds "hazard.*"). Each mechanism declares
// its own once, in its notify.go, through the app's wiring.
func (s *Service) Resolve(mechanism string, r Resolver) {
	if _, ok := s.resolvers[mechanism]; ok {
		panic("inbox: resolver declared twice: " + mechanism)
	}
	s.resolvers[mechanism] = r
}

// mechanismOf is the mechanism a message kind belongs to: hazard.review → hazard.
func mechanismOf(kind string) string {
	if i := strings.IndexByte(kind, '.'); i >= 0 {
		return kind[:i]
	}
	return kind
}

// ListTodo lists the actor's own unit's open to-dos, the overdue first
// (the longest overdue on top), then by due date, those without a date
// last, and the number of them. today is YYYY-MM-DD in Asia/Shanghai.
func (s *Service) ListTodo(ctx context.Context, a *org.Actor, today string, pg paging.Page) ([]Todo, int, error) {
	if a.Unit.ID == 0 {
		return nil, 0, nil
	}
	var total int
	if err := s.db.QueryRow(ctx, "SELECT COUNT(*) FROM inbox WHERE "+mine+" AND todo AND done_at IS NULL", a.Unit.ID, a.UserID).Scan(&total); err != nil {
		return nil, 0, err
	}
	if total == 0 {
		return nil, 0, nil
	}
	pg = pg.Clamp()
	rows, err := s.db.Query(ctx, `SELECT `+messageCols+`, dedup FROM inbox WHERE `+mine+` AND todo AND done_at IS NULL
		ORDER BY CASE WHEN due = '' THEN 1 ELSE 0 END, due, id LIMIT ? OFFSET ?`, a.Unit.ID, a.UserID, pg.Limit, pg.Offset)
	var dedups []string
	out, err := store.Collect(rows, err, func(r store.Scanner) (Todo, error) {
		var t Todo
		var d string
		m := &t.Message
		err := r.Scan(&m.ID, &m.UnitID, &m.Kind, &m.Title, &m.Link, &m.CreatedAt, &m.ReadAt, &m.Todo, &m.Due, &m.DoneAt, &d)
		dedups = append(dedups, d)
		return t, err
	})
	if err != nil {
		return nil, 0, err
	}
	byMech := map[string][]string{}
	for i, t := range out {
		m := mechanismOf(t.Kind)
		byMech[m] = append(byMech[m], dedups[i])
		out[i].Overdue = daysPast(today, t.Due)
	}
	for m, occ := range byMech {
		r := s.resolvers[m]
		if r == nil {
			continue
		}
		states, err := r(ctx, today, occ)
		if err != nil {
			return nil, 0, fmt.Errorf("待办 %s: %w", m, err)
		}
		for i := range out {
			if st, ok := states[dedups[i]]; ok {
				out[i].State = st
			}
		}
	}
	return out, total, nil
}

// daysPast is how many days today is after due (0 when not, or no date).
func daysPast(today, due string) int {
	d, err1 := time.Parse(time.DateOnly, due)
	t, err2 := time.Parse(time.DateOnly, today)
	if err1 != nil || err2 != nil || !t.After(d) {
		return 0
	}
	return int(t.Sub(d).Hours() / 24)
}

// DaysPast is how many days today is after date (YYYY-MM-DD; 0 when not,
// or when date is empty): for the resolvers' 逾期 N 天.
func DaysPast(today, date string) int { return daysPast(today, date) }

// OccasionIDs reads the record ids out of occasions of the form
// prefix<id>[suffix] (hazard:12:judge with prefix "hazard:"), keeping which
// occasion names which id, for a resolver's one query.
func OccasionIDs(prefix string, occasions []string) ([]int64, map[int64][]string) {
	var ids []int64
	by := map[int64][]string{}
	for _, o := range occasions {
		rest, ok := strings.CutPrefix(o, prefix)
		if !ok {
			continue
		}
		var id int64
		if _, err := fmt.Sscanf(rest, "%d", &id); err != nil {
			continue
		}
		if by[id] == nil {
			ids = append(ids, id)
		}
		by[id] = append(by[id], o)
	}
	return ids, by
}
