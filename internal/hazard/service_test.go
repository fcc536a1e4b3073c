package hazard_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"anwei/internal/app"
	"anwei/internal/app/apptest"
	"anwei/internal/apperr"
	"anwei/internal/audit"
	"anwei/internal/calendar"
	"anwei/internal/hazard"
	"anwei/internal/org"
)

func actor(t *testing.T, orgs *org.Service, name string) *org.Actor {
	t.Helper()
	a, err := orgs.ActorByUsername(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestLifecycleThroughTheService: the enterprise reports a hazard, the
// supervising department judges and assigns it, the enterprise rectifies,
// the review fails once then passes, the hazard closes; another
// department cannot close it, and the enterprise sees only its own.
func TestLifecycleThroughTheService(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		clock := calendar.NewFixed(time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC))
		db, s := apptest.SeededDemo(t, dialect, app.Wiring{Clock: clock}, 20, false)
		orgs, svc := s.Org, s.Hazards
		ent, member, office := actor(t, orgs, "enterprise"), actor(t, orgs, "member"), actor(t, orgs, "office")
		if _, err := svc.Report(ctx, ent, hazard.ReportInput{EnterpriseID: ent.Unit.ID, Description: "x"}); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("no place: %v", err)
		}
		h, err := svc.Report(ctx, ent, hazard.ReportInput{EnterpriseID: ent.Unit.ID, Place: "液氯储罐区", Description: "罐区紧急切断阀失效", Source: "inspection"})
		if err != nil {
			t.Fatal(err)
		}
		if h.Source != "self" || h.Number != "YH370105-2026-000001" || h.State != hazard.Reported {
			t.Errorf("reported: %+v", h)
		}
		step := func(a *org.Actor, st hazard.Step) (hazard.Hazard, error) { return svc.Act(ctx, a, h.ID, st) }
		if _, err := step(ent, hazard.Step{Action: hazard.Judge, Level: hazard.General}); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("the enterprise judges itself: %v", err)
		}
		if _, err := step(member, hazard.Step{Action: hazard.Judge, Level: hazard.Major, Criterion: "hg121-5"}); err != nil {
			t.Fatal(err)
		}
		if _, err := step(member, hazard.Step{Action: hazard.Start}); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("start before assigning: %v", err)
		}
		if _, err := step(member, hazard.Step{Action: hazard.Assign, Deadline: "2026-12-20", Writ: "天应急责改〔2026〕18号"}); err != nil {
			t.Fatal(err)
		}
		for _, st := range []hazard.Step{{Action: hazard.Start}, {Action: hazard.Submit, Evidence: "更换紧急切断阀"}} {
			if _, err := step(ent, st); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := step(office, hazard.Step{Action: hazard.Pass}); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("an office that did not assign it closes it: %v", err)
		}
		if _, err := step(member, hazard.Step{Action: hazard.Fail}); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("fail without reason: %v", err)
		}
		if _, err := step(member, hazard.Step{Action: hazard.Fail, Reason: "未做联锁测试"}); err != nil {
			t.Fatal(err)
		}
		if _, err := step(ent, hazard.Step{Action: hazard.Submit, Evidence: "已完成联锁测试"}); err != nil {
			t.Fatal(err)
		}
		closed, err := step(member, hazard.Step{Action: hazard.Pass})
		if err != nil || closed.State != hazard.Closed {
			t.Fatalf("pass: %+v %v", closed, err)
		}
		hs, err := svc.GetHistory(ctx, ent, h.ID)
		if err != nil || len(hs) != 8 || hs[len(hs)-1].To != hazard.Closed || hs[5].Note != "未做联锁测试" {
			t.Errorf("history: %d %+v %v", len(hs), hs, err)
		}
		// Overdue is derived: an assigned hazard past its deadline.
		h2, err := svc.Report(ctx, member, hazard.ReportInput{EnterpriseID: ent.Unit.ID, Place: "配电室", Description: "电缆沟积水", Source: "inspection"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Act(ctx, member, h2.ID, hazard.Step{Action: hazard.Judge, Level: hazard.General}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Act(ctx, member, h2.ID, hazard.Step{Action: hazard.Assign, Deadline: "2026-11-30", Writ: "天应急改〔2026〕3号"}); err != nil {
			t.Fatal(err)
		}
		clock.Advance(10 * 24 * time.Hour)
		if od, n, _ := svc.List(ctx, office, hazard.Filter{Overdue: true}); n != 1 || !od[0].Overdue || od[0].ID != h2.ID {
			t.Errorf("overdue: %d %+v", n, od)
		}
		// The street of another territory sees nothing of it; the enterprise sees its two.
		if _, n, _ := svc.List(ctx, ent, hazard.Filter{}); n != 2 {
			t.Errorf("enterprise sees %d hazards", n)
		}
		if _, err := audit.Verify(ctx, db); err != nil {
			t.Errorf("audit chain: %v", err)
		}
	})
}

// TestConcurrentReportsNumberOn: reports committed together take
// consecutive 隐患编号 without gaps or repeats, and the audit chain holds.
func TestConcurrentReportsNumberOn(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		w := newWorld(t, dialect)
		ctx, svc, ent := w.ctx, w.svc, w.ent
		numbers := make([]string, 60)
		var wg sync.WaitGroup
		for i := range numbers {
			wg.Go(func() {
				h, err := svc.Report(ctx, ent, hazard.ReportInput{EnterpriseID: ent.Unit.ID, Place: "仓库", Description: fmt.Sprint("第", i, "项")})
				if err != nil {
					t.Error(err)
				}
				numbers[i] = h.Number
			})
		}
		wg.Wait()
		slices.Sort(numbers)
		for i, n := range numbers {
			if want := fmt.Sprintf("YH370105-2026-%06d", i+1); n != want {
				t.Fatalf("numbers %v: #%d is %s, want %s", numbers, i, n, want)
			}
		}
		if _, err := audit.Verify(ctx, w.db); err != nil {
			t.Fatal(err)
		}
	})
}
