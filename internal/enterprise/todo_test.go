package enterprise_test

import (
	"context"
	"strings"
	"testing"

	"anwei/internal/app/apptest"
	"anwei/internal/enterprise"
	"anwei/internal/org"
	"anwei/internal/paging"
)

// TestAChangeRequestIsATodo (issue 16.1): an enterprise's change of its key
// fields is an item of its supervising department's 待办, showing the
// request as it is now, and leaves it once decided.
func TestAChangeRequestIsATodo(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		w := newWorld(t, dialect)
		items := func(a *org.Actor) []string {
			t.Helper()
			ts, _, err := w.inbox.ListTodo(ctx, a, "2026-03-01", paging.Page{Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, it := range ts {
				if it.Kind == "enterprise.change" {
					out = append(out, it.Link+" "+it.State)
				}
			}
			return out
		}
		e, err := w.ents.Get(ctx, w.ent, w.ent.Unit.ID)
		if err != nil {
			t.Fatal(err)
		}
		in := enterprise.Input{Name: e.Name, CreditCode: e.CreditCode, RegionCode: "370105001", Categories: enterprise.ListText(strings.Join(e.Categories, "、")),
			Principal: e.Principal, Staff: e.Staff, StdLevel: e.StdLevel, IndustryCode: e.IndustryCode, Scale: e.Scale}
		_, change, err := w.ents.Update(ctx, w.ent, e.UnitID, in)
		if err != nil || change == 0 {
			t.Fatalf("change: %v %d", err, change)
		}
		if got := items(w.member); len(got) != 1 || got[0] != "/enterprises/changes 变更申请待审核" {
			t.Errorf("the supervising department's 待办: %q", got)
		}
		if got := items(w.ent); len(got) != 0 {
			t.Errorf("the enterprise's own 待办: %q", got)
		}
		if err := w.ents.DecideChange(ctx, w.member, change, false, "请附营业执照"); err != nil {
			t.Fatal(err)
		}
		if got := items(w.member); len(got) != 0 {
			t.Errorf("a decided request stays in the 待办: %q", got)
		}
	})
}
