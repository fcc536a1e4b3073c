package enterprise

import (
	"context"
	"errors"

	"anwei/internal/store"
)

// Signal names a class input another mechanism owns (管理办法 on 分类分级
// 监管: open major hazards, violations in the last 12 months; accidents
// will be the next).
type Signal int

// The class inputs other mechanisms feed.
const (
	OpenMajorHazards Signal = iota + 1 // hazard: 未销号重大隐患
	Violations12m                      // enforcement: 近12个月违法行为
)

// SignalFunc reports a class input for the enterprises ids — for every
// enterprise when ids is nil (a new rule) — leaving out those with none. It
// runs inside the transaction that reclassifies, so it sees its changes.
type SignalFunc func(ctx context.Context, tx *store.Tx, ids []int64) (map[int64]int, error)

// Follower is a mechanism whose records of an enterprise follow it when it
// moves to another region: hazard's open hazards, risk's risk points.
type Follower interface {
	// FollowEnterprise gives the enterprise's records its new region in tx
	// and returns what moved, by name, for the audit event.
	FollowEnterprise(ctx context.Context, tx *store.Tx, unitID int64, region string) (map[string]int, error)
}

// Hooks are where later mechanisms attach to the registry, in the style of
// PocketBase's event hooks: each mechanism that feeds a class input or
// follows moves takes the Hooks in its constructor and binds itself there.
// The registry and those mechanisms are built together by app, which seals
// the Hooks once every service is built; a registry whose Hooks are not
// sealed refuses to classify or move, so no half-wired service can compute a
// class without an input (an import that forgot the open major hazards
// once turned an A into a B).
type Hooks struct {
	signals   map[Signal][]SignalFunc
	followers []Follower
	sealed    bool
}

// NewHooks returns empty, unsealed hooks.
func NewHooks() *Hooks { return &Hooks{signals: map[Signal][]SignalFunc{}} }

// Feed binds fn as a source of the class input sig. It panics after Seal:
// binding is part of building the services.
func (h *Hooks) Feed(sig Signal, fn SignalFunc) {
	h.mustOpen()
	h.signals[sig] = append(h.signals[sig], fn)
}

// Follow binds f to follow enterprises that move.
func (h *Hooks) Follow(f Follower) {
	h.mustOpen()
	h.followers = append(h.followers, f)
}

// Seal ends the binding: from now on the hooks may be used and not changed.
func (h *Hooks) Seal() { h.sealed = true }

func (h *Hooks) mustOpen() {
	if h.sealed {
		panic("enterprise: hooks bound after app sealed them")
	}
}

// errUnsealed is what a registry built outside app.NewServices meets.
var errUnsealed = errors.New("enterprise: the registry's hooks are not sealed (build services with app.NewServices)")

// signal sums what every source of sig reports for ids.
func (h *Hooks) signal(ctx context.Context, tx *store.Tx, sig Signal, ids []int64) (map[int64]int, error) {
	if !h.sealed {
		return nil, errUnsealed
	}
	fns := h.signals[sig]
	if len(fns) == 1 {
		return fns[0](ctx, tx, ids)
	}
	sum := map[int64]int{}
	for _, fn := range fns {
		m, err := fn(ctx, tx, ids)
		if err != nil {
			return nil, err
		}
		for id, n := range m {
			sum[id] += n
		}
	}
	return sum, nil
}

// follow runs every follower for an enterprise moved to region.
func (h *Hooks) follow(ctx context.Context, tx *store.Tx, unitID int64, region string) (map[string]int, error) {
	if !h.sealed {
		return nil, errUnsealed
	}
	moved := map[string]int{}
	for _, f := range h.followers {
		m, err := f.FollowEnterprise(ctx, tx, unitID, region)
		if err != nil {
			return nil, err
		}
		for k, n := range m {
			moved[k] += n
		}
	}
	return moved, nil
}
