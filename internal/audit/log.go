package audit

import (
	"context"

	"anwei/internal/org/scope"
	"anwei/internal/store"
)

// Log is the audit chain as the web reads it: listings within a scope, one
// event, the head, and whether the database answers at all. It is how layers
// above the mechanisms reach the chain without the store.
type Log struct{ db *store.DB }

// NewLog returns the log of db.
func NewLog(db *store.DB) *Log { return &Log{db: db} }

// List is List on the log's database.
func (l *Log) List(ctx context.Context, sc scope.Scope, f Filter) ([]Event, int, error) {
	return List(ctx, l.db, sc, f)
}

// Get is Get on the log's database.
func (l *Log) Get(ctx context.Context, sc scope.Scope, seq int64) (Event, error) {
	return Get(ctx, l.db, sc, seq)
}

// Head is Head on the log's database.
func (l *Log) Head(ctx context.Context) (int64, string, error) { return Head(ctx, l.db) }

// Ping reports whether the database answers (the health check).
func (l *Log) Ping(ctx context.Context) error {
	var one int
	return l.db.QueryRow(ctx, "SELECT 1").Scan(&one)
}
