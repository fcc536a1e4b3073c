package web_test

import (
	"context"
	"testing"

	"anwei/internal/app/apptest"
	"anwei/internal/calendar"
	"anwei/internal/enforce"
	"anwei/internal/org"
)

// inspAt prepares, before a scenario, a case inspection of an operating
// enterprise 区应急局 supervises and nothing of it under way (an officer's
// scan opens the inspection under way first), taken to state by the
// planner member, the head and the team officer and officer2
// (apptest.Inspection). It saves the id as name, the entry code as
// <name>token, the first checklist item as <name>item and, for a started
// one, a finding as <name>finding; and today.
func inspAt(name, state string) func(t *testing.T, e *env) {
	return func(t *testing.T, e *env) {
		t.Helper()
		ctx := context.Background()
		actor := func(u string) *org.Actor {
			a, err := e.app.Org.ActorByUsername(ctx, u)
			if err != nil {
				t.Fatal(err)
			}
			return a
		}
		member := actor("member")
		crew := apptest.Crew{Planner: member, Approver: actor("head"), Team: []*org.Actor{actor("officer"), actor("officer2")}}
		var firm int64
		if err := e.app.DB.QueryRow(ctx, `SELECT MIN(s.enterprise_id) FROM supervisions s JOIN enterprises en ON en.unit_id = s.enterprise_id
			WHERE s.dept_id = ? AND en.status = 'operating' AND NOT EXISTS (SELECT 1 FROM enforce_inspections i WHERE i.enterprise_id = s.enterprise_id
			AND i.state IN ('approved', 'checked_in', 'started'))`, member.Unit.ID).Scan(&firm); err != nil {
			t.Fatal(err)
		}
		id, err := apptest.Inspection(ctx, e.app.Enforce, e.clock, crew, firm, state)
		if err != nil {
			t.Fatal(err)
		}
		e.vars[name], e.vars["today"] = fmtID(id), calendar.Local(e.clock.Now()).Format("2006-01-02")
		if state == "approved" {
			if e.vars[name+"token"], err = e.app.Enforce.CheckinToken(ctx, crew.Team[0], firm); err != nil {
				t.Fatal(err)
			}
		}
		if state == "started" {
			d, err := e.app.Enforce.GetInspection(ctx, crew.Team[0], id)
			if err != nil {
				t.Fatal(err)
			}
			e.vars[name+"item"] = d.Items[0].Key
			f, err := e.app.Enforce.AddFinding(ctx, crew.Team[0], id, enforce.FindingInput{Place: "配电室", Description: "未设置安全警示标志",
				Violation: "a99-1", Deadline: "2099-01-01"})
			if err != nil {
				t.Fatal(err)
			}
			e.vars[name+"finding"] = fmtID(f.ID)
		}
	}
}

// photo is a small PNG, as a phone's photo would be one.
func photo(*testing.T, *env) []byte { return apptest.Signature() }
