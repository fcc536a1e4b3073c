package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"anwei/internal/store"
	"anwei/internal/store/storetest"
)

// TestExclusiveAcrossProcesses: two handles on one PostgreSQL database (as
// two servers are) migrate an empty database at the same time without
// failing, and of the two only one holds an Exclusive lock at a time — the
// other, not waiting, is told so; waiting, it runs once the first is done.
// On SQLite the function simply runs.
func TestExclusiveAcrossProcesses(t *testing.T) {
	ctx := context.Background()
	t.Run("sqlite", func(t *testing.T) {
		db := storetest.SQLite(t)
		ran, err := db.Exclusive(ctx, store.StartLock, false, func() error { return nil })
		if err != nil || !ran {
			t.Fatalf("Exclusive on SQLite: ran %v, %v", ran, err)
		}
	})
	t.Run("postgres", func(t *testing.T) {
		dsn := storetest.PostgresDSN(t) // an empty schema
		var dbs [2]*store.DB
		for i := range dbs {
			db, err := store.Open(ctx, dsn, "")
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			dbs[i] = db
		}
		var wg sync.WaitGroup
		errs := make([]error, len(dbs))
		applied := make([]int, len(dbs))
		for i, db := range dbs {
			wg.Add(1)
			go func() { defer wg.Done(); applied[i], errs[i] = db.Migrate(ctx) }()
		}
		wg.Wait()
		if errs[0] != nil || errs[1] != nil {
			t.Fatalf("migrating one empty database from two processes at once: %v; %v", errs[0], errs[1])
		}
		if applied[0] == 0 == (applied[1] == 0) {
			t.Fatalf("migrations applied: %v, want all by one and none by the other", applied)
		}

		held, release := make(chan struct{}), make(chan struct{})
		first := make(chan error, 1)
		go func() {
			_, err := dbs[0].Exclusive(ctx, store.StartLock, true, func() error { close(held); <-release; return nil })
			first <- err
		}()
		<-held
		ran, err := dbs[1].Exclusive(ctx, store.StartLock, false, func() error { return nil })
		if err != nil || ran {
			t.Fatalf("a second holder while the first holds it: ran %v, %v", ran, err)
		}
		waited := make(chan bool, 1)
		go func() {
			ran, _ := dbs[1].Exclusive(ctx, store.StartLock, true, func() error { return nil })
			waited <- ran
		}()
		select {
		case <-waited:
			t.Fatal("a waiting holder ran while the first held the lock")
		case <-time.After(100 * time.Millisecond):
		}
		close(release)
		if err := <-first; err != nil {
			t.Fatal(err)
		}
		if !<-waited {
			t.Fatal("the waiting holder did not run after the first let go")
		}
		ran, err = dbs[1].Exclusive(ctx, store.StartLock, false, func() error { return nil })
		if err != nil || !ran {
			t.Fatalf("the lock after both let go: ran %v, %v", ran, err)
		}
	})
}
