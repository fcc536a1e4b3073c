package plan_test

import (
	"context"
	"testing"

	"anwei/internal/app/apptest"
	"anwei/internal/apperr"
	"anwei/internal/paging"
)

// TestTheDistrictPlanReachesItsStreets: a street office reads the plan its
// district's office issued, though none of its tasks names the street
// (issue 14.4: /plans/1 answered 404); an enterprise does not.
func TestTheDistrictPlanReachesItsStreets(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		w := newWorld(t, dialect)
		if _, err := w.plans.GetPlan(ctx, w.street, w.plan); err != nil {
			t.Errorf("the street opens the district's plan: %v", err)
		}
		ps, n, err := w.plans.ListPlans(ctx, w.street, paging.Page{})
		if err != nil || n == 0 || len(ps) == 0 || ps[0].ID != w.plan {
			t.Errorf("the street's plan list: %d %+v %v", n, ps, err)
		}
		if _, err := w.plans.GetPlan(ctx, w.ent, w.plan); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("an enterprise opens the committee's plan: %v", err)
		}
	})
}
