package store

import (
	"context"
	"database/sql"
	"time"
)

// Checkpoints (SQLite). The writer does not checkpoint the WAL itself
// (wal_autocheckpoint 0): copying pages back into the database and syncing
// both files took a commit of every thousandth page tens of milliseconds,
// during which every write of every user waited. A connection of its own
// checkpoints every checkpointEvery instead, PASSIVE — beside the writer
// and the readers, never blocking them — so the writer only appends. Should
// the WAL still grow past walLimit frames (readers holding old snapshots
// for long), a RESTART checkpoint waits for them and lets the WAL start
// over (journal_size_limit then cuts the file back). Close checkpoints
// everything and truncates the WAL.

const (
	checkpointEvery = time.Second
	walLimit        = 65536 // frames: 256 MiB of 4 KiB pages
)

func (db *DB) runCheckpoints(ck *sql.DB) {
	defer close(db.checkpointed)
	t := time.NewTicker(checkpointEvery)
	defer t.Stop()
	for {
		select {
		case <-db.stop:
			return
		case <-t.C:
		}
		var busy, frames, done int
		err := ck.QueryRowContext(context.Background(), "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &frames, &done)
		if err == nil && frames > walLimit {
			_ = ck.QueryRowContext(context.Background(), "PRAGMA wal_checkpoint(RESTART)").Scan(&busy, &frames, &done)
		}
	}
}

// checkpointAll copies the whole WAL into the database and truncates it.
func (db *DB) checkpointAll() {
	var busy, frames, done int
	_ = db.w.QueryRowContext(context.Background(), "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &frames, &done)
}
