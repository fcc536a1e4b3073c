package store

// Queued is how many TxGroup callers wait in SQLite's group-commit queue
// (0 on PostgreSQL), for tests that queue a caller behind a running group.
func Queued(db *DB) int {
	if e, ok := db.eng.(*sqliteEngine); ok {
		return len(e.groups.queue)
	}
	return 0
}
