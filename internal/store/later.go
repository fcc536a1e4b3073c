package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// Rows that nobody reads back until later — a hazard's history line, a
// message into a unit's inbox — need not cost a round trip each: Tx.Add
// keeps them, and the transaction inserts them several to a statement
// just before it commits (under group commit once for the whole group),
// or earlier, when a statement of the transaction names their table: what
// the transaction reads or changes there sees them, in the order added.
//
// Only rows that cannot fail by what a user gave belong here: a row that
// breaks a constraint fails the statement that carries it, and with it
// the transaction — under group commit every caller of the group.

// Rows is the shape of the rows a package adds to one of its tables.
type Rows struct {
	Table string // the table; a statement naming it writes the rows first
	Cols  string // its columns, comma-separated
	Tail  string // what follows the VALUES (ON CONFLICT …), or ""

	idOnce sync.Once
	idRows *Rows // the same with the id first (AddID)
}

// withID is r with the id column first.
func (r *Rows) withID() *Rows {
	r.idOnce.Do(func() { r.idRows = &Rows{Table: r.Table, Cols: "id, " + r.Cols, Tail: r.Tail} })
	return r.idRows
}

// AddID adds a row of r whose id the caller needs at once (a hazard's:
// its history, photos and messages name it) and returns the id. On
// PostgreSQL the id comes from the server's own block of the table's
// sequence (ids.go) and the row is kept as Add keeps it: rows naming it
// may then reach the table first, so references to it must be checked at
// the commit (DEFERRABLE INITIALLY DEFERRED). On SQLite, with one writer
// and no round trips to save, the row is inserted at once.
func (t *Tx) AddID(ctx context.Context, r *Rows, args ...any) (int64, error) {
	return t.eng.addID(ctx, t, r, args)
}

// insert is r's single-row INSERT.
func (r *Rows) insert() string {
	return "INSERT INTO " + r.Table + " (" + r.Cols + ") VALUES " + Tuples(r.cols(), 1) + " " + r.Tail
}

// cols is how many columns r has.
func (r *Rows) cols() int { return strings.Count(r.Cols, ",") + 1 }

// Tuples is the placeholders of n rows of cols values each, for a
// multi-row INSERT: "(?, ?), (?, ?)".
func Tuples(cols, n int) string {
	return strings.TrimSuffix(strings.Repeat("(?"+strings.Repeat(", ?", cols-1)+"), ", n), ", ")
}

// laterMax is the most rows one INSERT carries. Statements carry a power
// of two of rows (13 = 8 + 4 + 1), so a table has a few shapes of
// statement, each prepared once per connection.
const laterMax = 32

// later is what a transaction holds of one table's rows.
type later struct {
	rows *Rows
	args []any // len(args) = rows × columns
}

// laterKey is where the memo keeps r's rows: one table may have rows of
// two shapes (with their ids and without).
func laterKey(r *Rows) string { return "store.rows\x00" + r.Table + "\x00" + r.Cols }

// Add keeps one row of r (args in the order of r.Cols), inserted before
// the commit or before the next statement of t that names r.Table. It
// counts as a write (group.go). It panics when args do not match r.Cols:
// the mistake is the programmer's.
func (t *Tx) Add(r *Rows, args ...any) {
	if n := r.cols(); len(args) != n {
		panic(fmt.Sprintf("store: Add to %s: %d values for %d columns", r.Table, len(args), n))
	}
	t.wrote = true
	t.writes(r.Table)
	if t.immediate {
		if _, err := t.exec(t.ctx, r.insert(), args); err != nil && t.laterErr == nil {
			t.laterErr = &keptError{r.Table, err}
		}
		return
	}
	var l later
	if m, ok := t.Memo(laterKey(r)); ok {
		l = m.(later)
	}
	// Appending in place is safe under group commit: a function's memo is
	// put back only when it failed without writing, so never after an Add.
	l.rows, l.args = r, append(l.args, args...)
	t.SetMemo(laterKey(r), l)
	if !slices.Contains(t.later, r) {
		t.later = append(t.later, r)
	}
}

// keptError is the failure of an insert of kept rows: the transaction
// fails with it, whatever the function that met it returned (on
// PostgreSQL that function saw only "current transaction is aborted").
// Under group commit the group then runs again with no rows kept
// (Tx.immediate), so that the function whose row fails fails alone.
type keptError struct {
	table string
	err   error
}

func (e *keptError) Error() string { return e.table + ": " + e.err.Error() }
func (e *keptError) Unwrap() error { return e.err }

// flushFor writes the kept rows of every table q names (by a plain
// substring test: a false match only writes them sooner). A failure is
// kept and fails the commit too, since QueryRow cannot report it.
func (t *Tx) flushFor(ctx context.Context, q string) error {
	for _, r := range t.later {
		if strings.Contains(q, r.Table) {
			if err := t.flush(ctx, r); err != nil {
				return err
			}
		}
	}
	return nil
}

// flushAll writes every kept row before the commit, shape by shape in
// the order first added.
func (t *Tx) flushAll(ctx context.Context) error {
	for _, r := range t.later {
		if err := t.flush(ctx, r); err != nil {
			return err
		}
	}
	return nil
}

func (t *Tx) flush(ctx context.Context, r *Rows) error {
	if t.laterErr != nil {
		return t.laterErr
	}
	m, ok := t.Memo(laterKey(r))
	if !ok {
		return nil
	}
	delete(t.memo, laterKey(r))
	t.wrote = true // what a failing function flushed must not come back with its memo
	l := m.(later)
	cols := r.cols()
	for args := l.args; len(args) > 0; {
		n := laterMax
		for n*cols > len(args) {
			n /= 2
		}
		q := "INSERT INTO " + r.Table + " (" + r.Cols + ") VALUES " + Tuples(cols, n) + " " + r.Tail
		if _, err := t.exec(ctx, q, args[:n*cols]); err != nil {
			t.laterErr = &keptError{r.Table, err}
			return t.laterErr
		}
		args = args[n*cols:]
	}
	return nil
}
