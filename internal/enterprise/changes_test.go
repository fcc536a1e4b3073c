package enterprise_test

import (
	"context"
	"strings"
	"testing"

	"anwei/internal/app/apptest"
	"anwei/internal/enterprise"
)

// TestAChangeReadsAsAPersonWroteIt: a request to move to another street
// names both streets, not two region codes (issue 14.7: the profile's
// "待审核的变更" line read 370105015 → 370105001).
func TestAChangeReadsAsAPersonWroteIt(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		w := newWorld(t, dialect)
		e, err := w.ents.Get(ctx, w.ent, w.ent.Unit.ID)
		if err != nil {
			t.Fatal(err)
		}
		in := enterprise.Input{Name: e.Name, CreditCode: e.CreditCode, RegionCode: "370105001", Categories: enterprise.ListText(strings.Join(e.Categories, "、")),
			Principal: e.Principal, Staff: e.Staff, StdLevel: e.StdLevel, IndustryCode: e.IndustryCode, Scale: e.Scale}
		if _, change, err := w.ents.Update(ctx, w.ent, e.UnitID, in); err != nil || change == 0 {
			t.Fatalf("moving to another street: %v %d", err, change)
		}
		cs, err := w.ents.PendingChanges(ctx, w.member, e.UnitID)
		if err != nil || len(cs) != 1 {
			t.Fatalf("pending: %v %v", cs, err)
		}
		d := strings.Join(cs[0].Diff(), "；")
		if !strings.Contains(d, "泺口街道 (370105015) → ") || strings.Contains(d, "→ 370105001") {
			t.Errorf("the change reads %q", d)
		}
	})
}
