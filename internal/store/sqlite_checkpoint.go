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

// checkpointer is the checkpoints' goroutine and its connection.
type checkpointer struct {
	ck, w   *sql.DB
	quit    chan struct{}
	stopped chan struct{}
}

func startCheckpoints(ck, w *sql.DB) *checkpointer {
	c := &checkpointer{ck: ck, w: w, quit: make(chan struct{}), stopped: make(chan struct{})}
	go c.run()
	return c
}

func (c *checkpointer) run() {
	defer close(c.stopped)
	t := time.NewTicker(checkpointEvery)
	defer t.Stop()
	for {
		select {
		case <-c.quit:
			return
		case <-t.C:
		}
		var busy, frames, done int
		err := c.ck.QueryRowContext(context.Background(), "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &frames, &done)
		if err == nil && frames > walLimit {
			_ = c.ck.QueryRowContext(context.Background(), "PRAGMA wal_checkpoint(RESTART)").Scan(&busy, &frames, &done)
		}
	}
}

// stop ends the checkpoints, then copies the whole WAL into the database
// and truncates it (on the writer, the last connection to close).
func (c *checkpointer) stop() {
	close(c.quit)
	<-c.stopped
	c.ck.Close()
	var busy, frames, done int
	_ = c.w.QueryRowContext(context.Background(), "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &frames, &done)
}
