package scope

import "testing"

func TestNext(t *testing.T) {
	for in, want := range map[string]string{"370105": "370106", "3701": "3702", "19": "1:"} {
		if got := next(in); got != want {
			t.Errorf("next(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestZeroScopeSeesNothing(t *testing.T) {
	var s Scope
	for _, got := range []string{
		first(s.UnitsWhere("r", "id")), first(s.RegionsWhere("c")), first(s.EventsWhere("r", "u")),
	} {
		if got != "1=0" {
			t.Errorf("zero scope renders %q, want 1=0", got)
		}
	}
	if !s.Empty() {
		t.Error("zero scope not Empty")
	}
}

func TestUnitsWhereRendersEveryPart(t *testing.T) {
	s := Scope{Regions: []string{"370105"}, Units: []int64{7}, Grantee: 7}
	sql, args := s.UnitsWhere("u.region_code", "u.id")
	want := "((u.region_code >= ? AND u.region_code < ?) OR u.id IN (?) OR u.id IN (SELECT object_id FROM scope_grants WHERE unit_id = ? AND object_kind = 'unit') OR u.id IN (SELECT enterprise_id FROM supervisions WHERE dept_id = ?))"
	if sql != want {
		t.Fatalf("sql = %s", sql)
	}
	if len(args) != 5 || args[0] != "370105" || args[1] != "370106" {
		t.Fatalf("args = %v", args)
	}
}

func first(s string, _ []any) string { return s }
