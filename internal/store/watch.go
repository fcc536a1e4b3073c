package store

import (
	"strings"
	"sync"
	"sync/atomic"
)

// A Watch counts the committed transactions of this process that wrote
// with a statement containing one of its needles (a table's name, or a
// statement's start such as "DELETE FROM sessions"). A cache of what
// those statements change compares the count it read before reading the
// database with the count now, and trusts its entry only when they are
// equal (auth's sessions). A false match costs the cache an entry, never
// correctness. Another server's writes are not seen: a cache bounds
// their delay by its entries' lifetime.
type Watch struct {
	needles []string
	n       atomic.Uint64
}

// Count is how many watched transactions have committed so far.
func (w *Watch) Count() uint64 { return w.n.Load() }

// watches are a database's Watches.
type watches struct {
	mu   sync.Mutex
	list atomic.Pointer[[]*Watch]
}

// Watch returns a new Watch of db's writes containing any of needles.
func (db *DB) Watch(needles ...string) *Watch {
	w := &Watch{needles: needles}
	db.watches.mu.Lock()
	defer db.watches.mu.Unlock()
	var list []*Watch
	if p := db.watches.list.Load(); p != nil {
		list = append(list, *p...)
	}
	list = append(list, w)
	db.watches.list.Store(&list)
	return w
}

// writes notes a write statement of t for the watches it concerns.
func (t *Tx) writes(q string) {
	p := t.db.watches.list.Load()
	if p == nil {
		return
	}
	for _, w := range *p {
		for _, n := range w.needles {
			if strings.Contains(q, n) && !containsWatch(t.watched, w) {
				t.watched = append(t.watched, w)
			}
		}
	}
}

func containsWatch(ws []*Watch, w *Watch) bool {
	for _, x := range ws {
		if x == w {
			return true
		}
	}
	return false
}

// committed counts t's commit in the watches it concerns.
func (t *Tx) committed() {
	for _, w := range t.watched {
		w.n.Add(1)
	}
}
