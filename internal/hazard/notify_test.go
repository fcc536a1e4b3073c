package hazard_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"anwei/internal/app"
	"anwei/internal/app/apptest"
	"anwei/internal/calendar"
	"anwei/internal/hazard"
	"anwei/internal/org"
	"anwei/internal/paging"
)

// TestHandOversAreTold: each hand-over of a hazard reaches the unit that
// acts next through its inbox (issue 14.3) — the supervising department
// of a newly reported hazard, the enterprise of its 交办, the reviewer of
// a rectification, the enterprise of a failed review and of the closing —
// and nobody is told of its own step.
func TestHandOversAreTold(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		clock := calendar.NewFixed(time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC))
		_, s := apptest.SeededDemo(t, dialect, app.Wiring{Clock: clock}, 20, false)
		ent, member := actor(t, s.Org, "enterprise"), actor(t, s.Org, "member")
		// told returns the newest message of a's unit about the hazard
		// numbered n, "" if none.
		told := func(a *org.Actor, n string) string {
			t.Helper()
			ms, _, _, err := s.Inbox.ListInbox(ctx, a, paging.Page{Limit: 20})
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range ms {
				if strings.Contains(m.Title, n) {
					return m.Title
				}
			}
			return ""
		}
		h, err := s.Hazards.Report(ctx, ent, hazard.ReportInput{Place: "液氯储罐区", Description: "紧急切断阀失效", Source: "self"})
		if err != nil {
			t.Fatal(err)
		}
		if m := told(member, h.Number); !strings.Contains(m, "待判定") {
			t.Errorf("the department of a new report: %q", m)
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
		step(member, hazard.Step{Action: hazard.Assign, Deadline: "2026-12-20", Writ: "天应急责改〔2026〕18号"})
		if m := told(ent, h.Number); !strings.Contains(m, "已交办") || !strings.Contains(m, "2026-12-20") {
			t.Errorf("the enterprise of its 交办: %q", m)
		}
		step(ent, hazard.Step{Action: hazard.Start})
		step(ent, hazard.Step{Action: hazard.Submit, Evidence: "更换紧急切断阀"})
		if m := told(member, h.Number); !strings.Contains(m, "待复查") {
			t.Errorf("the reviewer of a rectification: %q", m)
		}
		step(member, hazard.Step{Action: hazard.Fail, Reason: "未做联锁测试"})
		if m := told(ent, h.Number); !strings.Contains(m, "未做联锁测试") {
			t.Errorf("the enterprise of a failed review: %q", m)
		}
		step(ent, hazard.Step{Action: hazard.Submit, Evidence: "已完成联锁测试"})
		if m := told(member, h.Number); !strings.Contains(m, "待复查") {
			t.Errorf("the reviewer of the second submission: %q", m)
		}
		step(member, hazard.Step{Action: hazard.Pass})
		if m := told(ent, h.Number); !strings.Contains(m, "已销号") {
			t.Errorf("the enterprise of the closing: %q", m)
		}
		// A government unit's report tells the enterprise.
		g, err := s.Hazards.Report(ctx, member, hazard.ReportInput{EnterpriseID: ent.Unit.ID, Place: "装卸区", Description: "静电接地失效", Source: "inspection"})
		if err != nil {
			t.Fatal(err)
		}
		if m := told(ent, g.Number); !strings.Contains(m, "记录了") {
			t.Errorf("the enterprise of a department's finding: %q", m)
		}
		if m := told(member, g.Number); m != "" {
			t.Errorf("the department is told of its own finding: %q", m)
		}
	})
}
