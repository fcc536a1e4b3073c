package plan_test

import (
	"context"
	"fmt"
	"testing"

	"anwei/internal/app/apptest"
	"anwei/internal/inbox"
	"anwei/internal/org"
	"anwei/internal/paging"
	"anwei/internal/plan"
)

// TestPlanHandOversAreTodos (issue 16.1): a duty past its date is an item
// of its unit's 待办, due by that date, until the unit completes it; a
// 提醒函 is one of its addressee's, due by its answer date, until it
// replies; a lead unit's consolidated report is one of the office's until
// it decides it. Each shows its object as it is now.
func TestPlanHandOversAreTodos(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		w := newWorld(t, dialect)
		const today = "2026-07-10"
		find := func(a *org.Actor, link string) *inbox.Todo {
			t.Helper()
			ts, _, err := w.inbox.ListTodo(ctx, a, today, paging.Page{Limit: 200})
			if err != nil {
				t.Fatal(err)
			}
			for i := range ts {
				if ts[i].Link == link {
					return &ts[i]
				}
			}
			return nil
		}
		if n, err := w.plans.SweepOverdue(ctx); err != nil || n != 1 {
			t.Fatalf("sweep: %d %v", n, err)
		}
		late, _, err := w.plans.ListInstances(ctx, w.office, plan.InstanceFilter{PlanID: w.plan, Status: plan.StatusOverdue, Page: paging.Page{Limit: 10}})
		if err != nil || len(late) != 1 {
			t.Fatalf("overdue duties: %+v %v", late, err)
		}
		d := late[0]
		unit := unitActor(t, w, d.UnitID)
		if it := find(unit, "/tasks?status=overdue"); it == nil || it.Due != d.Due || it.Overdue == 0 || it.State == "" {
			t.Errorf("the unit's 待办 of its overdue duty (due %s): %+v", d.Due, it)
		}
		if it := find(w.office, "/tasks?status=overdue"); it != nil {
			t.Errorf("the office's 待办 holds the unit's duty: %+v", it)
		}

		ids, err := w.plans.IssueNotices(ctx, w.office, plan.NoticeInput{Kind: plan.NoticeReminder, InstanceIDs: []int64{d.ID}, AnswerBy: "2026-07-20", Again: true})
		if err != nil || len(ids) != 1 {
			t.Fatalf("提醒函: %v %v", ids, err)
		}
		notice := fmt.Sprintf("/notices/%d", ids[0])
		if it := find(unit, notice); it == nil || it.Due != "2026-07-20" || it.State == "" {
			t.Errorf("the addressee's 待办 of a 提醒函: %+v", it)
		}
		if err := w.plans.CompleteInstance(ctx, unit, d.ID, "已补做，记录见台账"); err != nil {
			t.Fatal(err)
		}
		if it := find(unit, "/tasks?status=overdue"); it != nil {
			t.Errorf("a completed duty stays in the 待办: %+v", it)
		}
		if it := find(unit, notice); it == nil {
			t.Errorf("the 提醒函 left the 待办 before it was answered")
		}
		if err := w.plans.AnswerNotice(ctx, unit, ids[0], "已于7月9日补做"); err != nil {
			t.Fatal(err)
		}
		if it := find(unit, notice); it != nil {
			t.Errorf("an answered 提醒函 stays in the 待办: %+v", it)
		}

		ds, _, err := w.plans.ListDuties(ctx, w.member, plan.DutyFilter{PlanID: w.plan, Page: paging.Page{Limit: 500}})
		if err != nil {
			t.Fatal(err)
		}
		var task int64
		for _, d := range ds {
			for _, x := range d.Tasks {
				if x.Role == "lead" && task == 0 {
					task = x.TaskID
				}
			}
		}
		cid, err := w.plans.SubmitReport(ctx, w.member, task, plan.KindConsolidated, "汇总: 已研究2次", nil)
		if err != nil {
			t.Fatal(err)
		}
		report := fmt.Sprintf("/tasks/%d", task)
		if it := find(w.office, report); it == nil || it.State != "汇总报告待审核" {
			t.Errorf("the office's 待办 of a consolidated report: %+v", it)
		}
		if err := w.plans.DecideReport(ctx, w.office, cid, true, ""); err != nil {
			t.Fatal(err)
		}
		if it := find(w.office, report); it != nil {
			t.Errorf("a decided report stays in the office's 待办: %+v", it)
		}
	})
}
