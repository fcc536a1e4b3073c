package hazard_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"anwei/internal/app/apptest"
	"anwei/internal/hazard"
	"anwei/internal/inbox"
	"anwei/internal/org"
	"anwei/internal/paging"
)

// todoAt returns the item of a's 待办 that links to link (nil if none).
func todoAt(t *testing.T, in *inbox.Service, a *org.Actor, today, link string) *inbox.Todo {
	t.Helper()
	ts, n, err := in.ListTodo(context.Background(), a, today, paging.Page{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	if n < len(ts) {
		t.Errorf("%s's 待办 counts %d, lists %d", a.Username, n, len(ts))
	}
	for i := range ts {
		if ts[i].Link == link {
			return &ts[i]
		}
	}
	return nil
}

// TestEveryHandOverIsATodo (issue 16.1): each hand-over of a hazard puts
// an item in the 待办 of the unit that acts next, due by the right date
// and showing the hazard as it is now, and the step that deals with it
// takes it out — 待判定 (every department asked), 待整改 (due by the
// deadline), 待复查, 退回整改 (待整改 again), 销号; an expert's request
// until it answers.
func TestEveryHandOverIsATodo(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		w := newWorld(t, dialect)
		ctx := w.ctx
		const today = "2026-11-23"
		h, err := w.svc.Report(ctx, w.ent, hazard.ReportInput{Place: "液氯储罐区", Description: "紧急切断阀失效", Source: "self"})
		if err != nil {
			t.Fatal(err)
		}
		at := fmt.Sprintf("/hazards/%d", h.ID)
		has := func(a *org.Actor, what, due, state string) {
			t.Helper()
			it := todoAt(t, w.inbox, a, today, at)
			switch {
			case it == nil:
				t.Errorf("%s: %s's 待办 lacks the hazard", what, a.Username)
			case it.Due != due || !strings.Contains(it.State, state) || !strings.Contains(it.State, h.Number):
				t.Errorf("%s: %s's item due %q state %q, want due %q state %q", what, a.Username, it.Due, it.State, due, state)
			}
		}
		hasnt := func(a *org.Actor, what string) {
			t.Helper()
			if it := todoAt(t, w.inbox, a, today, at); it != nil {
				t.Errorf("%s: %s's 待办 still holds %q", what, a.Username, it.Title)
			}
		}
		act := func(a *org.Actor, st hazard.Step) {
			t.Helper()
			if _, err := w.svc.Act(ctx, a, h.ID, st); err != nil {
				t.Fatalf("%s: %v", st.Action, err)
			}
		}
		has(w.member, "report", "", "已上报")
		hasnt(w.ent, "own report")

		// An expert asked: its 待办 until it answers.
		expert := actor(t, w.orgs, "expert")
		os, err := w.svc.AskExperts(ctx, w.member, h.ID, hazard.AskInput{ExpertIDs: []int64{expert.UserID}, Question: "是否构成重大事故隐患？"})
		if err != nil || len(os) != 1 {
			t.Fatalf("ask: %v", err)
		}
		req := fmt.Sprintf("/hazard-requests/%d", os[0].ID)
		if it := todoAt(t, w.inbox, expert, today, req); it == nil || !strings.Contains(it.State, "待答复") {
			t.Errorf("the expert's 待办: %+v", it)
		}
		if _, err := w.svc.Answer(ctx, expert, os[0].ID, hazard.AnswerInput{Level: hazard.General, Reasoning: "有切断阀旁路"}); err != nil {
			t.Fatal(err)
		}
		if it := todoAt(t, w.inbox, expert, today, req); it != nil {
			t.Errorf("an answered request stays in the expert's 待办: %q", it.Title)
		}

		act(w.member, hazard.Step{Action: hazard.Judge, Level: hazard.General})
		hasnt(w.member, "judged")
		act(w.member, hazard.Step{Action: hazard.Assign, Deadline: "2026-12-20", Writ: "天应急责改〔2026〕18号"})
		has(w.ent, "assign", "2026-12-20", "已交办")
		act(w.ent, hazard.Step{Action: hazard.Start})
		has(w.ent, "start", "2026-12-20", "整改中") // the live state, not the title of the 交办
		act(w.ent, hazard.Step{Action: hazard.Submit, Evidence: "更换紧急切断阀"})
		hasnt(w.ent, "submitted")
		has(w.member, "submit", "", "已整改待复查")
		act(w.member, hazard.Step{Action: hazard.Fail, Reason: "未做联锁测试"})
		hasnt(w.member, "failed")
		has(w.ent, "fail", "2026-12-20", "整改中")
		// Overdue: the item says by how much.
		if it := todoAt(t, w.inbox, w.ent, "2026-12-23", at); it == nil || it.Overdue != 3 || !strings.Contains(it.State, "逾期 3 天") {
			t.Errorf("an overdue rectification: %+v", it)
		}
		act(w.ent, hazard.Step{Action: hazard.Submit, Evidence: "已完成联锁测试"})
		has(w.member, "submit again", "", "已整改待复查")
		act(w.member, hazard.Step{Action: hazard.Pass})
		hasnt(w.member, "passed")
		hasnt(w.ent, "passed")
		act(w.member, hazard.Step{Action: hazard.Reopen, Reason: "阀门再次失效"})
		has(w.ent, "reopen", "2026-12-20", "整改中")

		// A listed major hazard: the 待整改 is due by the listing's deadline.
		m := w.major(t, "液氨罐区", "2026-12-15")
		mat := fmt.Sprintf("/hazards/%d", m.ID)
		if it := todoAt(t, w.inbox, w.ent, today, mat); it == nil || it.Due != "2026-12-15" {
			t.Errorf("a major hazard's 待整改: %+v", it)
		}
		if _, err := w.svc.AddListing(ctx, w.office, m.ID, hazard.ListingInput{Deadline: "2027-01-31"}); err != nil {
			t.Fatal(err)
		}
		if it := todoAt(t, w.inbox, w.ent, today, mat); it == nil || it.Due != "2027-01-31" {
			t.Errorf("after the listing, the 待整改: %+v", it)
		}

		// A major hazard past its deadline: the office is asked to
		// supervise it, until it lists it.
		late := w.major(t, "装卸站台", "2026-11-30")
		w.clock.Advance(15 * 24 * time.Hour)
		if n, err := w.svc.SweepOverdue(ctx); err != nil || n != 1 {
			t.Fatalf("sweep: %d %v", n, err)
		}
		lat := fmt.Sprintf("/hazards/%d", late.ID)
		if it := todoAt(t, w.inbox, w.office, "2026-12-08", lat); it == nil || !strings.Contains(it.State, "逾期 8 天") {
			t.Errorf("the office's 待办 of an overdue major hazard: %+v", it)
		}
		if it := todoAt(t, w.inbox, w.member, "2026-12-08", lat); it != nil {
			t.Errorf("the department is asked, not told: %+v", it)
		}
		if _, err := w.svc.AddListing(ctx, w.office, late.ID, hazard.ListingInput{Deadline: "2027-01-31"}); err != nil {
			t.Fatal(err)
		}
		if it := todoAt(t, w.inbox, w.office, "2026-12-08", lat); it != nil {
			t.Errorf("listed, the office's 待办 still holds %q", it.Title)
		}

		// Reviewed on site before the enterprise reported: its 待整改 leaves.
		g, err := w.svc.Report(ctx, w.member, hazard.ReportInput{EnterpriseID: w.ent.Unit.ID, Place: "配电室", Description: "挡鼠板缺失", Source: "inspection"})
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range []hazard.Step{{Action: hazard.Judge, Level: hazard.General}, {Action: hazard.Assign, Deadline: "2026-12-10", Writ: "天应急责改〔2026〕31号"}} {
			if _, err := w.svc.Act(ctx, w.member, g.ID, st); err != nil {
				t.Fatal(err)
			}
		}
		gat := fmt.Sprintf("/hazards/%d", g.ID)
		if it := todoAt(t, w.inbox, w.ent, today, gat); it == nil || it.Due != "2026-12-10" {
			t.Errorf("the enterprise's 待整改 of a finding: %+v", it)
		}
		if _, err := w.svc.Act(ctx, w.member, g.ID, hazard.Step{Action: hazard.Pass, Evidence: "现场复查已整改"}); err != nil {
			t.Fatal(err)
		}
		if it := todoAt(t, w.inbox, w.ent, today, gat); it != nil {
			t.Errorf("closed on site, the enterprise's 待办 still holds %q", it.Title)
		}
	})
}
