package store

// CachedStatements is how many prepared statements SQLite's readers and
// writer keep (0 on PostgreSQL).
func CachedStatements(db *DB) int {
	e, ok := db.eng.(*sqliteEngine)
	if !ok {
		return 0
	}
	n := 0
	for _, c := range []*stmtCache{e.rstmts, e.wstmts} {
		c.mu.Lock()
		n += len(c.stmts)
		c.mu.Unlock()
	}
	return n
}
