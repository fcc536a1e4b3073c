package enterprise

import (
	"context"
	"errors"
	"testing"

	"anwei/internal/calendar"
	"anwei/internal/store"
	"anwei/internal/store/storetest"
)

// TestHooksRefuseUntilSealed: a registry whose hooks app has not sealed
// refuses to compute a class input or move an enterprise's records (it
// would compute without the inputs of mechanisms not yet bound); binding
// after the seal panics; what several sources report is summed.
func TestHooksRefuseUntilSealed(t *testing.T) {
	ctx := context.Background()
	h := NewHooks()
	h.Feed(OpenMajorHazards, func(context.Context, *store.Tx, []int64) (map[int64]int, error) {
		return map[int64]int{7: 1}, nil
	})
	if _, err := h.signal(ctx, nil, OpenMajorHazards, nil); !errors.Is(err, errUnsealed) {
		t.Errorf("unsealed signal: %v", err)
	}
	if _, err := h.follow(ctx, nil, 7, "370105015"); !errors.Is(err, errUnsealed) {
		t.Errorf("unsealed follow: %v", err)
	}
	h.Feed(OpenMajorHazards, func(context.Context, *store.Tx, []int64) (map[int64]int, error) {
		return map[int64]int{7: 2, 8: 1}, nil
	})
	h.Seal()
	got, err := h.signal(ctx, nil, OpenMajorHazards, nil)
	if err != nil || got[7] != 3 || got[8] != 1 || len(got) != 2 {
		t.Errorf("summed signal: %v %v", got, err)
	}
	if got, err := h.signal(ctx, nil, Violations12m, nil); err != nil || len(got) != 0 {
		t.Errorf("a signal nobody feeds: %v %v", got, err)
	}
	defer func() {
		if recover() == nil {
			t.Error("binding after the seal did not panic")
		}
	}()
	h.Follow(nil)
}

// TestUnsealedRegistryRefusesToClassify: a registry built outside
// app.NewServices, whose hooks nobody sealed, refuses to gather class
// inputs — the step every create, edit, import and reclassification takes
// — instead of classing without the inputs of the mechanisms not bound.
func TestUnsealedRegistryRefusesToClassify(t *testing.T) {
	ctx := context.Background()
	db := storetest.SQLite(t)
	s := NewService(db, calendar.System{}, nil, NewHooks(), 0)
	err := db.Tx(ctx, func(tx *store.Tx) error {
		_, err := s.classInputs(ctx, tx, nil, true)
		return err
	})
	if !errors.Is(err, errUnsealed) {
		t.Errorf("class inputs with unsealed hooks: %v, want errUnsealed", err)
	}
}
