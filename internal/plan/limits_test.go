package plan_test

import (
	"context"
	"strings"
	"testing"

	"anwei/internal/app/apptest"
	"anwei/internal/apperr"
	"anwei/internal/paging"
	"anwei/internal/plan"
)

// TestTextsHaveLimits: every free text of the plan mechanism is refused
// over its limit, naming the field, and nothing is stored (issue 14.5): a
// report, a return's reason (unbounded until now), a duty's evidence, a
// notice's answer and 文号 prefix, an imported item's heading, a whole
// plan's text.
func TestTextsHaveLimits(t *testing.T) {
	for field, n := range plan.Limits {
		if n <= 0 {
			t.Errorf("%s: limit %d", field, n)
		}
	}
	if _, err := plan.Parse(strings.Repeat("安", plan.Limits["plan_text"]+1), 2026); err == nil || !strings.Contains(err.Error(), "不能超过") {
		t.Errorf("a plan text over its limit: %v", err)
	}
	over := func(field string) string { return strings.Repeat("查", plan.Limits[field]+1) }
	check := func(t *testing.T, what, field string, err error) {
		t.Helper()
		if apperr.FieldOf(err) != field || !strings.Contains(err.Error(), "不能超过") {
			t.Errorf("%s over its limit: %v", what, err)
		}
	}
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		w := newWorld(t, dialect)
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
		_, err = w.plans.SubmitReport(ctx, w.member, task, plan.KindProgress, over("text"), nil)
		check(t, "a report", "text", err)
		var reports int
		if err := w.db.QueryRow(ctx, "SELECT COUNT(*) FROM plan_reports WHERE task_id = ?", task).Scan(&reports); err != nil {
			t.Fatal(err)
		}
		if _, err := w.plans.SubmitReport(ctx, w.member, task, plan.KindProgress, strings.Repeat("查", plan.Limits["text"]), nil); err != nil {
			t.Errorf("a report of exactly its limit: %v", err)
		}
		cid, err := w.plans.SubmitReport(ctx, w.member, task, plan.KindConsolidated, "汇总", nil)
		if err != nil {
			t.Fatal(err)
		}
		check(t, "a return's reason", "reason", w.plans.DecideReport(ctx, w.office, cid, false, over("reason")))
		is, _, err := w.plans.ListInstances(ctx, w.member, plan.InstanceFilter{UnitID: w.member.Unit.ID, Status: plan.StatusTodo, Page: paging.Page{Limit: 1}})
		if err != nil || len(is) == 0 {
			t.Fatalf("an open duty: %v", err)
		}
		check(t, "evidence", "evidence", w.plans.CompleteInstance(ctx, w.member, is[0].ID, over("evidence")))
		_, err = w.plans.IssueNotices(ctx, w.office, plan.NoticeInput{Kind: plan.NoticeReminder, InstanceIDs: []int64{is[0].ID}, AnswerBy: "2026-12-31", DocPrefix: over("doc_prefix")})
		check(t, "a 文号 prefix", "doc_prefix", err)
		ids, err := w.plans.IssueNotices(ctx, w.office, plan.NoticeInput{Kind: plan.NoticeReminder, InstanceIDs: []int64{is[0].ID}, AnswerBy: "2026-12-31"})
		if err != nil {
			t.Fatal(err)
		}
		check(t, "an answer", "answer", w.plans.AnswerNotice(ctx, w.member, ids[0], over("answer")))
		var after int
		if err := w.db.QueryRow(ctx, "SELECT COUNT(*) FROM plan_reports WHERE task_id = ?", task).Scan(&after); err != nil || after != reports+2 {
			t.Errorf("reports: %d before, %d after two accepted (%v)", reports, after, err)
		}
		p, err := plan.Parse("2026年工作要点\n一、总则\n(一)加强领导。每季度至少研究1次。(责任单位:区应急局)\n", 2026)
		if err != nil {
			t.Fatal(err)
		}
		p.Items[0].Heading = over("heading")
		_, err = w.plans.Import(ctx, w.office, plan.ImportInput{Parsed: p, SourceHash: "long", Resolved: map[string][]int64{"区应急局": {w.member.Unit.ID}}})
		check(t, "an item's heading", "heading", err)
		if err == nil || !strings.Contains(err.Error(), "事项 "+p.Items[0].Ref) {
			t.Errorf("the refusal names the item: %v", err)
		}
		if _, n, _ := w.plans.ListPlans(ctx, w.office, paging.Page{}); n != 1 {
			t.Errorf("a refused import left %d plans", n)
		}
	})
}
