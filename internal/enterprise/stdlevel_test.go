package enterprise_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"anwei/internal/app/apptest"
	"anwei/internal/enterprise"
	"anwei/internal/store"
)

// TestAnEnterpriseCannotGradeItself: the 安全生产标准化 grade is conferred by
// the grading authority and lowers the class score (fewer inspections), so
// an enterprise that writes it into its own record asks for it: the record
// and its class stay as they were until its department approves (issue
// 17.2, a field the enterprise could set on itself). A request stored
// before the grade was a key field leaves the grade as it is when approved.
func TestAnEnterpriseCannotGradeItself(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		w := newWorld(t, dialect)
		e, err := w.ents.Get(ctx, w.ent, w.ent.Unit.ID)
		if err != nil {
			t.Fatal(err)
		}
		if e.StdLevel == "1" {
			t.Fatalf("the demo enterprise is 一级 already")
		}
		in := enterprise.Input{Name: e.Name, CreditCode: e.CreditCode, RegionCode: e.RegionCode, Categories: enterprise.ListText(strings.Join(e.Categories, "、")),
			Principal: e.Principal, Staff: e.Staff, StdLevel: "1", IndustryCode: e.IndustryCode, Scale: e.Scale, Status: e.Status}
		after, change, err := w.ents.Update(ctx, w.ent, e.UnitID, in)
		if err != nil || change == 0 {
			t.Fatalf("the enterprise grades itself 一级: change %d, %v", change, err)
		}
		got, err := w.ents.Get(ctx, w.member, e.UnitID)
		if err != nil {
			t.Fatal(err)
		}
		if after.StdLevel != e.StdLevel || got.StdLevel != e.StdLevel || got.Class != e.Class || got.ClassScore != e.ClassScore {
			t.Fatalf("grade %q/%q class %s %d, want %q and class %s %d as before", after.StdLevel, got.StdLevel, got.Class, got.ClassScore, e.StdLevel, e.Class, e.ClassScore)
		}
		cs, err := w.ents.PendingChanges(ctx, w.member, e.UnitID)
		if err != nil || len(cs) != 1 || !strings.Contains(strings.Join(cs[0].Diff(), "；"), "标准化等级") {
			t.Fatalf("the request: %+v %v", cs, err)
		}
		if err := w.ents.DecideChange(ctx, w.member, change, true, ""); err != nil {
			t.Fatal(err)
		}
		if got, err = w.ents.Get(ctx, w.member, e.UnitID); err != nil || got.StdLevel != "1" {
			t.Fatalf("approved: grade %q, %v", got.StdLevel, err)
		}
		// a request of before the upgrade: its keys lack the grade
		var old int64
		if err := w.db.Tx(ctx, func(tx *store.Tx) error {
			old, err = tx.InsertID(ctx, `INSERT INTO enterprise_changes (unit_id, region_code, before_json, after_json, status, created_at, created_by)
				VALUES (?, ?, ?, ?, 'pending', ?, ?)`, e.UnitID, e.RegionCode,
				`{"name":"`+e.Name+`","credit_code":"`+e.CreditCode+`","region_code":"`+e.RegionCode+`","industry_code":"`+e.IndustryCode+`","categories":"`+strings.Join(e.Categories, ",")+`","scale":"`+e.Scale+`","status":"`+e.Status+`"}`,
				`{"name":"`+e.Name+`","credit_code":"`+e.CreditCode+`","region_code":"`+e.RegionCode+`","industry_code":"`+e.IndustryCode+`","categories":"`+strings.Join(e.Categories, ",")+`","scale":"`+e.Scale+`","status":"`+e.Status+`"}`,
				time.Now(), w.ent.UserID)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if err := w.ents.DecideChange(ctx, w.member, old, true, ""); err != nil {
			t.Fatal(err)
		}
		if got, err = w.ents.Get(ctx, w.member, e.UnitID); err != nil || got.StdLevel != "1" {
			t.Errorf("an old request approved: grade %q, %v; want 一级 kept", got.StdLevel, err)
		}
	})
}

// TestApprovalAppliesOnlyWhatWasAsked: a request changes only the key
// fields it changes; one approved after the department regraded the
// enterprise leaves the new grade (the request's grade, equal before and
// after, once put back the grade of when it was made — an enterprise could
// undo a downgrade by asking for something else first).
func TestApprovalAppliesOnlyWhatWasAsked(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		w := newWorld(t, dialect)
		e, err := w.ents.Get(ctx, w.ent, w.ent.Unit.ID)
		if err != nil {
			t.Fatal(err)
		}
		in := enterprise.Input{Name: e.Name + "（新）", CreditCode: e.CreditCode, RegionCode: e.RegionCode, Categories: enterprise.ListText(strings.Join(e.Categories, "、")),
			Principal: e.Principal, Staff: e.Staff, StdLevel: e.StdLevel, IndustryCode: e.IndustryCode, Scale: e.Scale, Status: e.Status}
		if _, change, err := w.ents.Update(ctx, w.ent, e.UnitID, in); err != nil || change == 0 {
			t.Fatalf("the enterprise asks for a new name: change %d, %v", change, err)
		} else {
			regraded := e.StdLevel == "1"
			in.Name, in.StdLevel = e.Name, "1"
			if regraded {
				in.StdLevel = "3"
			}
			if _, _, err := w.ents.Update(ctx, w.member, e.UnitID, in); err != nil {
				t.Fatalf("the department regrades: %v", err)
			}
			if err := w.ents.DecideChange(ctx, w.member, change, true, ""); err != nil {
				t.Fatal(err)
			}
			got, err := w.ents.Get(ctx, w.member, e.UnitID)
			if err != nil || got.Name != e.Name+"（新）" || got.StdLevel != in.StdLevel {
				t.Fatalf("approved: name %q grade %q, %v; want the asked name and the department's grade %q", got.Name, got.StdLevel, err, in.StdLevel)
			}
		}
	})
}
