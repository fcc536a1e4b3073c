package hazard_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"anwei/internal/app"
	"anwei/internal/app/apptest"
	"anwei/internal/apperr"
	"anwei/internal/calendar"
	"anwei/internal/enterprise"
	"anwei/internal/hazard"
	"anwei/internal/inbox"
	"anwei/internal/org"
	"anwei/internal/paging"
)

// TestHandOversAreTold: each hand-over of a hazard reaches the unit that
// acts next through its inbox (issue 14.3) — every supervising department
// of a newly reported hazard, the enterprise of its 交办, the reviewer of
// a rectification, the enterprise of a failed review and of the closing —
// nobody is told of its own step, and a message that asked for a step is
// settled (read, retitled) once anyone took it, and asked again unread
// when the step comes round again.
func TestHandOversAreTold(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		clock := calendar.NewFixed(time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC))
		_, s := apptest.SeededDemo(t, dialect, app.Wiring{Clock: clock}, 20, false)
		ent, member := actor(t, s.Org, "enterprise"), actor(t, s.Org, "member")
		office := actor(t, s.Org, "office")
		// A second supervising department, told as the first is.
		var other *org.Actor
		units, _, err := s.Org.ListUnits(ctx, office, org.UnitFilter{Kind: org.KindDepartment, Page: paging.Page{Limit: 100}})
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range units {
			if u.ID != member.Unit.ID {
				other = org.NewActor(0, "", "", u.Ref(), []org.Role{org.RoleMember})
				break
			}
		}
		if err := s.Ents.SetSupervisor(ctx, office, ent.Unit.ID, other.Unit.ID, 0); err != nil {
			t.Fatal(err)
		}
		// told returns the newest message of a's unit about the hazard
		// numbered n ("" if none), marked "(已读)" once read; unread counts
		// a's unread messages.
		told := func(a *org.Actor, n string) string {
			t.Helper()
			ms, _, _, err := s.Inbox.ListInbox(ctx, a, paging.Page{Limit: 50})
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range ms {
				if strings.Contains(m.Title, n) {
					if m.ReadAt != nil {
						return m.Title + "(已读)"
					}
					return m.Title
				}
			}
			return ""
		}
		h, err := s.Hazards.Report(ctx, ent, hazard.ReportInput{Place: "液氯储罐区", Description: "紧急切断阀失效", Source: "self"})
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range []*org.Actor{member, other} {
			if m := told(d, h.Number); !strings.Contains(m, "待判定") || strings.Contains(m, "已读") {
				t.Errorf("department %s of a new report: %q", d.Unit.Name, m)
			}
		}
		if m := told(ent, h.Number); m != "" {
			t.Errorf("the enterprise is told of its own report: %q", m)
		}
		step := func(a *org.Actor, st hazard.Step) {
			t.Helper()
			clock.Advance(time.Minute)
			if _, err := s.Hazards.Act(ctx, a, h.ID, st); err != nil {
				t.Fatalf("%s: %v", st.Action, err)
			}
		}
		step(member, hazard.Step{Action: hazard.Judge, Level: hazard.General})
		for _, d := range []*org.Actor{member, other} {
			if m := told(d, h.Number); !strings.Contains(m, "判定为一般事故隐患(已读)") {
				t.Errorf("department %s after the judgement: %q", d.Unit.Name, m)
			}
		}
		step(member, hazard.Step{Action: hazard.Assign, Deadline: "2026-12-20", Writ: "天应急责改〔2026〕18号"})
		if m := told(ent, h.Number); !strings.Contains(m, "已交办") || !strings.Contains(m, "2026-12-20") || strings.Contains(m, "已读") {
			t.Errorf("the enterprise of its 交办: %q", m)
		}
		step(ent, hazard.Step{Action: hazard.Start})
		step(ent, hazard.Step{Action: hazard.Submit, Evidence: "更换紧急切断阀"})
		if m := told(ent, h.Number); !strings.Contains(m, "已报整改完成") || !strings.Contains(m, "已读") {
			t.Errorf("the enterprise's 待整改 after its submission: %q", m)
		}
		if m := told(member, h.Number); !strings.Contains(m, "待复查") || strings.Contains(m, "已读") {
			t.Errorf("the reviewer of a rectification: %q", m)
		}
		if m := told(other, h.Number); strings.Contains(m, "待复查") {
			t.Errorf("a department that did not assign it is asked to review: %q", m)
		}
		step(member, hazard.Step{Action: hazard.Fail, Reason: "未做联锁测试"})
		if m := told(member, h.Number); !strings.Contains(m, "已退回整改(已读)") {
			t.Errorf("the reviewer after sending it back: %q", m)
		}
		if m := told(ent, h.Number); !strings.Contains(m, "未做联锁测试") || strings.Contains(m, "已读") {
			t.Errorf("the enterprise of a failed review: %q", m)
		}
		step(ent, hazard.Step{Action: hazard.Submit, Evidence: "已完成联锁测试"})
		if m := told(member, h.Number); !strings.Contains(m, "待复查") || strings.Contains(m, "已读") {
			t.Errorf("the reviewer of the second submission: %q", m)
		}
		step(member, hazard.Step{Action: hazard.Pass})
		if m := told(member, h.Number); !strings.Contains(m, "已销号(已读)") {
			t.Errorf("the reviewer after closing it: %q", m)
		}
		if m := told(ent, h.Number); !strings.Contains(m, "已销号") {
			t.Errorf("the enterprise of the closing: %q", m)
		}
		step(member, hazard.Step{Action: hazard.Reopen, Reason: "复查发现阀门再次失效"})
		if m := told(ent, h.Number); !strings.Contains(m, "已重新打开") || strings.Contains(m, "已读") {
			t.Errorf("the enterprise of the reopening: %q", m)
		}
		// A government unit's report tells the enterprise.
		g, err := s.Hazards.Report(ctx, member, hazard.ReportInput{EnterpriseID: ent.Unit.ID, Place: "装卸区", Description: "静电接地失效", Source: "inspection"})
		if err != nil {
			t.Fatal(err)
		}
		if m := told(ent, g.Number); !strings.Contains(m, "检查发现本单位隐患") {
			t.Errorf("the enterprise of a department's finding: %q", m)
		}
		if m := told(member, g.Number); m != "" {
			t.Errorf("the department is told of its own finding: %q", m)
		}
		// An enterprise nobody supervises: its street is asked to judge.
		street := actor(t, s.Org, "street")
		blind, err := s.Ents.Create(ctx, office, enterprise.Input{Name: "济南无主贸易有限公司", CreditCode: "91370105MA3T00010U",
			RegionCode: street.Unit.Region, Categories: "其他"})
		if err != nil {
			t.Fatal(err)
		}
		admin := actor(t, s.Org, "admin")
		if _, err := s.Org.CreateUser(ctx, admin, org.UserInput{Username: "wuzhu", DisplayName: "钱经理", UnitID: blind.UnitID,
			Roles: []org.Role{org.RoleEnterprise}, Password: "Anwei-2026-test"}); err != nil {
			t.Fatal(err)
		}
		b, err := s.Hazards.Report(ctx, actor(t, s.Org, "wuzhu"), hazard.ReportInput{Place: "仓库", Description: "灭火器过期"})
		if err != nil {
			t.Fatal(err)
		}
		if m := told(street, b.Number); !strings.Contains(m, "待判定") {
			t.Errorf("the street of an enterprise nobody supervises: %q", m)
		}
	})
}

// TestOwnHandlingTellsNobody: an enterprise's general hazard fixed at once
// (即查即改) or rectified by the enterprise itself asks no department to
// judge it; one it reports to the department does.
func TestOwnHandlingTellsNobody(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		clock := calendar.NewFixed(time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC))
		_, s := apptest.SeededDemo(t, dialect, app.Wiring{Clock: clock}, 20, false)
		ent, member := actor(t, s.Org, "enterprise"), actor(t, s.Org, "member")
		asked := func(n string) bool {
			ms, _, _, err := s.Inbox.ListInbox(ctx, member, paging.Page{Limit: 50})
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range ms {
				if strings.Contains(m.Title, n) {
					return true
				}
			}
			return false
		}
		self, err := s.Hazards.Report(ctx, ent, hazard.ReportInput{Place: "二号库房", Description: "货架标识缺失", Handling: "self",
			Deadline: "2026-12-10", Responsible: "刘安全", Measures: "补设标识"})
		if err != nil {
			t.Fatal(err)
		}
		dept, err := s.Hazards.Report(ctx, ent, hazard.ReportInput{Place: "三号库房", Description: "防爆灯具损坏"})
		if err != nil {
			t.Fatal(err)
		}
		if asked(self.Number) {
			t.Errorf("the department is asked to judge %s, which the enterprise rectifies itself", self.Number)
		}
		if !asked(dept.Number) {
			t.Errorf("the department is not asked to judge %s, reported to it", dept.Number)
		}
		// Taken over by the department, the enterprise is told.
		if _, err := s.Hazards.Act(ctx, member, self.ID, hazard.Step{Action: hazard.Judge, Level: hazard.General}); err != nil {
			t.Fatal(err)
		}
		ms, _, _, err := s.Inbox.ListInbox(ctx, ent, paging.Page{Limit: 20})
		if err != nil {
			t.Fatal(err)
		}
		told := false
		for _, m := range ms {
			told = told || (strings.Contains(m.Title, self.Number) && strings.Contains(m.Title, "已接手"))
		}
		if !told {
			t.Errorf("the enterprise is not told its own rectification of %s was taken over: %+v", self.Number, ms)
		}
	})
}

// TestReviewOnSiteSettlesTheRectification: a hazard the department closes
// on site before the enterprise reported anything (复查) leaves no 待整改
// in the enterprise's inbox, and no official is ever offered the
// enterprise's own steps.
func TestReviewOnSiteSettlesTheRectification(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		clock := calendar.NewFixed(time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC))
		_, s := apptest.SeededDemo(t, dialect, app.Wiring{Clock: clock}, 20, false)
		ent, member := actor(t, s.Org, "enterprise"), actor(t, s.Org, "member")
		h, err := s.Hazards.Report(ctx, member, hazard.ReportInput{EnterpriseID: ent.Unit.ID, Place: "配电室", Description: "挡鼠板缺失", Source: "inspection"})
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range []hazard.Step{{Action: hazard.Judge, Level: hazard.General}, {Action: hazard.Assign, Deadline: "2026-12-20", Writ: "天应急责改〔2026〕31号"}} {
			if h, err = s.Hazards.Act(ctx, member, h.ID, st); err != nil {
				t.Fatal(err)
			}
		}
		if acts := hazard.Allowed(member, h); slices.Contains(acts, hazard.Start) || !slices.Contains(acts, hazard.Pass) {
			t.Errorf("the department is offered %v on an assigned hazard", acts)
		}
		rectify := func() []inbox.Message {
			ms, _, _, err := s.Inbox.ListInbox(ctx, ent, paging.Page{Limit: 50})
			if err != nil {
				t.Fatal(err)
			}
			var out []inbox.Message
			for _, m := range ms {
				if m.Kind == "hazard.rectify" && strings.Contains(m.Title, h.Number) {
					out = append(out, m)
				}
			}
			return out
		}
		if ms := rectify(); len(ms) != 1 || ms[0].ReadAt != nil {
			t.Fatalf("the enterprise's 待整改 after the 交办: %+v", ms)
		}
		if _, err := s.Hazards.Act(ctx, member, h.ID, hazard.Step{Action: hazard.Pass}); apperr.FieldOf(err) != "evidence" {
			t.Errorf("closed on site without a 复查意见: %v", err)
		}
		if _, err := s.Hazards.Act(ctx, member, h.ID, hazard.Step{Action: hazard.Pass, Evidence: "12月5日现场复查，挡鼠板已加装"}); err != nil {
			t.Fatal(err)
		}
		if ms := rectify(); len(ms) != 1 || ms[0].ReadAt == nil || !strings.Contains(ms[0].Title, "已销号") {
			t.Errorf("the enterprise's 待整改 after the review on site: %+v", ms)
		}
		hist, err := s.Hazards.GetHistory(ctx, member, h.ID)
		if err != nil || !strings.Contains(hist[len(hist)-1].Note, "挡鼠板已加装") {
			t.Errorf("the review's record: %+v %v", hist, err)
		}
	})
}
