package auth

import (
	"slices"
	"sync"
	"time"

	"anwei/internal/org"
	"anwei/internal/store"
)

// Every request reads its session and user (Authenticate): on PostgreSQL
// a round trip per request, the largest part of a small write's cost
// after the write itself (issue 19). A server therefore remembers a
// session it read for Policy.Remember (1 s by default) and trusts it that
// long, unless this server meanwhile committed a write to users or units
// or deleted sessions (a logout, a disabled user, a changed role: a
// store.Watch): such changes reach this server's next request at once,
// and another server's within Policy.Remember. The touch of last_seen_at
// stays on time: an entry is not used once a touch is due.

// remembered is one session as read, with the watch's count before.
type remembered struct {
	actor    *org.Actor
	lastSeen time.Time
	expires  time.Time
	readAt   time.Time
	count    uint64
}

// memory is a server's remembered sessions by token hash.
type memory struct {
	watch *store.Watch
	mu    sync.Mutex
	m     map[string]remembered
}

// memoryMax bounds the entries kept: past it, stale entries are dropped
// and, if none are, all of them.
const memoryMax = 10000

func newMemory(db *store.DB) *memory {
	return &memory{watch: db.Watch("users", "units", "DELETE FROM sessions"), m: map[string]remembered{}}
}

// get returns hash's actor if remembered within p.Remember, with nothing
// watched changed since, the session neither expired nor idle, and no
// touch due. Actors are copied in and out (their slices too): a handler
// may not change what the next request sees.
func (m *memory) get(hash string, now time.Time, p Policy) (*org.Actor, bool) {
	if p.Remember <= 0 {
		return nil, false
	}
	m.mu.Lock()
	r, ok := m.m[hash]
	m.mu.Unlock()
	if !ok || r.count != m.watch.Count() || now.Sub(r.readAt) >= p.Remember || now.Before(r.readAt) ||
		now.After(r.expires) || now.Sub(r.lastSeen) > min(p.TouchEvery, p.IdleTimeout) {
		return nil, false
	}
	return copyActor(r.actor), true
}

// put remembers a session read with the watch at count.
func (m *memory) put(hash string, r remembered, p Policy) {
	if p.Remember <= 0 {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.m) >= memoryMax {
		for k, old := range m.m {
			if r.readAt.Sub(old.readAt) >= p.Remember {
				delete(m.m, k)
			}
		}
		if len(m.m) >= memoryMax {
			clear(m.m)
		}
	}
	r.actor = copyActor(r.actor)
	m.m[hash] = r
}

func copyActor(a *org.Actor) *org.Actor {
	c := *a
	c.Roles, c.Perms = slices.Clone(a.Roles), slices.Clone(a.Perms)
	c.Scope.Regions, c.Scope.Units = slices.Clone(a.Scope.Regions), slices.Clone(a.Scope.Units)
	return &c
}

// forget drops hash's entry (this server's logout).
func (m *memory) forget(hash string) {
	m.mu.Lock()
	delete(m.m, hash)
	m.mu.Unlock()
}
