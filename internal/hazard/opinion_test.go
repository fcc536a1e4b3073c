package hazard_test

import (
	"fmt"
	"strings"
	"testing"

	"anwei/internal/app/apptest"
	"anwei/internal/apperr"
	"anwei/internal/hazard"
	"anwei/internal/org"
	"anwei/internal/paging"
)

// TestExpertsJudgeOnRequest: the department asks two named experts of the
// district's 专家库 to judge a hazard; each is told and sees only that
// hazard and its own request; only the named expert answers, once; the
// department is told and reads both opinions; it judges, and the expert
// then sees the decision; a judged hazard takes no request nor answer.
func TestExpertsJudgeOnRequest(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		w := newWorld(t, dialect)
		ctx := w.ctx
		expert := actor(t, w.orgs, "expert")
		if _, err := w.orgs.CreateUser(ctx, org.System, org.UserInput{Username: "expert2", DisplayName: "周工", UnitID: expert.Unit.ID,
			Roles: []org.Role{org.RoleExpert}, Password: "Anquan2026"}); err != nil {
			t.Fatal(err)
		}
		expert2 := actor(t, w.orgs, "expert2")
		h, err := w.svc.Report(ctx, w.ent, hazard.ReportInput{EnterpriseID: w.ent.Unit.ID, Place: "液氯汽化器", Description: "汽化器出口温度报警未与热水进料联锁"})
		if err != nil {
			t.Fatal(err)
		}
		other, err := w.svc.Report(ctx, w.ent, hazard.ReportInput{EnterpriseID: w.ent.Unit.ID, Place: "配电室", Description: "柜前未铺绝缘垫"})
		if err != nil {
			t.Fatal(err)
		}

		// The department's choice: the district's experts; nobody else may ask.
		xs, n, err := w.svc.Experts(ctx, w.member, "", paging.Page{})
		if err != nil || n != 2 || len(xs) != 2 {
			t.Fatalf("experts the department may ask: %+v %d %v, want 陈工 and 周工", xs, n, err)
		}
		if _, _, err := w.svc.Experts(ctx, w.ent, "", paging.Page{}); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("enterprise lists experts: %v", err)
		}
		// Before it is asked, the expert sees no hazard.
		if _, err := w.svc.Get(ctx, expert, h.ID); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("expert sees a hazard it was not asked about: %v", err)
		}
		ask := hazard.AskInput{ExpertIDs: []int64{expert.UserID, expert2.UserID}, Question: "是否构成重大事故隐患？"}
		for _, c := range []struct {
			a    *org.Actor
			in   hazard.AskInput
			want apperr.Code
		}{
			{w.ent, ask, apperr.Forbidden},
			{expert, ask, apperr.Forbidden},
			{w.member, hazard.AskInput{ExpertIDs: ask.ExpertIDs}, apperr.Invalid},
			{w.member, hazard.AskInput{Question: ask.Question}, apperr.Invalid},
			{w.member, hazard.AskInput{ExpertIDs: ask.ExpertIDs, Question: strings.Repeat("问", hazard.OpinionLimits["question"]+1)}, apperr.Invalid},
			{w.member, hazard.AskInput{ExpertIDs: []int64{w.ent.UserID}, Question: ask.Question}, apperr.Invalid}, // not an expert
		} {
			if _, err := w.svc.AskExperts(ctx, c.a, h.ID, c.in); !apperr.Is(err, c.want) {
				t.Errorf("%s asks %+v: err = %v, want %s", c.a.Username, c.in.ExpertIDs, err, c.want)
			}
		}
		os, err := w.svc.AskExperts(ctx, w.member, h.ID, ask)
		if err != nil || len(os) != 2 {
			t.Fatalf("ask: %+v %v", os, err)
		}
		if _, err := w.svc.AskExperts(ctx, w.member, h.ID, hazard.AskInput{ExpertIDs: []int64{expert.UserID}, Question: "再问"}); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("asked twice while pending: %v", err)
		}
		// Each expert is asked by name: the pool's inbox is one unit's, yet
		// neither expert reads the other's request.
		for _, x := range []*org.Actor{expert, expert2} {
			if n := unsettled(t, w, x); n != 1 {
				t.Errorf("%s reads %d requests, want its own 1", x.Username, n)
			}
		}

		// The expert sees the one hazard and its own request, no other.
		mine, n, err := w.svc.Requests(ctx, expert, hazard.RequestFilter{Status: "pending"})
		if err != nil || n != 1 || len(mine) != 1 || mine[0].ExpertID != expert.UserID || mine[0].Place != "液氯汽化器" || !mine[0].Open() {
			t.Fatalf("expert's pending requests: %+v %d %v", mine, n, err)
		}
		req := mine[0]
		hs, total, err := w.svc.List(ctx, expert, hazard.Filter{})
		if err != nil || total != 1 || len(hs) != 1 || hs[0].ID != h.ID {
			t.Errorf("expert lists %d hazards (%v), want only the one asked about", total, err)
		}
		if _, err := w.svc.Get(ctx, expert, other.ID); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("expert gets another hazard: %v", err)
		}
		if ps, err := w.svc.ListPhotos(ctx, expert, h.ID); err != nil {
			t.Errorf("expert reads the hazard's photos: %v %v", ps, err)
		}
		if ops, err := w.svc.Opinions(ctx, expert, h.ID); err != nil || len(ops) != 1 {
			t.Errorf("expert reads %d opinions on the hazard (%v), want its own only", len(ops), err)
		}
		theirs := os[0].ID + os[1].ID - req.ID
		if _, err := w.svc.GetRequest(ctx, expert, theirs); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("expert reads another expert's request: %v", err)
		}
		if hazard.Allowed(expert, h) != nil {
			t.Errorf("the expert is offered steps: %v", hazard.Allowed(expert, h))
		}
		if _, err := w.svc.Opinions(ctx, w.ent, h.ID); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("the enterprise reads the opinions: %v", err)
		}

		// Only the named expert answers, once.
		good := hazard.AnswerInput{Level: hazard.Major, Criterion: "hg121-5", Reasoning: "汽化器缺少温度联锁，可致液氯汽化失控"}
		for _, c := range []struct {
			a    *org.Actor
			in   hazard.AnswerInput
			want apperr.Code
		}{
			{expert2, good, apperr.NotFound},
			{w.member, good, apperr.Forbidden},
			{expert, hazard.AnswerInput{Level: "urgent", Reasoning: "x"}, apperr.Invalid},
			{expert, hazard.AnswerInput{Level: hazard.General}, apperr.Invalid},
			{expert, hazard.AnswerInput{Level: hazard.Major, Criterion: "no-such", Reasoning: "x"}, apperr.Invalid},
			{expert, hazard.AnswerInput{Level: hazard.Major, Reasoning: strings.Repeat("理", hazard.OpinionLimits["reasoning"]+1)}, apperr.Invalid},
		} {
			if _, err := w.svc.Answer(ctx, c.a, req.ID, c.in); !apperr.Is(err, c.want) {
				t.Errorf("%s answers %+v: err = %v, want %s", c.a.Username, c.in.Level, err, c.want)
			}
		}
		if o, err := w.svc.Answer(ctx, expert, req.ID, good); err != nil || !o.Answered() || o.Level != hazard.Major {
			t.Fatalf("answer: %+v %v", o, err)
		}
		if _, err := w.svc.Answer(ctx, expert, req.ID, hazard.AnswerInput{Level: hazard.General, Reasoning: "改主意"}); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("answered twice: %v", err)
		}
		if n := unsettled(t, w, expert); n != 0 {
			t.Errorf("the answered request's message is not settled: %d unread, want 0", n)
		}
		if n := unsettled(t, w, expert2); n != 1 {
			t.Errorf("the other expert's request: %d unread, want 1", n)
		}
		if n := unsettled(t, w, w.member); n != 1 {
			t.Errorf("the department is told of %d opinions, want 1", n)
		}
		ops, err := w.svc.Opinions(ctx, w.member, h.ID)
		if err != nil || len(ops) != 2 {
			t.Fatalf("department reads %d opinions: %v", len(ops), err)
		}
		answered := 0
		for _, o := range ops {
			if o.Answered() {
				answered++
				if o.Reasoning != good.Reasoning || o.Criterion != "hg121-5" || o.Expert != "陈工" {
					t.Errorf("opinion as read: %+v", o)
				}
			}
		}
		if answered != 1 {
			t.Errorf("%d opinions answered, want 1", answered)
		}
		if asked, _, err := w.svc.Requests(ctx, w.member, hazard.RequestFilter{}); err != nil || len(asked) != 2 {
			t.Errorf("the department's requests: %d %v", len(asked), err)
		}

		// The department decides; the expert sees the decision.
		if got, _ := w.svc.GetRequest(ctx, expert, req.ID); got.Decision != nil {
			t.Errorf("a decision before the department judged: %+v", got.Decision)
		}
		if _, err := w.svc.Act(ctx, w.member, h.ID, hazard.Step{Action: hazard.Judge, Level: hazard.Major, Criterion: "hg121-5"}); err != nil {
			t.Fatal(err)
		}
		ms, _, _, err := w.inbox.ListInbox(ctx, expert, paging.Page{Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			if m.Kind == "hazard.opinion" && m.ReadAt == nil && (m.Link != fmt.Sprintf("/hazard-requests/%d", req.ID) || !strings.Contains(m.Title, "已判定为重大事故隐患")) {
				t.Errorf("after the decision the 专家库 still holds %q (%s) unread; want only the answering expert told of the decision", m.Title, m.Link)
			}
		}
		if n := unsettled(t, w, expert); n != 1 {
			t.Errorf("after the decision %d messages unread in the 专家库, want 1 (the decision to the expert who answered)", n)
		}
		got, err := w.svc.GetRequest(ctx, expert, req.ID)
		if err != nil || got.Decision == nil || got.Decision.Level != hazard.Major || got.Decision.Criterion != "hg121-5" || got.Open() {
			t.Errorf("expert's request after the decision: %+v %v", got, err)
		}
		if _, err := w.svc.Answer(ctx, expert2, theirs, good); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("answer after the decision: %v", err)
		}
		if _, err := w.svc.AskExperts(ctx, w.member, h.ID, hazard.AskInput{ExpertIDs: []int64{expert2.UserID}, Question: "复核"}); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("ask about a judged hazard: %v", err)
		}
		for action, want := range map[string]int{"hazard.ask_experts": 1, "hazard.opinion": 1} {
			var n int
			if err := w.db.QueryRow(ctx, "SELECT COUNT(*) FROM audit_events WHERE action = ?", action).Scan(&n); err != nil || n != want {
				t.Errorf("%s audited %d times (%v), want %d", action, n, err, want)
			}
		}
	})
}

// unsettled counts the unread hazard.opinion messages of a's unit.
func unsettled(t *testing.T, w *world, a *org.Actor) int {
	t.Helper()
	ms, _, _, err := w.inbox.ListInbox(w.ctx, a, paging.Page{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, m := range ms {
		if m.Kind == "hazard.opinion" && m.ReadAt == nil {
			n++
		}
	}
	return n
}
