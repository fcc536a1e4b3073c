package plan_test

import (
	"testing"

	"anwei/internal/org"
	"anwei/internal/plan"
)

// TestMayDecideIsTheIssuingOffices: only the office that issued the plan,
// holding plan.supervise, decides its tasks' consolidated reports.
func TestMayDecideIsTheIssuingOffices(t *testing.T) {
	task := plan.TaskView{OfficeID: 3}
	sup := []org.Perm{org.PermPlanSupervise}
	for _, c := range []struct {
		who  string
		a    *org.Actor
		want bool
	}{
		{"the issuing office", &org.Actor{Perms: sup, Unit: org.UnitRef{ID: 3}}, true},
		{"another office", &org.Actor{Perms: sup, Unit: org.UnitRef{ID: 4}}, false},
		{"the issuing unit without plan.supervise", &org.Actor{Unit: org.UnitRef{ID: 3}}, false},
	} {
		if got := task.MayDecide(c.a); got != c.want {
			t.Errorf("%s: MayDecide = %v, want %v", c.who, got, c.want)
		}
	}
}
