package enforce_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"anwei/internal/app"
	"anwei/internal/app/apptest"
	"anwei/internal/apperr"
	"anwei/internal/calendar"
	"anwei/internal/enforce"
	"anwei/internal/org"
	"anwei/internal/paging"
	"anwei/internal/store"
)

// setUp is a department's crew on the seeded demo at clock.
func setUp(t *testing.T, dialect string, clock *calendar.Fixed) (*store.DB, *app.Services, apptest.Crew) {
	t.Helper()
	db, s := apptest.SeededDemo(t, dialect, app.Wiring{Clock: clock}, 100, true)
	member, head := actor(t, s, "member"), actor(t, s, "head")
	if err := s.Enforce.SetOfficer(context.Background(), member, enforce.OfficerInput{UserID: head.UserID, CertNo: "37010520100001", Active: true}); err != nil {
		t.Fatal(err)
	}
	return db, s, apptest.Crew{Planner: member, Approver: head, Team: []*org.Actor{actor(t, s, "officer"), actor(t, s, "officer2")}}
}

// supervised is an enterprise the crew's department supervises with (or
// without) an open 重大事故隐患.
func supervised(t *testing.T, db *store.DB, crew apptest.Crew, major bool) int64 {
	t.Helper()
	cond := "NOT EXISTS"
	if major {
		cond = "EXISTS"
	}
	var id int64
	err := db.QueryRow(context.Background(), `SELECT s.enterprise_id FROM supervisions s JOIN enterprises e ON e.unit_id = s.enterprise_id
		WHERE s.dept_id = ? AND e.status = 'operating' AND NOT EXISTS (SELECT 1 FROM enforce_conflicts c WHERE c.enterprise_id = s.enterprise_id) AND `+cond+` (SELECT 1 FROM hazard_counts h WHERE h.unit_id = s.enterprise_id AND h.open_major > 0)
		AND NOT EXISTS (SELECT 1 FROM enforce_cases k WHERE k.enterprise_id = s.enterprise_id)
		ORDER BY s.enterprise_id LIMIT 1`, crew.Planner.Unit.ID).Scan(&id)
	if err != nil {
		t.Fatalf("a supervised enterprise (major hazard %v): %v", major, err)
	}
	return id
}

// TestClosureTriggerAtItsBoundaries counts 安全生产法 Art. 113 (一) on both
// databases as each decision is made: with an open 重大事故隐患, the third
// penalty within 180 days or the fourth within a year flags the enterprise;
// a day further back does not count; without a major hazard nothing is
// flagged. Earlier decisions are moved back by hand (the windows are a
// year long); the decision that counts is made by the service.
func TestClosureTriggerAtItsBoundaries(t *testing.T) {
	dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		clock := calendar.NewFixed(time.Date(2026, 9, 14, 2, 0, 0, 0, time.UTC))
		db, s, crew := setUp(t, dialect, clock)
		D := time.Date(2026, 9, 14, 0, 0, 0, 0, time.UTC)
		decide := func(firm int64) int64 {
			t.Helper()
			id, err := apptest.Case(ctx, s.Enforce, crew, firm, "decided")
			if err != nil {
				t.Fatal(err)
			}
			return id
		}
		back := func(days map[int64]int) {
			t.Helper()
			err := db.Tx(ctx, func(tx *store.Tx) error {
				for id, n := range days {
					if _, err := tx.Exec(ctx, "UPDATE enforce_cases SET decided_on = ? WHERE id = ?", D.AddDate(0, 0, -n).Format("2006-01-02"), id); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		flags := func(firm int64) []enforce.Escalation {
			t.Helper()
			xs, n, err := s.Enforce.Escalations(ctx, crew.Planner, enforce.EscalationFilter{Kind: enforce.EscClosure, Enterprise: firm, State: enforce.EscFlagged})
			if err != nil || n != len(xs) {
				t.Fatal(n, err)
			}
			return xs
		}

		plain := supervised(t, db, crew, false)
		for range 3 {
			decide(plain)
		}
		if got := flags(plain); len(got) != 0 {
			t.Errorf("three penalties on one day without a major hazard flagged: %+v", got)
		}
		e, err := s.Ents.Get(ctx, crew.Planner, plain)
		if err != nil || !strings.Contains(e.ClassReason, "近12个月违法行为 3 次") {
			t.Errorf("the class does not count the decided penalties: %q %v", e.ClassReason, err)
		}
		// A year and a day on, the scheduler's sweep takes them out.
		var plainCases []int64
		cs, _, _ := s.Enforce.Cases(ctx, crew.Planner, enforce.CaseFilter{Enterprise: plain})
		for _, c := range cs {
			plainCases = append(plainCases, c.ID)
		}
		back(map[int64]int{plainCases[0]: 366, plainCases[1]: 366, plainCases[2]: 366})
		if n, err := s.Enforce.AgeOut(ctx); err != nil || n != 1 {
			t.Errorf("the sweep reclassified %d (%v)", n, err)
		}
		if e, _ = s.Ents.Get(ctx, crew.Planner, plain); strings.Contains(e.ClassReason, "违法行为") {
			t.Errorf("penalties over a year old still count: %q", e.ClassReason)
		}

		firm := supervised(t, db, crew, true)
		m1, m2 := decide(firm), decide(firm)
		back(map[int64]int{m1: 180, m2: 90})
		m3 := decide(firm)
		if got := flags(firm); len(got) != 0 {
			t.Errorf("3 penalties, the first 180 days back (outside), flagged: %+v", got)
		}
		back(map[int64]int{m1: 365, m2: 250, m3: 100})
		m4 := decide(firm)
		if got := flags(firm); len(got) != 0 {
			t.Errorf("4 penalties, the first 365 days back (outside the year), flagged: %+v", got)
		}
		back(map[int64]int{m1: 365, m2: 364, m3: 250, m4: 200})
		m5 := decide(firm)
		got := flags(firm)
		if len(got) != 1 || got[0].CaseID != m5 || !strings.Contains(got[0].Grounds, "一百八十日内受到行政处罚 1 次、一年内 4 次") ||
			!strings.Contains(got[0].Grounds, "第一百一十三条") {
			t.Fatalf("4 within the year, the first on its 365th day back: %+v", got)
		}
		if todoOf(t, ctx, s, crew.Planner, fmt.Sprintf("/enforce/escalations?case=%d", m5)) == nil {
			t.Error("the department was not asked to deal with the flag")
		}
		if xs, _, err := s.Enforce.Escalations(ctx, enterpriseActor(t, ctx, s, firm), enforce.EscalationFilter{}); len(xs) != 0 || !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("the enterprise sees the escalations: %d %v", len(xs), err)
		}
		if err := s.Enforce.ActOnEscalation(ctx, crew.Team[0], got[0].ID, enforce.EscalationInput{Action: "dismiss", Note: "x"}); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("an officer decided the closure flag: %v", err)
		}
		if err := s.Enforce.ActOnEscalation(ctx, crew.Approver, got[0].ID, enforce.EscalationInput{Action: "done"}); !isField(err, "note") {
			t.Errorf("done without a word: %v", err)
		}
		if err := s.Enforce.ActOnEscalation(ctx, crew.Approver, got[0].ID, enforce.EscalationInput{Action: "done", Note: "已提请"}); !isField(err, "to_whom") {
			t.Errorf("提请 without the government: %v", err)
		}
		if err := s.Enforce.ActOnEscalation(ctx, crew.Approver, got[0].ID, enforce.EscalationInput{Action: "dismiss", Note: "隐患已于复查时整改，暂不提请"}); err != nil {
			t.Fatal(err)
		}
		back(map[int64]int{m1: 400, m2: 400, m3: 400, m4: 179, m5: 90})
		m6 := decide(firm)
		got = flags(firm)
		if len(got) != 1 || got[0].CaseID != m6 || !strings.Contains(got[0].Grounds, "一百八十日内受到行政处罚 3 次、一年内 3 次") {
			t.Fatalf("3 within 180 days, the first on its 180th day: %+v", got)
		}
		if err := s.Enforce.ActOnEscalation(ctx, crew.Approver, got[0].ID, enforce.EscalationInput{Action: "done", ToWhom: "历下区人民政府",
			Note: "历下应急〔2026〕12号 提请予以关闭"}); err != nil {
			t.Fatal(err)
		}
		if err := s.Enforce.ActOnEscalation(ctx, crew.Approver, got[0].ID, enforce.EscalationInput{Action: "done", ToWhom: "x", Note: "again"}); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("acted on twice: %v", err)
		}
		// A fourth within 180 days flags again; its decision revoked, the
		// flag goes with it.
		m7 := decide(firm)
		if got = flags(firm); len(got) != 1 || got[0].CaseID != m7 {
			t.Fatalf("the next decision's flag: %+v", got)
		}
		if err := s.Enforce.Revise(ctx, crew.Approver, m7, enforce.ReviseInput{Kind: "revoked", Reason: "本机关纠错"}); err != nil {
			t.Fatal(err)
		}
		if got = flags(firm); len(got) != 0 {
			t.Errorf("a revoked decision's flag stays open: %+v", got)
		}
	})
}

// TestCriminalAndCreditFlags: an accident case whose facts reach a
// threshold of the 2015 interpretation is flagged for 移送司法 when it is
// opened, and the transfer issues the 移送书; a decision under Art. 114 for
// a 较大 accident proposes the 严重失信 listing, which the department
// confirms into the registry's 名单. Facts just below the thresholds flag
// nothing.
func TestCriminalAndCreditFlags(t *testing.T) {
	dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		clock := calendar.NewFixed(time.Date(2026, 9, 14, 2, 0, 0, 0, time.UTC))
		db, s, crew := setUp(t, dialect, clock)
		o, head := crew.Team[0], crew.Approver
		team := []int64{crew.Team[0].UserID, crew.Team[1].UserID}
		firm := supervised(t, db, crew, false)
		kinds := func(caseID int64) map[string]string {
			xs, _, err := s.Enforce.Escalations(ctx, crew.Planner, enforce.EscalationFilter{Case: caseID})
			if err != nil {
				t.Fatal(err)
			}
			out := map[string]string{}
			for _, x := range xs {
				out[x.Kind] = x.Grounds
			}
			return out
		}
		below, err := s.Enforce.OpenCase(ctx, o, enforce.CaseInput{Source: "accident", EnterpriseID: firm, SourceRef: "事故 2026-07", Article: 114, Grade: "一般",
			Facts: "叉车碰撞致 2 人重伤", Officers: team, Injuries: 2, Loss: 999999.99, MainBlame: true})
		if err != nil {
			t.Fatal(err)
		}
		if k := kinds(below.ID); len(k) != 0 {
			t.Errorf("2 serious injuries and 999,999.99 yuan flagged: %v", k)
		}
		c, err := s.Enforce.OpenCase(ctx, o, enforce.CaseInput{Source: "accident", EnterpriseID: firm, SourceRef: "事故 2026-08", Article: 114, Grade: "较大",
			Facts: "有限空间作业中毒，3 人死亡", Officers: team, Deaths: 3, MainBlame: true})
		if err != nil {
			t.Fatal(err)
		}
		k := kinds(c.ID)
		if !strings.Contains(k[enforce.EscTransfer], "第七条") || len(k) != 1 {
			t.Fatalf("3 deaths, mainly to blame: %v", k)
		}
		xs, _, _ := s.Enforce.Escalations(ctx, crew.Planner, enforce.EscalationFilter{Case: c.ID})
		if err := s.Enforce.ActOnEscalation(ctx, o, xs[0].ID, enforce.EscalationInput{Action: "done", ToWhom: "历下公安分局", Note: "案卷材料 1 册"}); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("the investigating officer transferred the case: %v", err)
		}
		if err := s.Enforce.ActOnEscalation(ctx, head, xs[0].ID, enforce.EscalationInput{Action: "done", ToWhom: "历下公安分局", Note: "案卷材料 1 册、证据清单"}); err != nil {
			t.Fatal(err)
		}
		d, err := s.Enforce.GetCase(ctx, o, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if w := writ(t, d.Writs, "transfer"); !strings.Contains(w.Number, "移〔2026〕") {
			t.Errorf("the 移送书: %+v", w)
		}

		// Decided at 1,000,000 yuan (Art. 114 (二)): heard, reviewed and
		// discussed as the amount requires.
		if err := s.Enforce.Notify(ctx, o, c.ID, enforce.NoticeInput{Proposed: 1000000}); err != nil {
			t.Fatal(err)
		}
		if err := s.Enforce.State(ctx, o, c.ID, "无异议", true); err != nil {
			t.Fatal(err)
		}
		clock.Advance(10 * 24 * time.Hour) // past the 5 working days to ask for a hearing
		for _, step := range []func() error{
			func() error { return s.Enforce.Review(ctx, head, c.ID, "事实清楚，证据确凿") },
			func() error { return s.Enforce.Discuss(ctx, head, c.ID, "同意处罚") },
			func() error { return s.Enforce.Decide(ctx, head, c.ID, enforce.DecideInput{Fine: 1000000}) },
		} {
			if err := step(); err != nil {
				t.Fatal(err)
			}
		}
		k = kinds(c.ID)
		if !strings.Contains(k[enforce.EscCredit], "发生较大及以上生产安全责任事故") {
			t.Fatalf("a 较大 accident's penalty proposes no listing: %v", k)
		}
		xs, _, _ = s.Enforce.Escalations(ctx, crew.Planner, enforce.EscalationFilter{Case: c.ID, Kind: enforce.EscCredit})
		if err := s.Enforce.ActOnEscalation(ctx, o, xs[0].ID, enforce.EscalationInput{Action: "done", Note: "发生较大生产安全责任事故"}); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("an officer without the credit right listed it: %v", err)
		}
		if err := s.Enforce.ActOnEscalation(ctx, crew.Planner, xs[0].ID, enforce.EscalationInput{Action: "done", Note: "发生较大生产安全责任事故"}); err != nil {
			t.Fatal(err)
		}
		ls, err := s.Ents.ListCredit(ctx, crew.Planner, firm)
		if err != nil || len(ls) != 1 || !strings.Contains(ls[0].DecisionNo, "罚〔2026〕") || ls[0].AuthorityID != crew.Planner.Unit.ID {
			t.Fatalf("the listing: %+v %v", ls, err)
		}
		xs, _, _ = s.Enforce.Escalations(ctx, crew.Planner, enforce.EscalationFilter{Case: c.ID, Kind: enforce.EscCredit})
		if xs[0].State != enforce.EscDone || xs[0].ListingID != ls[0].ID {
			t.Errorf("the proposal after confirming: %+v", xs[0])
		}
	})
}

// TestPublicationClocks: a decision made on Wednesday 23 September 2026 is
// due on the public page by Saturday 10 October (7 working days: 中秋 on the
// 25th, 国庆 1–7 October, the 10th worked); published
// on 12 October it is late; revoked that day it must be withdrawn by 15
// October (3 working days), is overdue on the 16th, and once withdrawn the
// public sees its reason and no party. A decision revoked before it was
// published need not be; a changed one is withdrawn and due again.
func TestPublicationClocks(t *testing.T) {
	dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		// The demo as loaded on 14 September (the other tests' template), then
		// to Wednesday 23 September.
		clock := calendar.NewFixed(time.Date(2026, 9, 14, 2, 0, 0, 0, time.UTC))
		db, s, crew := setUp(t, dialect, clock)
		clock.Advance(9 * 24 * time.Hour)
		o, head := crew.Team[0], crew.Approver
		firm := supervised(t, db, crew, false)
		pubOf := func(caseID int64) []enforce.Publication {
			t.Helper()
			ps, _, err := s.Enforce.Publications(ctx, crew.Planner, enforce.PublicationFilter{Case: caseID})
			if err != nil {
				t.Fatal(err)
			}
			return ps
		}
		public := func() map[string]enforce.Publication {
			t.Helper()
			ps, _, err := s.Enforce.Public(ctx, enforce.PublicFilter{Kind: enforce.PubDecision, Page: paging.Page{Limit: 500}})
			if err != nil {
				t.Fatal(err)
			}
			out := map[string]enforce.Publication{}
			for _, p := range ps {
				out[p.Content.Number] = p
			}
			return out
		}
		id, err := apptest.Case(ctx, s.Enforce, crew, firm, "decided")
		if err != nil {
			t.Fatal(err)
		}
		ps := pubOf(id)
		if len(ps) != 1 || ps[0].DueOn != "2026-10-10" || ps[0].State != enforce.PubDue || ps[0].Overdue {
			t.Fatalf("the decision's publication: %+v", ps)
		}
		if td := todoOf(t, ctx, s, crew.Planner, fmt.Sprintf("/enforce/publications?state=due#p%d", ps[0].ID)); td == nil || td.Due != "2026-10-10" {
			t.Errorf("the department's 待办: %+v", td)
		}
		firmName := ps[0].Enterprise
		shownBefore := public()
		for _, p := range shownBefore {
			if p.Content.Party == firmName {
				t.Fatalf("a decision not yet published is on the public page: %+v", p)
			}
		}
		before, _ := s.Enforce.OverduePublications(ctx, crew.Planner)
		clock.Advance(19 * 24 * time.Hour) // Monday 12 October
		if n, _ := s.Enforce.OverduePublications(ctx, crew.Planner); n != before+1 || !pubOf(id)[0].Overdue {
			t.Errorf("on 12 October: overdue %d (before %d)", n, before)
		}
		if err := s.Enforce.Publish(ctx, enterpriseActor(t, ctx, s, firm), ps[0].ID, enforce.PublishInput{}); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("the party published: %v", err)
		}
		if err := s.Enforce.Publish(ctx, o, ps[0].ID, enforce.PublishInput{}); err != nil {
			t.Fatal(err)
		}
		if err := s.Enforce.Publish(ctx, o, ps[0].ID, enforce.PublishInput{}); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("published twice: %v", err)
		}
		p := pubOf(id)[0]
		if p.State != enforce.PubPublished || p.PublishedOn != "2026-10-12" || !p.Late || p.Overdue {
			t.Errorf("published late: %+v", p)
		}
		if now := public(); len(now) != len(shownBefore)+1 {
			t.Errorf("publishing one decision shows %d more", len(now)-len(shownBefore))
		}
		on := public()[p.Content.Number]
		if on.Content.Party == "" || !strings.Contains(on.Content.Decision, "20000.00") || on.Content.Number == "" || on.EnterpriseID != 0 ||
			(on.Content.LegalRep != "" && !strings.Contains(on.Content.LegalRep, "*")) {
			t.Errorf("on the public page: %+v", on)
		}

		if err := s.Enforce.Revise(ctx, o, id, enforce.ReviseInput{Kind: "revoked", Reason: "x"}); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("an investigator revoked the decision: %v", err)
		}
		if err := s.Enforce.Revise(ctx, head, id, enforce.ReviseInput{Kind: "revoked", Reason: "历下政复决字〔2026〕3号 行政复议决定撤销"}); err != nil {
			t.Fatal(err)
		}
		p = pubOf(id)[0]
		if p.WithdrawBy != "2026-10-15" || p.Due != "撤回" || p.Overdue {
			t.Errorf("to withdraw: %+v", p)
		}
		clock.Advance(4 * 24 * time.Hour) // Friday 16 October
		if p = pubOf(id)[0]; !p.Overdue {
			t.Errorf("not withdrawn by the 15th and not overdue: %+v", p)
		}
		if err := s.Enforce.Withdraw(ctx, o, p.ID, " "); !isField(err, "reason") {
			t.Errorf("withdrawn without a reason: %v", err)
		}
		if err := s.Enforce.Withdraw(ctx, o, p.ID, "该处罚决定已被行政复议决定撤销"); err != nil {
			t.Fatal(err)
		}
		p = pubOf(id)[0]
		if p.State != enforce.PubWithdrawn || p.WithdrawnOn != "2026-10-16" || !p.Late || p.Content.Party == "" {
			t.Errorf("withdrawn (its history kept): %+v", p)
		}
		on = public()[p.Content.Number]
		if on.State != enforce.PubWithdrawn || on.Reason != "该处罚决定已被行政复议决定撤销" || on.Content.Party != "" || on.Content.Facts != "" || on.Enterprise != "" {
			t.Errorf("withdrawn on the public page: %+v", on)
		}
		if c, _ := s.Enforce.GetCase(ctx, o, id); c.State != enforce.CaseRevoked {
			t.Errorf("the case: %s", c.State)
		}

		// Revoked before it was published: dropped. Changed after: due again.
		dropped, err := apptest.Case(ctx, s.Enforce, crew, firm, "decided")
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Enforce.Revise(ctx, head, dropped, enforce.ReviseInput{Kind: "revoked", Reason: "本机关纠错"}); err != nil {
			t.Fatal(err)
		}
		if ps := pubOf(dropped); len(ps) != 1 || ps[0].State != enforce.PubDropped {
			t.Errorf("revoked before publication: %+v", ps)
		}
		changed, err := apptest.Case(ctx, s.Enforce, crew, firm, "served")
		if err != nil {
			t.Fatal(err)
		}
		// Published with the facts the department wrote for it: masked again.
		if err := s.Enforce.Publish(ctx, o, pubOf(changed)[0].ID, enforce.PublishInput{Facts: "配电室未设置安全警示标志 (举报人电话 13912345678)"}); err != nil {
			t.Fatal(err)
		}
		shown := public()[pubOf(changed)[0].Content.Number]
		if shown.Content.Facts != "配电室未设置安全警示标志 (举报人电话 139****5678)" {
			t.Errorf("the facts as published: %q", shown.Content.Facts)
		}
		if err := s.Enforce.Withdraw(ctx, o, pubOf(changed)[0].ID, "发布有误"); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("a decision still in force withdrawn: %v", err)
		}
		classBefore, _ := s.Ents.Get(ctx, crew.Planner, firm)
		if err := s.Enforce.Revise(ctx, head, changed, enforce.ReviseInput{Kind: "changed", Fine: 25000, Reason: "复议"}); !isField(err, "fine") {
			t.Errorf("changed to a heavier fine: %v", err)
		}
		if err := s.Enforce.Revise(ctx, head, changed, enforce.ReviseInput{Kind: "changed", Fine: 10000, Reason: "历下政复决字〔2026〕4号 变更"}); err != nil {
			t.Fatal(err)
		}
		ps = pubOf(changed)
		states := map[string]string{}
		for _, p := range ps {
			states[p.State] = p.WithdrawBy + p.DueOn
		}
		if len(ps) != 2 || states[enforce.PubPublished] != "2026-10-21"+"2026-10-27" || states[enforce.PubDue] != "2026-10-27" {
			t.Errorf("changed after publication: %+v", ps)
		}
		if c, _ := s.Enforce.GetCase(ctx, o, changed); c.Fine != 10000 || c.State != enforce.CaseServed {
			t.Errorf("the changed case: %v %s", c.Fine, c.State)
		}
		if on := public()[shown.Content.Number]; on.Reason != "" || on.Revision != "" || on.State != enforce.PubPublished {
			t.Errorf("the department's note on the change reaches the public: %+v", on)
		}
		if e, _ := s.Ents.Get(ctx, crew.Planner, firm); e.ClassReason != classBefore.ClassReason || !strings.Contains(e.ClassReason, "违法行为") {
			t.Errorf("a changed decision stops counting: %q, before %q", e.ClassReason, classBefore.ClassReason)
		}

		// The demo's 双随机 inspections: each result due 20 working days
		// after it closed, published with its draw, record and outcome.
		draws, _, err := s.Enforce.Publications(ctx, crew.Planner, enforce.PublicationFilter{Kind: enforce.PubDraw, Page: paging.Page{Limit: 500}})
		if err != nil || len(draws) == 0 {
			t.Fatalf("the demo's draw results: %d %v", len(draws), err)
		}
		for _, p := range draws {
			from, _ := time.ParseInLocation("2006-01-02", p.BasisOn, calendar.Shanghai)
			if want := calendar.AddWorkdays(from, 20).Format("2006-01-02"); p.DueOn != want {
				t.Errorf("a draw result closed on %s is due %s, want %s", p.BasisOn, p.DueOn, want)
			}
		}
		var drawShown bool
		ps2, _, _ := s.Enforce.Public(ctx, enforce.PublicFilter{Kind: enforce.PubDraw, Page: paging.Page{Limit: 500}})
		for _, p := range ps2 {
			c := p.Content
			drawShown = drawShown || (strings.Contains(c.Draw, "双随机抽查") && len(c.Commitment) == 64 && c.Result != "" && c.InspectedOn != "" && c.Party != "")
		}
		if !drawShown {
			t.Errorf("no draw result on the public page with its draw, record and outcome: %+v", ps2)
		}
	})
}
