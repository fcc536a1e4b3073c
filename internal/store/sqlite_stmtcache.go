package store

import (
	"context"
	"database/sql"
	"strings"
	"sync"
)

// stmtCache keeps prepared statements by their text, so SQLite does not
// parse the same SQL on every call (parsing was a third of the time of a
// small write transaction). PostgreSQL needs none: pgx caches its own.
// Only short texts with few parameters are kept and the cache stops growing
// at a bound, so SQL built per call (IN lists, multi-row inserts) never
// fills it. The parameter bound matters most: an IN list as long as a
// growing result (the ledger's hazards, each with its history) is a new
// text at each length, and a prepared statement's memory, held by SQLite on
// every connection that ran it and outside the Go heap, grows with its
// parameters; kept up to the text bound, they grew the soak's resident
// memory by 150 MB in ten minutes (issue 18.6).
type stmtCache struct {
	mu      sync.Mutex
	pool    *sql.DB
	stmts   map[string]*sql.Stmt
	later   bool            // the writer: its one connection is busy in a transaction when a text is first seen
	pending map[string]bool // texts to prepare once the transaction ends
}

const (
	stmtCacheMax  = 1000
	stmtCacheText = 3000
	// stmtCacheParams keeps an IN list of a page (paging.Default, 50 ids)
	// with its filters, not one as long as a listing.
	stmtCacheParams = 64
)

func newStmtCache(pool *sql.DB, later bool) *stmtCache {
	return &stmtCache{pool: pool, stmts: map[string]*sql.Stmt{}, later: later, pending: map[string]bool{}}
}

// get returns the prepared statement for q, or nil when q is not kept.
// Preparing needs a connection, so it never happens under the mutex: a
// goroutine holding a connection may be waiting for the mutex.
func (c *stmtCache) get(ctx context.Context, q string) *sql.Stmt {
	if len(q) > stmtCacheText || strings.Count(q, "?") > stmtCacheParams {
		return nil
	}
	c.mu.Lock()
	st, ok := c.stmts[q]
	full := len(c.stmts)+len(c.pending) >= stmtCacheMax
	if !ok && !full && c.later {
		c.pending[q] = true
	}
	c.mu.Unlock()
	if ok || full || c.later {
		return st
	}
	st, err := c.pool.PrepareContext(ctx, q)
	if err != nil {
		return nil // the caller runs q unprepared and reports its error
	}
	return c.keep(q, st)
}

// keep stores st for q unless another goroutine stored one first.
func (c *stmtCache) keep(q string, st *sql.Stmt) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.stmts[q]; ok {
		st.Close()
		return old
	}
	c.stmts[q] = st
	return st
}

// prepare prepares the texts seen during a writer transaction, after it
// ended and freed the connection.
func (c *stmtCache) prepare(ctx context.Context) {
	c.mu.Lock()
	var qs []string
	for q := range c.pending {
		qs = append(qs, q)
		delete(c.pending, q)
	}
	c.mu.Unlock()
	for _, q := range qs {
		if st, err := c.pool.PrepareContext(ctx, q); err == nil {
			c.keep(q, st)
		}
	}
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for q, st := range c.stmts {
		st.Close()
		delete(c.stmts, q)
	}
}
