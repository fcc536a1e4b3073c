package numbering_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"anwei/internal/numbering"
	"anwei/internal/store"
	"anwei/internal/store/storetest"
)

// TestGapsAllowedDoNotSerialise (PostgreSQL, several servers): a series
// allowed gaps never makes a creator wait for another's commit — here one
// server's transaction holds its number open while the other server takes
// numbers — and numbers stay unique across servers and rise within each
// creator; a quiet deployment, taking a number now and then, has no gaps.
func TestGapsAllowedDoNotSerialise(t *testing.T) {
	ctx := context.Background()
	dsn := storetest.PostgresDSN(t)
	a, b := storetest.PostgresAt(t, dsn), storetest.PostgresAt(t, dsn)
	numbering.SetBlockWindow(t, 100*time.Millisecond)
	take := func(db *store.DB, ctx context.Context) (int, error) {
		var n int
		err := db.Tx(ctx, func(tx *store.Tx) (err error) {
			n, err = numbering.NextNumber(ctx, tx, records, "370105", 2026)
			return err
		})
		return n, err
	}

	// Quiet: one at a time, more than the block window apart: 1, 2, 3
	// whichever server takes them.
	var quiet []int
	for i, db := range []*store.DB{a, b, a} {
		if i > 0 {
			time.Sleep(150 * time.Millisecond)
		}
		n, err := take(db, ctx)
		if err != nil {
			t.Fatal(err)
		}
		quiet = append(quiet, n)
	}
	if !slices.Equal(quiet, []int{1, 2, 3}) {
		t.Errorf("taken one at a time: %v, want 1 2 3", quiet)
	}

	// A creator on a holds its transaction open after taking a number; b
	// takes one meanwhile, within a second.
	held, release := make(chan int), make(chan struct{})
	go func() {
		_ = a.Tx(ctx, func(tx *store.Tx) error {
			n, err := numbering.NextNumber(ctx, tx, records, "370105", 2026)
			if err != nil {
				return err
			}
			held <- n
			<-release
			return nil
		})
		close(held)
	}()
	<-held
	quick, cancel := context.WithTimeout(ctx, time.Second)
	if _, err := take(b, quick); err != nil {
		t.Errorf("a number while another server's creator is open: %v (it waited for that commit)", err)
	}
	cancel()
	close(release)
	<-held

	// Busy: both servers, four creators each.
	var mu sync.Mutex
	seen := map[int]bool{}
	var wg sync.WaitGroup
	for _, db := range []*store.DB{a, b} {
		for range 4 {
			wg.Go(func() {
				last := 0
				for range 50 {
					n, err := take(db, ctx)
					if err != nil {
						t.Error(err)
						return
					}
					if n <= last {
						t.Errorf("numbers of one creator fell: %d after %d", n, last)
					}
					last = n
					mu.Lock()
					if seen[n] {
						t.Errorf("number %d issued twice", n)
					}
					seen[n] = true
					mu.Unlock()
				}
			})
		}
	}
	wg.Wait()
	if len(seen) != 400 {
		t.Errorf("%d distinct numbers, want 400", len(seen))
	}

	// In groups, a quarter of the callers failing after taking theirs: the
	// committed numbers are distinct and none was taken before.
	for i := range 80 {
		wg.Go(func() {
			var n int
			err := []*store.DB{a, b}[i%2].TxGroup(ctx, func(tx *store.Tx) (err error) {
				if n, err = numbering.NextNumber(ctx, tx, records, "370105", 2026); err != nil {
					return err
				}
				if i%4 == 3 {
					return errBoom
				}
				return nil
			})
			if i%4 == 3 {
				return
			}
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			if seen[n] {
				t.Errorf("number %d issued twice (in a group)", n)
			}
			seen[n] = true
			mu.Unlock()
		})
	}
	wg.Wait()
	if len(seen) != 460 {
		t.Errorf("%d distinct numbers, want 460", len(seen))
	}
}
