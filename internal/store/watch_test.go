package store_test

import (
	"context"
	"testing"

	"anwei/internal/store"
	"anwei/internal/store/storetest"
)

// A Watch counts committed writes naming its needles, and nothing else:
// not a rolled-back write, not a read, not a write elsewhere.
func TestWatchCountsCommittedWrites(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := db.Watch("DELETE FROM settings", "units")
		steps := []struct {
			what string
			fn   func(tx *store.Tx) error
			err  error
			adds uint64
		}{
			{"a write elsewhere", put("watch.a"), nil, 0},
			{"a read", func(tx *store.Tx) error { settingCount(t, tx, "watch."); return nil }, nil, 0},
			{"a watched statement", func(tx *store.Tx) error {
				_, err := tx.Exec(ctx, "DELETE FROM settings WHERE key = 'watch.a'")
				return err
			}, nil, 1},
			{"a watched statement rolled back", func(tx *store.Tx) error {
				if _, err := tx.Exec(ctx, "UPDATE units SET name = name WHERE id = 0"); err != nil {
					return err
				}
				return errRollback
			}, errRollback, 0},
			{"two watched statements", func(tx *store.Tx) error {
				if _, err := tx.Exec(ctx, "UPDATE units SET name = name WHERE id = 0"); err != nil {
					return err
				}
				_, err := tx.Exec(ctx, "DELETE FROM settings WHERE key = 'none'")
				return err
			}, nil, 1},
		}
		for _, s := range steps {
			before := w.Count()
			if err := db.Tx(ctx, s.fn); err != s.err {
				t.Fatalf("%s: %v", s.what, err)
			}
			if got := w.Count() - before; got != s.adds {
				t.Errorf("%s: counted %d, want %d", s.what, got, s.adds)
			}
		}
	})
}
