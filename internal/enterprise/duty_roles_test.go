package enterprise_test

import (
	"context"
	"testing"

	"anwei/internal/app/apptest"
	"anwei/internal/apperr"
	"anwei/internal/enterprise"
)

// TestTheStreetKeepsOnlyWhatIsItsOwn: the 重点监管企业名单 is the
// county's — its office and departments adjust it, a street office does
// not (it could, and saved); a department or a street names only itself a
// supervisor of an enterprise (属地), an office any department or street
// office but not an enterprise (issue 14.4: the street's 监管部门 form
// answered 422, its list empty).
func TestTheStreetKeepsOnlyWhatIsItsOwn(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		w := newWorld(t, dialect)
		e := w.ent.Unit.ID // 泺口化工: in the street's area, supervised by 区应急局
		if _, err := w.ents.Get(ctx, w.street, e); err != nil {
			t.Fatalf("the street's enterprise: %v", err)
		}
		if err := w.ents.SetKeyList(ctx, w.street, e, true, "街道认为应列入"); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("the street adjusts the county's key list: %v", err)
		}
		if err := w.ents.SetKeyList(ctx, w.office, e, true, "临近学校，列入重点"); err != nil {
			t.Errorf("the office adjusts its key list: %v", err)
		}
		if err := w.ents.SetSupervisor(ctx, w.street, e, w.member.Unit.ID, 0); apperr.FieldOf(err) != "dept_id" {
			t.Errorf("the street names a department: %v", err)
		}
		if err := w.ents.SetSupervisor(ctx, w.street, e, w.street.Unit.ID, 0); err != nil {
			t.Errorf("the street names itself (属地): %v", err)
		}
		if err := w.ents.SetSupervisor(ctx, w.member, e, w.street.Unit.ID, 0); apperr.FieldOf(err) != "dept_id" {
			t.Errorf("a department names a street: %v", err)
		}
		if err := w.ents.SetSupervisor(ctx, w.office, e, w.ent.Unit.ID, 0); apperr.FieldOf(err) != "dept_id" {
			t.Errorf("the office names an enterprise: %v", err)
		}
		if err := w.ents.SetSupervisor(ctx, w.office, e, w.member.Unit.ID, 0); err != nil {
			t.Errorf("the office names a department: %v", err)
		}
		sv, err := w.ents.Supervisors(ctx, w.office, e)
		if err != nil {
			t.Fatal(err)
		}
		got := map[int64]bool{}
		for _, s := range sv {
			got[s.DeptID] = true
		}
		if !got[w.street.Unit.ID] || !got[w.member.Unit.ID] {
			t.Errorf("supervisors: %+v", sv)
		}
		if !enterprise.OwnSupervisorOnly(w.street) || !enterprise.OwnSupervisorOnly(w.member) || enterprise.OwnSupervisorOnly(w.office) {
			t.Error("OwnSupervisorOnly")
		}
	})
}
