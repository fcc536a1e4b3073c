package plan_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"anwei/internal/app"
	"anwei/internal/app/apptest"
	"anwei/internal/apperr"
	"anwei/internal/audit"
	"anwei/internal/calendar"
	"anwei/internal/docs"
	"anwei/internal/inbox"
	"anwei/internal/org"
	"anwei/internal/paging"
	"anwei/internal/plan"
	"anwei/internal/store"
)

// world is the demo jurisdiction on a fixed clock standing at 10 July 2026
// (Beijing), after the demo completed every duty then due but one.
type world struct {
	db                          *store.DB
	clock                       *calendar.Fixed
	orgs                        *org.Service
	plans                       *plan.Service
	inbox                       *inbox.Service
	plan                        int64
	office, member, street, ent *org.Actor
}

func newWorld(t *testing.T, dialect string) *world {
	t.Helper()
	ctx := context.Background()
	w := &world{clock: calendar.NewFixed(time.Date(2026, 7, 10, 2, 0, 0, 0, time.UTC))}
	db, s := apptest.SeededDemo(t, dialect, app.Wiring{Clock: w.clock}, 20, false)
	w.db = db
	w.orgs, w.plans, w.inbox = s.Org, s.Plans, s.Inbox
	w.office, w.member, w.street, w.ent = actor(t, w.orgs, "office"), actor(t, w.orgs, "member"), actor(t, w.orgs, "street"), actor(t, w.orgs, "enterprise")
	ps, _, err := w.plans.ListPlans(ctx, w.office, paging.Page{})
	if err != nil || len(ps) != 1 {
		t.Fatalf("demo plans: %v", err)
	}
	w.plan = ps[0].ID
	return w
}

func (w *world) at(t *testing.T, day string) {
	t.Helper()
	d, err := time.ParseInLocation("2006-01-02 15:04", day+" 10:00", calendar.Shanghai)
	if err != nil {
		t.Fatal(err)
	}
	w.clock.Advance(d.Sub(w.clock.Now()))
}

func unitActor(t *testing.T, w *world, id int64) *org.Actor {
	t.Helper()
	u, err := w.orgs.GetUnit(context.Background(), org.System, id)
	if err != nil {
		t.Fatal(err)
	}
	return org.NewActor(0, "t", u.Name, org.UnitRef{ID: u.ID, Name: u.Name, Kind: u.Kind, Level: u.Level, Region: u.RegionCode}, []org.Role{org.RoleMember})
}

func TestReportsConsolidationAndDecision(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		w := newWorld(t, dialect)
		// A task with a support unit and a lead other than the office.
		as, _, err := w.plans.ListAssignments(ctx, w.office, plan.AssignmentFilter{PlanID: w.plan, Page: paging.Page{Limit: 500}})
		if err != nil {
			t.Fatal(err)
		}
		var task int64
		var lead, support *org.Actor
		for _, x := range as {
			tv, err := w.plans.GetTask(ctx, w.office, x.TaskID)
			if err != nil {
				t.Fatal(err)
			}
			if x.Role == "support" && tv.Units[0].Role == "lead" && tv.Units[0].UnitID != w.office.Unit.ID {
				task, lead, support = x.TaskID, unitActor(t, w, tv.Units[0].UnitID), unitActor(t, w, x.UnitID)
				break
			}
		}
		if task == 0 {
			t.Fatal("no task with a support unit")
		}
		pid, err := w.plans.SubmitReport(ctx, support, task, plan.KindProgress, "辖区排查燃气用户 120 户",
			[]plan.Upload{{Name: `C:\照片\现场.jpg`, ContentType: "image/jpeg", Body: strings.NewReader("jpeg bytes")}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.plans.SubmitReport(ctx, support, task, plan.KindProgress, "  ", nil); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("empty progress: %v", err)
		}
		rs, _, err := w.plans.ListReports(ctx, lead, plan.ReportFilter{TaskID: task})
		if err != nil || len(rs) == 0 || rs[0].ID != pid || len(rs[0].Attachments) != 1 || rs[0].Attachments[0].Name != "现场.jpg" {
			t.Fatalf("the lead unit does not see the support unit's input: %+v %v", rs, err)
		}
		if _, err := w.plans.GetAttachment(ctx, lead, rs[0].Attachments[0].ID); err != nil {
			t.Errorf("lead cannot open the attachment: %v", err)
		}
		if _, err := w.plans.GetAttachment(ctx, w.ent, rs[0].Attachments[0].ID); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("an enterprise opens a unit's attachment: %v", err)
		}
		if _, err := w.plans.SubmitReport(ctx, support, task, plan.KindConsolidated, "汇总", nil); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("a support unit consolidates: %v", err)
		}
		cid, err := w.plans.SubmitReport(ctx, lead, task, plan.KindConsolidated, "汇总: 各街道排查 1800 户", nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.plans.SubmitReport(ctx, lead, task, plan.KindConsolidated, "再报", nil); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("a second pending consolidated report: %v", err)
		}
		if err := w.plans.DecideReport(ctx, lead, cid, true, ""); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("the lead unit decides its own report: %v", err)
		}
		if err := w.plans.DecideReport(ctx, w.office, pid, true, ""); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("the office decides a unit's input: %v", err)
		}
		if err := w.plans.DecideReport(ctx, w.office, cid, false, " "); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("return without reason: %v", err)
		}
		if err := w.plans.DecideReport(ctx, w.office, cid, false, "缺少各街道分项数据"); err != nil {
			t.Fatal(err)
		}
		if err := w.plans.DecideReport(ctx, w.office, cid, true, ""); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("deciding twice: %v", err)
		}
		ms, _, unread, err := w.inbox.ListInbox(ctx, lead, paging.Page{})
		if err != nil || unread == 0 || !strings.Contains(ms[0].Title, "缺少各街道分项数据") {
			t.Errorf("the lead unit is not told of the return: %+v %v", ms, err)
		}
		cid2, err := w.plans.SubmitReport(ctx, lead, task, plan.KindConsolidated, "汇总(补充分项数据)", nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.plans.DecideReport(ctx, w.office, cid2, true, ""); err != nil {
			t.Fatal(err)
		}
		// The office's inbox no longer says this task's decided reports wait
		// for it (the demo's other reports still do).
		oms, _, _, err := w.inbox.ListInbox(ctx, w.office, paging.Page{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		settled := 0
		for _, m := range oms {
			if m.Kind == "plan.report" && m.Link == fmt.Sprintf("/tasks/%d", task) {
				if strings.Contains(m.Title, "待审核") || m.ReadAt == nil {
					t.Errorf("the office's message of a decided report: %q, read %v", m.Title, m.ReadAt)
				}
				settled++
			}
		}
		if settled < 2 {
			t.Errorf("the office holds %d messages of this task's reports, want at least the 2 decided here", settled)
		}
		if rs, _, err = w.plans.ListReports(ctx, w.office, plan.ReportFilter{TaskID: task, Kind: plan.KindConsolidated}); err != nil {
			t.Fatal(err)
		}
		var states []string
		for _, r := range rs {
			states = append(states, r.Status+":"+r.Reason)
		}
		if len(states) < 2 || !slices.Equal(states[:2], []string{"accepted:", "returned:缺少各街道分项数据"}) { // newest first, after the demo's
			t.Errorf("consolidated reports: %q", states)
		}
		if n, err := audit.Verify(ctx, w.db); err != nil || n == 0 {
			t.Errorf("audit chain: %v", err)
		}
	})
}

func TestNoticesNumberedPerYearAndAnswered(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		w := newWorld(t, dialect)
		w.at(t, "2026-10-05")
		overdue, _, err := w.plans.ListInstances(ctx, w.office, plan.InstanceFilter{PlanID: w.plan, Status: plan.StatusOverdue, Page: paging.Page{Limit: 500}})
		if err != nil {
			t.Fatal(err)
		}
		var mine, other []int64
		for _, d := range overdue {
			switch {
			case d.UnitID == w.member.Unit.ID:
				mine = append(mine, d.ID)
			case len(other) == 0 && d.UnitID != w.office.Unit.ID:
				other = append(other, d.ID)
			}
		}
		if len(mine) < 2 || len(other) == 0 {
			t.Fatalf("overdue duties on 2026-10-05: member %d, other %d", len(mine), len(other))
		}
		chosen := append(mine[:2:2], other...)
		if _, err := w.plans.IssueNotices(ctx, w.member, plan.NoticeInput{Kind: plan.NoticeReminder, InstanceIDs: chosen, AnswerBy: "2026-10-12"}); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("a member issues a reminder: %v", err)
		}
		if _, err := w.plans.IssueNotices(ctx, w.office, plan.NoticeInput{Kind: plan.NoticeReminder, InstanceIDs: chosen, AnswerBy: "2026-10-05"}); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("answer-by today: %v", err)
		}
		// One of them has a reminder not yet answered: a second goes out
		// only when the office says so (issue 16.2).
		if _, err := w.plans.IssueNotices(ctx, w.office, plan.NoticeInput{Kind: plan.NoticeReminder, InstanceIDs: chosen, AnswerBy: "2026-10-12"}); !apperr.Is(err, apperr.Conflict) ||
			apperr.FieldOf(err) != "" || !strings.Contains(err.Error(), "天安办提〔2026〕1号") {
			t.Errorf("a second reminder unasked: %v", err)
		}
		ids, err := w.plans.IssueNotices(ctx, w.office, plan.NoticeInput{Kind: plan.NoticeReminder, InstanceIDs: chosen, AnswerBy: "2026-10-12", Again: true})
		if err != nil || len(ids) != 2 {
			t.Fatalf("one reminder per unit: %v %v", ids, err)
		}
		sheet, err := w.plans.IssueNotices(ctx, w.office, plan.NoticeInput{Kind: plan.NoticeSheet, InstanceIDs: mine[2:3], AnswerBy: "2026-10-20"})
		if err != nil {
			t.Fatal(err)
		}
		var numbers []string
		for _, id := range append(ids, sheet...) {
			n, err := w.plans.GetNotice(ctx, w.office, id)
			if err != nil {
				t.Fatal(err)
			}
			numbers = append(numbers, n.DocNumber)
		}
		// The demo issued 天安办提〔2026〕1号 already.
		if !slices.Equal(numbers, []string{"天安办提〔2026〕2号", "天安办提〔2026〕3号", "天安办交〔2026〕1号"}) {
			t.Errorf("文号: %q", numbers)
		}
		var toMember plan.NoticeRow
		for _, id := range ids {
			n, err := w.plans.GetNotice(ctx, w.office, id)
			if err != nil {
				t.Fatal(err)
			}
			if n.UnitID == w.member.Unit.ID {
				toMember = n
			}
		}
		if len(toMember.Items) != 2 || toMember.Status != "waiting" || !strings.Contains(toMember.Title, "提醒函") {
			t.Fatalf("the member's reminder: %+v", toMember)
		}
		if _, err := w.plans.GetNotice(ctx, w.ent, toMember.ID); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("an enterprise reads a reminder to a department: %v", err)
		}
		if err := w.plans.AnswerNotice(ctx, w.street, toMember.ID, "已落实"); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("another unit answers: %v", err)
		}
		if err := w.plans.AnswerNotice(ctx, w.member, toMember.ID, "已于10月8日完成带队检查，补录记录"); err != nil {
			t.Fatal(err)
		}
		if err := w.plans.AnswerNotice(ctx, w.member, toMember.ID, "again"); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("second answer: %v", err)
		}
		n, err := w.plans.GetNotice(ctx, w.office, toMember.ID)
		if err != nil {
			t.Fatal(err)
		}
		if n.Status != "answered" || n.AnsweredAt == nil {
			t.Errorf("after answering: %+v", n)
		}
		w.at(t, "2026-10-13")
		if ns, _, _ := w.plans.ListNotices(ctx, w.office, plan.NoticeFilter{Status: "overdue"}); len(ns) == 0 || slices.ContainsFunc(ns, func(x plan.NoticeRow) bool { return x.ID == toMember.ID }) {
			t.Errorf("unanswered reminders past their date: %+v", ns)
		}
		pdf, err := n.Letter().PDF()
		if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF")) {
			t.Errorf("PDF: %v", err)
		}
		if l := n.Letter(); len(l.Items) != 2 || l.DocNumber != n.DocNumber || !strings.Contains(l.Closing[0], "2026年10月12日") {
			t.Errorf("letter: %+v", l)
		}
		// the 版记 and the 附注 naming whom to call: the official who issued it
		if l := n.Letter(); l.PrintedBy != n.Issuer || l.PrintedDate == "" || l.Contact == "" || l.Contact != w.office.Name {
			t.Errorf("版记 %q %q, 联系人 %q (issued by %q)", l.PrintedBy, l.PrintedDate, l.Contact, w.office.Name)
		}
		// A finished duty cannot be chased.
		done, _, err := w.plans.ListInstances(ctx, w.office, plan.InstanceFilter{PlanID: w.plan, Status: plan.StatusDone, Page: paging.Page{Limit: 1}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.plans.IssueNotices(ctx, w.office, plan.NoticeInput{Kind: plan.NoticeReminder, InstanceIDs: []int64{done[0].ID}, AnswerBy: "2026-10-20"}); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("reminder for a finished duty: %v", err)
		}
	})
}

func TestSweepOverdueOnceAcrossRestarts(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		w := newWorld(t, dialect)
		events := func() int {
			evs, _, err := audit.List(ctx, w.db, org.System.Scope, audit.Filter{Action: "plan.instance.overdue", Page: paging.Page{Limit: 100}})
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, e := range evs {
				var after struct{ Count int }
				if err := json.Unmarshal([]byte(e.After), &after); err != nil {
					t.Fatal(err)
				}
				n += after.Count
			}
			return n
		}
		n, err := w.plans.SweepOverdue(ctx)
		if err != nil || n != 1 { // the one duty the demo left overdue
			t.Fatalf("first sweep: %d %v", n, err)
		}
		if n, err := w.plans.SweepOverdue(ctx); err != nil || n != 0 {
			t.Fatalf("second sweep acted again: %d %v", n, err)
		}
		restarted := apptest.New(t, w.db, app.Wiring{Clock: w.clock}).Plans
		if n, err := restarted.SweepOverdue(ctx); err != nil || n != 0 {
			t.Fatalf("sweep after a restart acted again: %d %v", n, err)
		}
		// Finish one duty due at the end of July before it is late.
		open, _, err := w.plans.ListInstances(ctx, w.member, plan.InstanceFilter{PlanID: w.plan, UnitID: w.member.Unit.ID, Status: plan.StatusTodo, Page: paging.Page{Limit: 500}})
		if err != nil {
			t.Fatal(err)
		}
		var july, august int64
		for _, d := range open {
			switch d.Due {
			case "2026-07-31":
				july = d.ID
			case "2026-08-31":
				august = d.ID
			}
		}
		if july == 0 || august == 0 {
			t.Fatalf("member duties due at the end of July and August: %d %d", july, august)
		}
		if err := w.plans.CompleteInstance(ctx, w.member, july, "7月检查已完成"); err != nil {
			t.Fatal(err)
		}
		w.at(t, "2026-09-02")
		n, err = restarted.SweepOverdue(ctx)
		if err != nil || n == 0 {
			t.Fatalf("sweep after August: %d %v", n, err)
		}
		if again, err := w.plans.SweepOverdue(ctx); err != nil || again != 0 {
			t.Errorf("the other server repeats the sweep: %d %v", again, err)
		}
		if got := events(); got != n+1 {
			t.Errorf("audited %d overdue duties, acted on %d", got, n+1)
		}
		ms, _, _, err := w.inbox.ListInbox(ctx, w.member, paging.Page{Limit: 200})
		if err != nil {
			t.Fatal(err)
		}
		told := map[string]int{}
		for _, m := range ms {
			if m.Kind == "plan.overdue" {
				told[m.Title]++
			}
		}
		if len(told) == 0 {
			t.Error("the member was not told of its overdue duties")
		}
		var noted int
		if err := w.db.QueryRow(ctx, "SELECT COUNT(*) FROM plan_instances WHERE id = ? AND overdue_noted_at IS NOT NULL", july).Scan(&noted); err != nil || noted != 0 {
			t.Errorf("a duty done in time was marked overdue")
		}
		if err := w.db.QueryRow(ctx, "SELECT COUNT(*) FROM plan_instances WHERE id = ? AND overdue_noted_at IS NOT NULL", august).Scan(&noted); err != nil || noted != 1 {
			t.Errorf("a late duty was not marked")
		}
		if _, _, unread, _ := w.inbox.ListInbox(ctx, w.office, paging.Page{}); unread == 0 {
			t.Error("the office was not told")
		}
	})
}

func TestFiguresAndScorecard(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		w := newWorld(t, dialect)
		f, err := w.plans.PlanFigures(ctx, w.office, w.plan)
		if err != nil {
			t.Fatal(err)
		}
		// On 10 July the demo has done every due duty but one, most on time and one in seven late.
		if f.All.Overdue != 1 || f.All.Done != f.All.Due-1 || f.All.OnTime == 0 || f.All.OnTime >= f.All.Done || f.All.Total <= f.All.Due {
			t.Errorf("figures on 2026-07-10: %+v", f.All)
		}
		sum := 0
		for _, u := range f.ByUnit {
			sum += u.Total
		}
		if sum != f.All.Total || len(f.BySection) < 2 {
			t.Errorf("by unit %d of %d; %d sections", sum, f.All.Total, len(f.BySection))
		}
		before, err := w.plans.UnitScorecard(ctx, w.office, w.member.Unit.ID, 2026)
		if err != nil {
			t.Fatal(err)
		}
		if before.Late+before.Tally.OnTime != before.Tally.Done || before.Late == 0 {
			t.Errorf("scorecard: %+v", before)
		}
		open, _, err := w.plans.ListInstances(ctx, w.member, plan.InstanceFilter{PlanID: w.plan, UnitID: w.member.Unit.ID, Status: plan.StatusTodo, Page: paging.Page{Limit: 1}})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.plans.CompleteInstance(ctx, w.member, open[0].ID, "提前完成"); err != nil {
			t.Fatal(err)
		}
		w.at(t, "2026-12-31")
		after, err := w.plans.UnitScorecard(ctx, w.member, w.member.Unit.ID, 2026)
		if err != nil {
			t.Fatal(err)
		}
		if after.Tally.OnTime != before.Tally.OnTime+1 || after.Late != before.Late || after.Tally.Overdue == 0 || after.Tally.Overdue+after.Tally.Done > after.Tally.Due {
			t.Errorf("after an early completion: %+v", after)
		}
		if _, err := w.plans.UnitScorecard(ctx, w.ent, w.member.Unit.ID, 2026); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("an enterprise reads a department's scorecard: %v", err)
		}
		if got := fmt.Sprintf("%.2f", after.OnTimeRate()); after.Tally.Due > 0 && got == "0.00" {
			t.Errorf("on-time rate %s", got)
		}
	})
}

func TestTaskSheetRoundTrip(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		w := newWorld(t, dialect)
		sh, err := w.plans.TaskSheet(ctx, w.member, w.plan)
		if err != nil || len(sh.Rows) == 0 {
			t.Fatalf("member's sheet: %d rows, %v", len(sh.Rows), err)
		}
		full, err := w.plans.TaskSheet(ctx, w.office, w.plan)
		if err != nil || len(full.Rows) <= len(sh.Rows) {
			t.Fatalf("office's sheet: %d rows (member %d), %v", len(full.Rows), len(sh.Rows), err)
		}
		var notMine []string
		for _, r := range full.Rows {
			if !slices.ContainsFunc(sh.Rows, func(m []string) bool { return m[0] == r[0] }) {
				notMine = r
				break
			}
		}
		rows := [][]string{}
		first := slices.Clone(sh.Rows[0])
		first[9] = "已完成全区危化企业检查 35 家"
		rows = append(rows, first)
		changed := slices.Clone(sh.Rows[1%len(sh.Rows)])
		changed[3] += "（改）"
		changed[9] = "x"
		dup := slices.Clone(first)
		other := slices.Clone(notMine)
		other[9] = "y"
		rows = append(rows, changed, dup, other, []string{"abc", "", "", "", "", "", "", "", "", "z"}, []string{"999999", "", "", "", "", "", "", "", "", "z"})
		var buf bytes.Buffer
		if err := (docs.Sheet{Name: sh.Name, Header: sh.Header, Rows: rows}).XLSX(&buf); err != nil {
			t.Fatal(err)
		}
		res, err := w.plans.ImportProgress(ctx, w.member, w.plan, docs.File{Name: "任务分工表.xlsx", Data: buf.Bytes()})
		if err != nil {
			t.Fatal(err)
		}
		var reasons []string
		for _, r := range res.Rejected {
			reasons = append(reasons, r.Reason)
		}
		want := []string{"第3行: 任务内容与系统中任务", "第4行: 任务编号 " + first[0] + " 与第2行重复", "第5行: 任务 " + other[0] + " 不是本单位承担的任务",
			"第6行: 任务编号 \"abc\" 不是数字", "第7行: 本工作要点中没有任务编号 999999"}
		if res.Imported != 1 || len(reasons) != len(want) {
			t.Fatalf("import: %+v", res)
		}
		for i, wnt := range want {
			if !strings.HasPrefix(reasons[i], wnt) {
				t.Errorf("rejection %d = %q, want %q…", i, reasons[i], wnt)
			}
		}
		again, err := w.plans.ImportProgress(ctx, w.member, w.plan, docs.File{Name: "任务分工表.xlsx", Data: buf.Bytes()})
		if err != nil || again.Imported != 0 || again.Unchanged != 1 {
			t.Errorf("re-import: %+v %v", again, err)
		}
		back, err := w.plans.TaskSheet(ctx, w.member, w.plan)
		if err != nil {
			t.Fatal(err)
		}
		if back.Rows[0][9] != "已完成全区危化企业检查 35 家" {
			t.Errorf("the exported sheet does not carry the progress back: %q", back.Rows[0])
		}
		if _, err := w.plans.ImportProgress(ctx, w.member, w.plan, docs.File{Name: "a.csv", Data: []byte("任务编号,进展\n1,x\n")}); !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), "本单位进展") {
			t.Errorf("sheet without the progress column: %v", err)
		}
		evs, _, err := audit.List(ctx, w.db, org.System.Scope, audit.Filter{Action: "plan.progress.import"})
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) != 2 {
			t.Errorf("%d import events, want 2", len(evs))
		}
	})
}
