package enterprise_test

import (
	"testing"

	"anwei/internal/enterprise"
	"anwei/internal/org"
)

// TestMayEditIsUpdatesRule: an enterprise edits its own record, not
// another's; a holder of enterprise.write edits any it reaches; a reader
// edits none.
func TestMayEditIsUpdatesRule(t *testing.T) {
	ent := &org.Actor{Perms: []org.Perm{org.PermOrgRead, org.PermEntOwn}, Unit: org.UnitRef{ID: 7, Kind: org.KindEnterprise}}
	dept := &org.Actor{Perms: []org.Perm{org.PermOrgRead, org.PermEntWrite}, Unit: org.UnitRef{ID: 3, Kind: org.KindDepartment}}
	expert := &org.Actor{Perms: []org.Perm{org.PermOrgRead}, Unit: org.UnitRef{ID: 4}}
	for _, c := range []struct {
		who  string
		a    *org.Actor
		id   int64
		want bool
	}{{"enterprise, own", ent, 7, true}, {"enterprise, another", ent, 8, false}, {"department", dept, 8, true}, {"expert", expert, 8, false}} {
		if got := enterprise.MayEdit(c.a, c.id); got != c.want {
			t.Errorf("%s: MayEdit(%d) = %v, want %v", c.who, c.id, got, c.want)
		}
	}
}
