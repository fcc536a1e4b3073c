package plan_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"anwei/internal/app"
	"anwei/internal/app/apptest"
	"anwei/internal/apperr"
	"anwei/internal/audit"
	"anwei/internal/org"
	"anwei/internal/paging"
	"anwei/internal/plan"
)

func actor(t *testing.T, orgs *org.Service, username string) *org.Actor {
	t.Helper()
	c, err := orgs.CredentialsFor(context.Background(), username)
	if err != nil {
		t.Fatal(err)
	}
	a, err := orgs.ActorByID(context.Background(), c.UserID)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// resolveAll maps every printed name of the plan with the matcher, taking
// all suggestions where the office must choose.
func resolveAll(t *testing.T, ctx context.Context, orgs *org.Service, a *org.Actor, p *plan.Parsed) map[string][]int64 {
	t.Helper()
	units, _, err := orgs.ListUnits(ctx, a, org.UnitFilter{Page: paging.Page{Limit: 500}})
	if err != nil {
		t.Fatal(err)
	}
	var committee org.Unit
	for _, u := range units {
		if u.Kind == org.KindCommittee {
			committee = u
		}
	}
	members, err := orgs.ListMembers(ctx, a, committee.ID)
	if err != nil {
		t.Fatal(err)
	}
	in := map[int64]bool{}
	for _, m := range members {
		in[m.Unit.ID] = true
	}
	var cands []plan.Candidate
	for _, u := range units {
		cands = append(cands, plan.Candidate{ID: u.ID, Name: u.Name, ShortName: u.ShortName, Aliases: u.Aliases, Kind: string(u.Kind), Committee: in[u.ID]})
	}
	m := plan.NewMatcher(cands, nil)
	out := map[string][]int64{}
	for _, it := range p.Items {
		for _, task := range it.Tasks {
			for _, n := range append(append([]string{}, task.Lead...), task.Support...) {
				r := m.Resolve(n)
				switch r.How {
				case "none":
					t.Fatalf("%s: %s does not resolve in the demo jurisdiction", it.Ref, n)
				case "choose":
					out[n] = r.Suggestions
				default:
					out[n] = r.Units
				}
			}
		}
	}
	return out
}

func TestImportTianqiaoPlan(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		db, s := apptest.SeededDemo(t, dialect, app.Wiring{}, 20, false) // imports the same plan once already
		orgs, svc := s.Org, s.Plans
		office := actor(t, orgs, "office")
		raw, err := os.ReadFile("testdata/001_24d02479031d2206.txt")
		if err != nil {
			t.Fatal(err)
		}
		text, err := plan.Decode(raw)
		if err != nil {
			t.Fatal(err)
		}
		p, err := plan.Parse(text, 0)
		if err != nil {
			t.Fatal(err)
		}
		resolved := resolveAll(t, ctx, orgs, office, p)
		// An unresolved name is refused, naming the item, and nothing is stored.
		partial := map[string][]int64{}
		for k, v := range resolved {
			if k != "区水务局" {
				partial[k] = v
			}
		}
		if _, err := svc.Import(ctx, office, plan.ImportInput{Parsed: p, Resolved: partial, SourceHash: "h"}); !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), "区水务局") {
			t.Fatalf("unresolved import: %v", err)
		}
		if _, n, _ := svc.ListPlans(ctx, office, paging.Page{}); n != 1 {
			t.Fatalf("a refused import left %d plans", n)
		}
		// Members may not import.
		if _, err := svc.Import(ctx, actor(t, orgs, "member"), plan.ImportInput{Parsed: p, Resolved: resolved, SourceHash: "h"}); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("member import: %v", err)
		}
		sum, err := svc.Import(ctx, office, plan.ImportInput{Parsed: p, Resolved: resolved, SourceHash: "h"})
		if err != nil {
			t.Fatal(err)
		}
		if sum.Items != 27 || sum.Assignments < 100 || sum.Obligations != 8 {
			t.Fatalf("summary %+v", sum)
		}
		// 二.3 每季度至少组织研究1次: four quarterly instances for each lead unit (区安委会办公室, 区应急局).
		var n int
		if err := db.QueryRow(ctx, `SELECT COUNT(*) FROM plan_instances pi JOIN plan_obligations o ON o.id = pi.obligation_id
			JOIN plan_items i ON i.id = o.item_id WHERE i.ref = '二.3' AND i.plan_id = ?`, sum.PlanID).Scan(&n); err != nil || n != 8 {
			t.Fatalf("二.3 instances: %d (err %v), want 8", n, err)
		}
		// 推动高危企业主要负责人每月至少带队检查1次 binds enterprises.
		var subject string
		if err := db.QueryRow(ctx, "SELECT o.subject FROM plan_obligations o JOIN plan_items i ON i.id = o.item_id WHERE o.cue = '每月至少带队检查1次' AND i.plan_id = ?", sum.PlanID).Scan(&subject); err != nil || subject != "enterprise" {
			t.Fatalf("subject %q (err %v)", subject, err)
		}
		if _, err := svc.Import(ctx, office, plan.ImportInput{Parsed: p, Resolved: resolved, SourceHash: "h"}); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("second import of the same file: %v", err)
		}
		// The department sees only its own assignments; the remembered names come back.
		member := actor(t, orgs, "member")
		as, total, err := svc.ListAssignments(ctx, member, plan.AssignmentFilter{Page: paging.Page{Limit: 500}})
		if err != nil || total == 0 {
			t.Fatalf("member assignments: %d %v", total, err)
		}
		for _, x := range as {
			if x.UnitID != member.Unit.ID {
				t.Fatalf("member sees another unit's assignment: %+v", x)
			}
		}
		// Dated duties: the plan year is past, so the member's open ones are overdue.
		open, n2, err := svc.ListInstances(ctx, member, plan.InstanceFilter{PlanID: sum.PlanID, Status: plan.StatusOverdue, Page: paging.Page{Limit: 5}})
		if err != nil || n2 == 0 {
			t.Fatalf("member's overdue instances: %d %v", n2, err)
		}
		first := open[0]
		if first.UnitID != member.Unit.ID || first.What == "" {
			t.Fatalf("instance %+v", first)
		}
		if err := svc.CompleteInstance(ctx, member, first.ID, " "); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("empty evidence: %v", err)
		}
		if err := svc.CompleteInstance(ctx, office, first.ID, "已完成"); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("another unit completes the member's duty: %v", err)
		}
		if err := svc.CompleteInstance(ctx, member, first.ID, "3月28日召开专题会议，纪要见附件"); err != nil {
			t.Fatal(err)
		}
		if err := svc.CompleteInstance(ctx, member, first.ID, "again"); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("second completion: %v", err)
		}
		_, n3, err := svc.ListInstances(ctx, member, plan.InstanceFilter{PlanID: sum.PlanID, Status: plan.StatusOverdue})
		if err != nil {
			t.Fatal(err)
		}
		done, _, err := svc.ListInstances(ctx, member, plan.InstanceFilter{PlanID: sum.PlanID, Status: plan.StatusDone})
		if err != nil {
			t.Fatal(err)
		}
		if n3 != n2-1 || len(done) != 1 || done[0].Evidence == "" || done[0].DoneAt == nil {
			t.Fatalf("after completion: overdue %d (was %d), done %+v", n3, n2, done)
		}
		if names, err := svc.RememberedNames(ctx, office); err != nil || len(names["区应急局"]) != 1 || names["区应急局"][0] != member.Unit.ID {
			t.Fatalf("remembered names: %v %v", names["区应急局"], err)
		}
		evs, _, err := audit.List(ctx, db, office.Scope, audit.Filter{Action: "plan.import"})
		if err != nil || len(evs) != 2 || !strings.Contains(evs[0].After, `"file_hash":"h"`) {
			t.Fatalf("one audit event for the import: %+v %v", evs, err)
		}
	})
}
