package enforce_test

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"anwei/internal/app"
	"anwei/internal/app/apptest"
	"anwei/internal/apperr"
	"anwei/internal/calendar"
	"anwei/internal/enforce"
	"anwei/internal/files"
	"anwei/internal/inbox"
	"anwei/internal/org"
	"anwei/internal/paging"
)

// TestCaseUnderTheClocks walks cases through 行政处罚法's clocks on both
// databases, the dates worked out by hand on the 2026 calendar (国庆
// 1–7 October, 10 October worked):
//
//   - A, from a violation found on 14 September: opened (90 days → 14
//     December), noticed on 28 September (陈述申辩 to 8 October, no hearing
//     at 2万), decided the same day once the party has stated its case,
//     served electronically after its signed consent (pay by 13 October);
//     the re-check finds it refused, so Art. 112 counts from 15 September;
//     paid on 20 October only with 7 days' 加处罚款 (4,200 of 20,000), closed;
//     the re-check that day finds it corrected: 36 days, 720,000 yuan, a
//     daily case of its own whose notice cites Art. 112.
//   - B, from a tip, 80,000: a hearing asked within 5 working days (10
//     October), set no earlier than 7 working days on (13 October) with a
//     chair who did not investigate; heard, reviewed, discussed, decided;
//     served on 13 October and not paid: on 1 December 34 days late, the
//     late fee is capped at the fine; 催告 and 加处罚款 are issued, the court
//     not yet (its window opens 14 April 2027).
//   - The party sees its cases only once told, a department only its own.
func TestCaseUnderTheClocks(t *testing.T) {
	dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		clock := calendar.NewFixed(time.Date(2026, 9, 14, 2, 0, 0, 0, time.UTC))
		db, s := apptest.SeededDemo(t, dialect, app.Wiring{Clock: clock}, 100, true)
		member, head, officer, officer2 := actor(t, s, "member"), actor(t, s, "head"), actor(t, s, "officer"), actor(t, s, "officer2")
		if err := s.Enforce.SetOfficer(ctx, member, enforce.OfficerInput{UserID: head.UserID, CertNo: "37010520100001", Active: true}); err != nil {
			t.Fatal(err)
		}
		crew := apptest.Crew{Planner: member, Approver: head, Team: []*org.Actor{officer, officer2}}
		firm := plannedTask(t, ctx, s.Enforce, member).EnterpriseID
		insp, err := apptest.Inspection(ctx, s.Enforce, clock, crew, firm, "closed")
		if err != nil {
			t.Fatal(err)
		}
		d, err := s.Enforce.GetInspection(ctx, officer, insp)
		if err != nil || len(d.Findings) != 1 {
			t.Fatalf("the inspection's findings: %+v %v", d.Findings, err)
		}
		finding := d.Findings[0].ID
		party := enterpriseActor(t, ctx, s, firm)
		team := []int64{officer.UserID, officer2.UserID}

		// 立案.
		if _, err := s.Enforce.OpenCase(ctx, officer, enforce.CaseInput{FindingID: finding, Officers: team[:1]}); !isField(err, "officers") {
			t.Errorf("one officer: %v", err)
		}
		if _, err := s.Enforce.OpenCase(ctx, officer, enforce.CaseInput{FindingID: finding, Officers: []int64{team[0], team[0]}}); !isField(err, "officers") {
			t.Errorf("one officer named twice: %v", err)
		}
		if _, err := s.Enforce.OpenCase(ctx, party, enforce.CaseInput{FindingID: finding, Officers: team}); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("the party opened a case: %v", err)
		}
		a, err := s.Enforce.OpenCase(ctx, officer, enforce.CaseInput{FindingID: finding, Officers: team})
		if err != nil {
			t.Fatal(err)
		}
		if a.DecideBy != "2026-12-14" || a.Article != 99 || !strings.Contains(a.Number, "立〔2026〕") || a.DueOn != "2026-12-14" {
			t.Errorf("case A: decide by %s, article %d, number %s, due %s", a.DecideBy, a.Article, a.Number, a.DueOn)
		}
		if _, err := s.Enforce.OpenCase(ctx, officer, enforce.CaseInput{FindingID: finding, Officers: team}); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("the same violation opened twice: %v", err)
		}
		if _, err := s.Enforce.GetCase(ctx, party, a.ID); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("the party sees a case under investigation: %v", err)
		}
		b, err := s.Enforce.OpenCase(ctx, officer2, enforce.CaseInput{Source: "tip", EnterpriseID: firm, SourceRef: "举报 2026-031", Violation: "a101-5",
			Facts: "未建立事故隐患排查治理制度", Officers: team})
		if err != nil {
			t.Fatal(err)
		}
		// One extension of 30 days, counted from 立案: 14 September + 120 =
		// 12 January 2027 (a Tuesday).
		if err := s.Enforce.Extend(ctx, head, b.ID, "需补充调取监控录像"); err != nil {
			t.Fatal(err)
		}
		if gb, _ := s.Enforce.GetCase(ctx, officer, b.ID); gb.DecideBy != "2027-01-12" {
			t.Errorf("B extended: decide by %s, want 2027-01-12", gb.DecideBy)
		}
		if err := s.Enforce.SetCaseRules(ctx, actor(t, s, "office"), enforce.CaseRules{HearingUnit: math.NaN(), HearingPerson: 1, StatementDays: 3, ExtensionDays: 30}); !isField(err, "hearing_unit") {
			t.Errorf("a threshold that is not a number: %v", err)
		}
		if err := s.Enforce.AddEvidence(ctx, officer, a.ID, enforce.EvidenceInput{Kind: "interview", Note: "问：配电室为何未设警示标志？\n答：疏忽了。",
			Files: []files.Upload{{Name: "笔录.png", Body: strings.NewReader(string(apptest.Signature()))}}}); err != nil {
			t.Fatal(err)
		}

		// 告知, on Monday 28 September.
		clock.Advance(14 * 24 * time.Hour)
		if err := s.Enforce.Notify(ctx, officer, a.ID, enforce.NoticeInput{Tier: "一般", Proposed: 60000}); !isField(err, "proposed") {
			t.Errorf("60,000 under Art. 99 (≤ 5万): %v", err)
		}
		if err := s.Enforce.Notify(ctx, officer, a.ID, enforce.NoticeInput{Proposed: 20000}); !isField(err, "tier") {
			t.Errorf("no 裁量 tier: %v", err)
		}
		if err := s.Enforce.Notify(ctx, officer, a.ID, enforce.NoticeInput{Tier: "较轻", Proposed: 20000}); !isField(err, "proposed") {
			t.Errorf("20,000 in the lightest tier (≤ 15,000): %v", err)
		}
		if err := s.Enforce.Notify(ctx, officer, a.ID, enforce.NoticeInput{Tier: "一般", Proposed: 20000}); err != nil {
			t.Fatal(err)
		}
		if err := s.Enforce.Notify(ctx, officer2, b.ID, enforce.NoticeInput{Tier: "较重", Proposed: 80000}); err != nil {
			t.Fatal(err)
		}
		ga, err := s.Enforce.GetCase(ctx, party, a.ID)
		if err != nil || ga.StatementBy != "2026-10-08" || ga.HearingBy != "" || ga.HearingRight {
			t.Fatalf("A noticed: statement by %s, hearing by %q (%v)", ga.StatementBy, ga.HearingBy, err)
		}
		for _, st := range ga.Steps {
			if st.Kind == "interview" {
				t.Error("the party reads the department's 询问笔录")
			}
		}
		notice := writ(t, ga.Writs, "notice")
		if !strings.Contains(fmt.Sprint(notice.Fields), "人民币贰万元整") || !strings.Contains(fmt.Sprint(notice.Fields), "2026年10月8日前") {
			t.Errorf("the 告知书: %v", notice.Fields)
		}
		gb, _ := s.Enforce.GetCase(ctx, officer, b.ID)
		if gb.HearingBy != "2026-10-10" || !gb.HearingRight {
			t.Errorf("B: hearing by %s, want 2026-10-10 (5 working days)", gb.HearingBy)
		}
		if err := s.Enforce.Decide(ctx, head, a.ID, enforce.DecideInput{Fine: 20000}); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("decided inside the statement period: %v", err)
		}
		if err := s.Enforce.State(ctx, party, a.ID, "我单位已当场设置警示标志，请求从轻处罚。", false); err != nil {
			t.Fatal(err)
		}
		if err := s.Enforce.Decide(ctx, head, a.ID, enforce.DecideInput{Fine: 20000}); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("decided while the party may still add to its statement: %v", err)
		}
		if err := s.Enforce.State(ctx, party, a.ID, "补充：附整改照片。陈述申辩完毕。", true); err != nil {
			t.Fatal(err)
		}
		if err := s.Enforce.Decide(ctx, officer, a.ID, enforce.DecideInput{Fine: 20000}); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("an officer decided: %v", err)
		}
		if err := s.Enforce.Decide(ctx, head, a.ID, enforce.DecideInput{Fine: 25000}); !isField(err, "fine") {
			t.Errorf("a fine above the notice's: %v", err)
		}
		if err := s.Enforce.Decide(ctx, head, a.ID, enforce.DecideInput{Waive: true, Reason: "首违"}); !isField(err, "waive") {
			t.Errorf("waived a violation not corrected: %v", err)
		}
		if err := s.Enforce.Decide(ctx, head, a.ID, enforce.DecideInput{Fine: 20000}); err != nil {
			t.Fatal(err)
		}
		ga, _ = s.Enforce.GetCase(ctx, officer, a.ID)
		if ga.State != enforce.CaseDecided || ga.DueOn != "2026-10-13" || ga.DecidedBy == "" {
			t.Errorf("A decided: %s, serve by %s (want 2026-10-13, 7 working days)", ga.State, ga.DueOn)
		}
		decision := writ(t, ga.Writs, "decision")
		for _, want := range []string{"人民币贰万元整", "六十日内", "六个月内", "百分之三", "提出陈述申辩 2 次"} {
			if !strings.Contains(fmt.Sprint(decision.Fields), want) {
				t.Errorf("the 决定书 lacks %q: %v", want, decision.Fields)
			}
		}
		if form, err := s.Enforce.CaseWritForm(ctx, party, a.ID, decision.ID); err != nil || !form.Receipt {
			t.Errorf("the party's 决定书: %v", err)
		} else if _, err := form.PDF(); err != nil {
			t.Errorf("the 决定书 PDF: %v", err)
		}
		if err := s.Enforce.Serve(ctx, officer, a.ID, enforce.ServeInput{How: "electronic"}); !isField(err, "how") {
			t.Errorf("electronic service without consent: %v", err)
		}
		if err := s.Enforce.Consent(ctx, party, a.ID, "王五"); err != nil {
			t.Fatal(err)
		}
		if err := s.Enforce.Serve(ctx, officer, a.ID, enforce.ServeInput{How: "electronic"}); err != nil {
			t.Fatal(err)
		}
		ga, _ = s.Enforce.GetCase(ctx, party, a.ID)
		if ga.PayBy != "2026-10-13" {
			t.Errorf("A: pay by %s, want 2026-10-13", ga.PayBy)
		}
		if todo := todoOf(t, ctx, s, party, fmt.Sprintf("/enforce/cases/%d", a.ID)); todo == nil || todo.Due != "2026-10-13" || todo.State != "案件已送达" {
			t.Errorf("the party's 待办 to pay: %+v", todo)
		}
		// The re-check (window from 21 September) finds it refused.
		if _, err := apptest.Recheck(ctx, s.Enforce, crew, insp, false); err != nil {
			t.Fatal(err)
		}
		ga, _ = s.Enforce.GetCase(ctx, officer, a.ID)
		if ga.Daily == nil || !ga.Daily.Running || ga.Daily.From != "2026-09-15" || ga.Daily.Days != 14 || ga.Daily.Total != 280000 {
			t.Errorf("the daily count on 28 September: %+v", ga.Daily)
		}

		// B's hearing.
		if err := s.Enforce.AskHearing(ctx, party, b.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.Enforce.SetHearing(ctx, officer, b.ID, enforce.HearingInput{On: "2026-10-12", Place: "区应急局三楼听证室", Chair: head.UserID}); !isField(err, "on") {
			t.Errorf("a hearing 6 working days on: %v", err)
		}
		if err := s.Enforce.SetHearing(ctx, officer, b.ID, enforce.HearingInput{On: "2026-10-13", Place: "区应急局三楼听证室", Chair: officer2.UserID}); !isField(err, "chair") {
			t.Errorf("an investigator chairs: %v", err)
		}
		if err := s.Enforce.SetHearing(ctx, officer, b.ID, enforce.HearingInput{On: "2026-10-13", Time: "09:30", Place: "区应急局三楼听证室", Chair: head.UserID}); err != nil {
			t.Fatal(err)
		}
		if err := s.Enforce.RecordHearing(ctx, officer, b.ID, "听证笔录"); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("heard before the day: %v", err)
		}

		// 13 October: B heard, reviewed, discussed, decided, served.
		clock.Advance(15 * 24 * time.Hour)
		if err := s.Enforce.RecordHearing(ctx, officer, b.ID, "当事人对事实无异议，请求从轻。"); err != nil {
			t.Fatal(err)
		}
		if err := s.Enforce.Decide(ctx, head, b.ID, enforce.DecideInput{Fine: 70000}); !apperr.Is(err, apperr.Conflict) || !strings.Contains(err.Error(), "法制审核") {
			t.Errorf("decided a heard case unreviewed: %v", err)
		}
		if err := s.Enforce.Review(ctx, officer, b.ID, "同意"); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("an investigator reviewed: %v", err)
		}
		if err := s.Enforce.Review(ctx, head, b.ID, "事实清楚，证据确凿，适用依据正确，程序合法，裁量适当。"); err != nil {
			t.Fatal(err)
		}
		if err := s.Enforce.Decide(ctx, head, b.ID, enforce.DecideInput{Fine: 70000}); !apperr.Is(err, apperr.Conflict) || !strings.Contains(err.Error(), "集体讨论") {
			t.Errorf("decided 70,000 without the collective discussion: %v", err)
		}
		if err := s.Enforce.Discuss(ctx, head, b.ID, "局长办公会: 同意罚款七万元。"); err != nil {
			t.Fatal(err)
		}
		if err := s.Enforce.Decide(ctx, head, b.ID, enforce.DecideInput{Fine: 69000}); !isField(err, "fine") {
			t.Errorf("69,000 below the 较重 tier: %v", err)
		}
		if err := s.Enforce.Decide(ctx, head, b.ID, enforce.DecideInput{Fine: 70000}); err != nil {
			t.Fatal(err)
		}
		if err := s.Enforce.Serve(ctx, officer, b.ID, enforce.ServeInput{How: "direct", On: "2026-10-14"}); !isField(err, "on") {
			t.Errorf("served tomorrow: %v", err)
		}
		if err := s.Enforce.Serve(ctx, officer, b.ID, enforce.ServeInput{How: "direct"}); err != nil {
			t.Fatal(err)
		}
		if err := s.Enforce.Remind(ctx, officer, a.ID); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("reminded on the last day to pay: %v", err)
		}

		// 20 October: A paid 7 days late, with its late fee.
		clock.Advance(7 * 24 * time.Hour)
		over, _, err := s.Enforce.Cases(ctx, member, enforce.CaseFilter{Overdue: true})
		if err != nil || !hasCase(over, a.ID) || hasCase(over, b.ID) {
			t.Errorf("overdue on 20 October: %v (%v)", ids(over), err)
		}
		ga, _ = s.Enforce.GetCase(ctx, party, a.ID)
		if ga.Owed.LateDays != 7 || ga.Owed.LateFee != 4200 || ga.Owed.Total != 24200 {
			t.Errorf("owed on 20 October: %+v", ga.Owed)
		}
		if err := s.Enforce.Pay(ctx, party, a.ID, enforce.PayInput{Amount: 20000, Receipt: "3701202610200001"}); !isField(err, "amount") || !strings.Contains(err.Error(), "4200.00") {
			t.Errorf("paid without the late fee: %v", err)
		}
		// A backdated payment is today's: the late fee stays.
		if err := s.Enforce.Pay(ctx, party, a.ID, enforce.PayInput{On: "2026-10-13", Amount: 20000, Receipt: "3701202610200001"}); !isField(err, "amount") {
			t.Errorf("the party backdated its payment: %v", err)
		}
		if err := s.Enforce.Pay(ctx, party, a.ID, enforce.PayInput{Amount: 24200, Receipt: "3701202610200001"}); err != nil {
			t.Fatal(err)
		}
		// The money did not arrive: unpaid again, the party's 待办 back.
		if err := s.Enforce.NotPaid(ctx, officer, a.ID, "经核对国库缴款记录，未见该笔款项"); err != nil {
			t.Fatal(err)
		}
		if todo := todoOf(t, ctx, s, party, fmt.Sprintf("/enforce/cases/%d", a.ID)); todo == nil {
			t.Error("the party's 待办 to pay is not back")
		}
		if err := s.Enforce.Pay(ctx, party, a.ID, enforce.PayInput{Amount: 24200, Receipt: "3701202610200002"}); err != nil {
			t.Fatal(err)
		}
		if todo := todoOf(t, ctx, s, party, fmt.Sprintf("/enforce/cases/%d", a.ID)); todo != nil {
			t.Errorf("the party's 待办 after paying: %+v", todo)
		}
		if todo := todoOf(t, ctx, s, member, fmt.Sprintf("/enforce/cases/%d", a.ID)); todo == nil || todo.State != "案件已缴纳" {
			t.Errorf("the department's 待办 to close: %+v", todo)
		}
		if err := s.Enforce.CloseCase(ctx, head, a.ID, ""); err != nil {
			t.Fatal(err)
		}
		if todo := todoOf(t, ctx, s, member, fmt.Sprintf("/enforce/cases/%d", a.ID)); todo != nil {
			t.Errorf("the department's 待办 once closed: %+v", todo)
		}
		ga, _ = s.Enforce.GetCase(ctx, officer, a.ID)
		if ga.State != enforce.CaseClosed || ga.Surcharge != 4200 || ga.Paid != 24200 || ga.Daily == nil || ga.Daily.Days != 36 {
			t.Errorf("A closed: %s, surcharge %.2f, paid %.2f, daily %+v", ga.State, ga.Surcharge, ga.Paid, ga.Daily)
		}
		if _, err := s.Enforce.OpenDaily(ctx, officer, a.ID); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("a daily case while the refusal goes on: %v", err)
		}
		if err := s.Enforce.Corrected(ctx, officer, a.ID, "2026-10-20", "警示标志已设置"); err != nil {
			t.Fatal(err)
		}
		c, err := s.Enforce.OpenDaily(ctx, officer, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if c.Proposed != 720000 || c.DailyDays != 36 || c.Article != 112 || c.OfCase != a.ID {
			t.Errorf("the daily case: %.2f yuan, %d days, article %d", c.Proposed, c.DailyDays, c.Article)
		}
		if err := s.Enforce.Notify(ctx, officer, c.ID, enforce.NoticeInput{}); err != nil {
			t.Fatal(err)
		}
		gc, _ := s.Enforce.GetCase(ctx, officer, c.ID)
		if n := fmt.Sprint(writ(t, gc.Writs, "notice").Fields); !strings.Contains(n, "第一百一十二条") || !strings.Contains(n, "人民币柒拾贰万元整") || gc.HearingBy == "" {
			t.Errorf("the daily case's notice: %s (hearing by %q)", n, gc.HearingBy)
		}

		// 1 December: B 34 days late, the fee capped at the fine.
		clock.Advance(42 * 24 * time.Hour)
		gb, _ = s.Enforce.GetCase(ctx, officer, b.ID)
		if gb.PayBy != "2026-10-28" || gb.Owed.LateDays != 34 || gb.Owed.LateFee != 70000 || gb.Owed.Total != 140000 {
			t.Errorf("B owed on 1 December: pay by %s, %+v", gb.PayBy, gb.Owed)
		}
		if err := s.Enforce.Surcharge(ctx, officer, b.ID); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("加处罚款 before the 催告: %v", err)
		}
		if err := s.Enforce.Remind(ctx, officer, b.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.Enforce.Surcharge(ctx, officer, b.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.Enforce.ApplyCourt(ctx, officer, b.ID); !apperr.Is(err, apperr.Conflict) || !strings.Contains(err.Error(), "2027-04-14") {
			t.Errorf("the court asked before the window: %v", err)
		}
		if err := s.Enforce.CloseCase(ctx, head, b.ID, ""); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("closed unpaid: %v", err)
		}
		gb, _ = s.Enforce.GetCase(ctx, party, b.ID)
		if gb.Surcharge != 70000 || gb.DueOn != "2027-07-13" || !strings.Contains(fmt.Sprint(writ(t, gb.Writs, "surcharge").Fields), "70000.00") {
			t.Errorf("B after 催告 and 加处罚款: surcharge %.2f, due %s %s", gb.Surcharge, gb.DueOn, gb.DueWhat)
		}

		// Scope: a street sees no case (属地 does not enforce); the party its own.
		if list, _, err := s.Enforce.Cases(ctx, actor(t, s, "street"), enforce.CaseFilter{}); err != nil || len(list) != 0 {
			t.Errorf("a street sees %d cases (%v)", len(list), err)
		}
		mine, n, err := s.Enforce.Cases(ctx, party, enforce.CaseFilter{})
		if err != nil || len(mine) != 3 || n != 3 {
			t.Errorf("the party sees %d cases (%v), want 3", len(mine), err)
		}
		var events int
		if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM audit_events WHERE object_kind = 'enforce_case' AND object_id IN (?, ?, ?)",
			fmt.Sprint(a.ID), fmt.Sprint(b.ID), fmt.Sprint(c.ID)).Scan(&events); err != nil || events != 27 { // every step above that changed something
			t.Errorf("audited case steps: %d (%v)", events, err)
		}
	})
}

func writ(t *testing.T, ws []enforce.CaseWrit, kind string) enforce.CaseWrit {
	t.Helper()
	for _, w := range ws {
		if w.Kind == kind {
			return w
		}
	}
	t.Fatalf("no %s writ among %d", kind, len(ws))
	return enforce.CaseWrit{}
}

func hasCase(cs []enforce.PenaltyCase, id int64) bool {
	for _, c := range cs {
		if c.ID == id {
			return true
		}
	}
	return false
}

func ids(cs []enforce.PenaltyCase) []int64 {
	var out []int64
	for _, c := range cs {
		out = append(out, c.ID)
	}
	return out
}

// todoOf is the actor's open to-do linking to link, nil when none.
func todoOf(t *testing.T, ctx context.Context, s *app.Services, a *org.Actor, link string) *inbox.Todo {
	t.Helper()
	ts, _, err := s.Inbox.ListTodo(ctx, a, calendar.Local(s.Clock.Now()).Format("2006-01-02"), paging.Page{Limit: 200})
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
