package app

import (
	"context"

	"anwei/internal/enterprise"
	"anwei/internal/hazard"
	"anwei/internal/store"
)

// classSignals feed the registry's class the inputs other mechanisms own:
// open major hazards from hazard; violations wait for enforcement.
type classSignals struct {
	enterprise.NoSignals
	hazards *hazard.Service
}

func (c classSignals) OpenMajorHazards(ctx context.Context, tx *store.Tx, ids []int64) (map[int64]int, error) {
	return c.hazards.OpenMajorHazards(ctx, tx, ids)
}
