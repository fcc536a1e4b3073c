package store

// Queued is how many TxGroup callers wait in the group-commit queue, for
// tests that queue a caller behind running groups.
func Queued(db *DB) int {
	switch e := db.eng.(type) {
	case *sqliteEngine:
		return len(e.groups.queue)
	case *postgresEngine:
		return len(e.groups.queue)
	}
	return 0
}

// GroupLoops is how many groups db commits at once.
func GroupLoops(db *DB) int {
	if e, ok := db.eng.(*postgresEngine); ok {
		return e.groups.loops
	}
	return 1
}
