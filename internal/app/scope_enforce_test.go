package app_test

import (
	"context"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"

	"anwei/internal/apperr"
	"anwei/internal/enforce"
	"anwei/internal/org"
	"anwei/internal/org/scope"
	"anwei/internal/paging"
)

// enforcement is a county's enforcement objects: its department's plan for
// this year, three officers in the 名录库 (the department's user and two
// officers), a drawn draw of the firm and a case inspection of it.
type enforcement struct {
	plan, draw, inspection int64
	officer2, officer3     *org.Actor
	// for the scope matrix: plans drafted by another member (to approve),
	// approved ones (to publish), committed draws (to draw) and a second
	// drawn one, with the first officer of each drawn team (to recuse)
	drafts, approved, open [2]int64
	versions               [2]string // the drafts' versions
	draw2                  int64
	team1, team2           int64
	insp                   inspections // part 2: an inspection in every state (scope_inspect_test.go)
	cases                  cases       // part 3: a served case (scope_case_test.go)
}

func (f *fixture) enforcement(t *testing.T, c *county) {
	t.Helper()
	ctx := context.Background()
	c.enf.officer2 = f.user(t, c.code+"q2", c.dept, org.RoleOfficer)
	c.enf.officer3 = f.user(t, c.code+"q3", c.dept, org.RoleOfficer)
	for _, a := range []*org.Actor{c.deptUser, c.enf.officer2, c.enf.officer3} {
		if err := f.enf.SetOfficer(ctx, c.deptUser, enforce.OfficerInput{UserID: a.UserID, CertNo: "Z" + c.code + a.Username, Active: true}); err != nil {
			t.Fatal(err)
		}
	}
	var err error
	if c.enf.plan, err = f.enf.SavePlan(ctx, c.deptUser, planInput(thisYear())); err != nil {
		t.Fatal(err)
	}
	if c.enf.draw, err = drawn(ctx, f, c); err != nil {
		t.Fatal(err)
	}
	in, err := f.enf.AddInspection(ctx, c.deptUser, enforce.InspectionInput{EnterpriseID: c.firm, Basis: enforce.BasisTip, Note: "举报核查"})
	if err != nil {
		t.Fatal(err)
	}
	c.enf.inspection = in.ID
	if c.enf.draw2, err = drawn(ctx, f, c); err != nil {
		t.Fatal(err)
	}
	for i, d := range []int64{c.enf.draw, c.enf.draw2} {
		got, err := f.enf.GetDraw(ctx, c.deptUser, d)
		if err != nil {
			t.Fatal(err)
		}
		*[]*int64{&c.enf.team1, &c.enf.team2}[i] = got.Result[0].OfficerIDs[0]
	}
	for i := range c.enf.open {
		if c.enf.open[i], err = f.enf.CommitDraw(ctx, c.deptUser, enforce.DrawInput{Count: 1, PerEnterprise: 2, IncludeKey: true,
			PublicSource: "见证人输入的数字", PublicFormat: `^\d+$`}); err != nil {
			t.Fatal(err)
		}
		if c.enf.drafts[i], err = drafted(ctx, f, c); err != nil {
			t.Fatal(err)
		}
		c.enf.versions[i] = version(ctx, f, c.enf.drafts[i])
		if c.enf.approved[i], err = approved(ctx, f, c); err != nil {
			t.Fatal(err)
		}
	}
	f.inspections(t, c)
	f.prepareCases(t, c)
}

func planInput(year int) enforce.PlanInput {
	return enforce.PlanInput{Year: year, Officers: 3, OtherEnforcementDays: 100, NonEnforcementDays: 100, TeamSize: 2,
		DaysPerInspection: 1, SamplePercent: 50, FirstMonth: 1}
}

// drawn commits and runs a draw of one enterprise (the firm, class A or
// not) as the county's department.
func drawn(ctx context.Context, f *fixture, c *county) (int64, error) {
	id, err := f.enf.CommitDraw(ctx, c.deptUser, enforce.DrawInput{Count: 1, PerEnterprise: 2, IncludeKey: true,
		PublicSource: "见证人输入的数字", PublicFormat: `^\d+$`})
	if err != nil {
		return 0, fmt.Errorf("prepare: commit: %w", err)
	}
	if err := f.enf.RunDraw(ctx, c.deptUser, id, "123"); err != nil {
		return 0, fmt.Errorf("prepare: draw: %w", err)
	}
	return id, nil
}

// drafted is a plan of a fresh year drafted by another member of the
// county's department (so c.deptUser may approve it).
func drafted(ctx context.Context, f *fixture, c *county) (int64, error) {
	u, err := f.orgs.CreateUser(ctx, org.System, org.UserInput{Username: "drafter" + next(), DisplayName: "起草人", UnitID: c.dept.ID,
		Roles: []org.Role{org.RoleMember}, Password: "Anquan2026"})
	if err != nil {
		return 0, fmt.Errorf("prepare: %w", err)
	}
	a, err := f.orgs.ActorByID(ctx, u.ID)
	if err != nil {
		return 0, fmt.Errorf("prepare: %w", err)
	}
	id, err := f.enf.SavePlan(ctx, a, planInput(2030+int(planYears.Add(1)%70)))
	if err != nil {
		return 0, fmt.Errorf("prepare: %w", err)
	}
	return id, nil
}

// planYears gives each drafted plan a year of its own (a department has
// one plan a year; the shared seq wrapped into a year already used).
var planYears atomic.Int64

// version is a plan's version as its page shows it (org.System reads it).
func version(ctx context.Context, f *fixture, id int64) string {
	p, err := f.enf.GetPlan(ctx, &org.Actor{Perms: []org.Perm{org.PermEnforceRead}, Scope: scope.Scope{All: true}}, id)
	if err != nil {
		return ""
	}
	return p.Version
}

// approved is a drafted plan approved by the county's department user.
func approved(ctx context.Context, f *fixture, c *county) (int64, error) {
	id, err := drafted(ctx, f, c)
	if err == nil {
		if err = f.enf.ApprovePlan(ctx, c.deptUser, id, version(ctx, f, id)); err != nil {
			err = fmt.Errorf("prepare: %w", err)
		}
	}
	return id, err
}

func init() {
	enterpriseDenied := []string{"enterprise"}
	listings = append(listings,
		listing{
			covers: []string{"enforce.ListPlans", "enforce.GetPlan"},
			object: func(c *county) string { return sid(c.enf.plan) },
			list: func(ctx context.Context, f *fixture, a *org.Actor) ([]string, int, error) {
				ps, err := f.enf.ListPlans(ctx, a, enforce.PlanFilter{})
				var ids []string
				for _, p := range ps {
					ids = append(ids, sid(p.ID))
				}
				return ids, noTotal, err
			},
			noCount: "a department's plans, one a year: listed whole",
			denied:  enterpriseDenied,
			get: func(ctx context.Context, f *fixture, a *org.Actor, id string) error {
				_, err := f.enf.GetPlan(ctx, a, i64(id))
				return err
			},
		},
		listing{
			covers: []string{"enforce.Overview"},
			object: func(c *county) string { return sid(c.dept.ID) },
			list: func(ctx context.Context, f *fixture, a *org.Actor) ([]string, int, error) {
				rows, err := f.enf.Overview(ctx, a, thisYear())
				var ids []string
				for _, r := range rows {
					ids = append(ids, sid(r.UnitID))
				}
				return ids, noTotal, err
			},
			noCount: "one row per department, no count",
			denied:  enterpriseDenied,
			get: func(ctx context.Context, f *fixture, a *org.Actor, id string) error {
				rows, err := f.enf.Overview(ctx, a, thisYear())
				if err != nil {
					return err
				}
				if !slices.ContainsFunc(rows, func(r enforce.DeptFigures) bool { return sid(r.UnitID) == id }) {
					return apperr.New(apperr.NotFound, "not in the overview")
				}
				return nil
			},
		},
		listing{
			covers: []string{"enforce.ListDraws", "enforce.GetDraw", "enforce.DrawRecordOf", "enforce.VerifyDraw"},
			object: func(c *county) string { return sid(c.enf.draw) },
			list: func(ctx context.Context, f *fixture, a *org.Actor) ([]string, int, error) {
				ds, err := f.enf.ListDraws(ctx, a, enforce.DrawFilter{})
				var ids []string
				for _, d := range ds {
					ids = append(ids, sid(d.ID))
				}
				return ids, noTotal, err
			},
			noCount: "a department's draws of a year, listed whole",
			denied:  enterpriseDenied,
			get: func(ctx context.Context, f *fixture, a *org.Actor, id string) error {
				_, err := f.enf.GetDraw(ctx, a, i64(id))
				if apperr.Is(err, apperr.Forbidden) {
					return err
				}
				_, rerr := f.enf.DrawRecordOf(ctx, a, i64(id))
				v, verr := f.enf.VerifyDraw(ctx, a, i64(id))
				if verr == nil && !v.OK {
					verr = fmt.Errorf("draw %s does not verify: %v", id, v.Problems)
				}
				return every(err, rerr, verr)
			},
		},
		listing{
			covers: []string{"enforce.ListInspections"},
			object: func(c *county) string { return sid(c.enf.inspection) },
			list: func(ctx context.Context, f *fixture, a *org.Actor) ([]string, int, error) {
				is, n, err := f.enf.ListInspections(ctx, a, enforce.InspectionFilter{Page: paging.Page{Limit: 500}})
				var ids []string
				for _, i := range is {
					ids = append(ids, sid(i.ID))
				}
				return ids, n, err
			},
			get: func(ctx context.Context, f *fixture, a *org.Actor, id string) error {
				is, _, err := f.enf.ListInspections(ctx, a, enforce.InspectionFilter{Page: paging.Page{Limit: 500}})
				if err != nil {
					return err
				}
				if !slices.ContainsFunc(is, func(i enforce.Inspection) bool { return sid(i.ID) == id }) {
					return apperr.New(apperr.NotFound, "not listed")
				}
				return nil
			},
		},
		listing{
			covers: []string{"enforce.ListOfficers"},
			object: func(c *county) string { return sid(c.enf.officer2.UserID) },
			list: func(ctx context.Context, f *fixture, a *org.Actor) ([]string, int, error) {
				os, err := f.enf.ListOfficers(ctx, a)
				var ids []string
				for _, o := range os {
					ids = append(ids, sid(o.UserID))
				}
				return ids, noTotal, err
			},
			noCount: "a department's 名录库, listed whole",
			denied:  enterpriseDenied,
			get: func(ctx context.Context, f *fixture, a *org.Actor, id string) error {
				os, err := f.enf.ListOfficers(ctx, a)
				if err != nil {
					return err
				}
				if !slices.ContainsFunc(os, func(o enforce.Officer) bool { return sid(o.UserID) == id }) {
					return apperr.New(apperr.NotFound, "not listed")
				}
				return nil
			},
		},
	)
	// Each write is tried the same way from the other county (writes) and
	// from the other department of the county (sideWrites).
	tries := []deptTry{
		{"enforce.ApprovePlan", func(ctx context.Context, f *fixture, a *org.Actor, c *county) error {
			id, err := drafted(ctx, f, c)
			if err != nil {
				return err
			}
			return f.enf.ApprovePlan(ctx, a, id, version(ctx, f, id))
		}},
		{"enforce.PublishPlan", func(ctx context.Context, f *fixture, a *org.Actor, c *county) error {
			id, err := approved(ctx, f, c)
			if err != nil {
				return err
			}
			return f.enf.PublishPlan(ctx, a, id)
		}},
		{"enforce.RunDraw", func(ctx context.Context, f *fixture, a *org.Actor, c *county) error {
			id, err := f.enf.CommitDraw(ctx, c.deptUser, enforce.DrawInput{Count: 1, PerEnterprise: 2, IncludeKey: true,
				PublicSource: "见证人输入的数字", PublicFormat: `^\d+$`})
			if err != nil {
				return fmt.Errorf("prepare: %w", err)
			}
			return f.enf.RunDraw(ctx, a, id, "7")
		}},
		{"enforce.Recuse", func(ctx context.Context, f *fixture, a *org.Actor, c *county) error {
			id, err := drawn(ctx, f, c)
			if err != nil {
				return err
			}
			d, err := f.enf.GetDraw(ctx, c.deptUser, id)
			if err != nil {
				return fmt.Errorf("prepare: %w", err)
			}
			_, err = f.enf.Recuse(ctx, a, id, enforce.RecusalInput{EnterpriseID: d.Result[0].EnterpriseID, OfficerID: d.Result[0].OfficerIDs[0], Reason: "曾在该企业任职"})
			return err
		}},
		{"enforce.SetOfficer", func(ctx context.Context, f *fixture, a *org.Actor, c *county) error {
			return f.enf.SetOfficer(ctx, a, enforce.OfficerInput{UserID: c.enf.officer3.UserID, CertNo: "Z" + next(), Active: true})
		}},
		{"enforce.DeclareConflict", func(ctx context.Context, f *fixture, a *org.Actor, c *county) error {
			firm, err := newFirm(ctx, f, c)
			if err != nil {
				return err
			}
			return f.enf.DeclareConflict(ctx, a, c.enf.officer3.UserID, enforce.ConflictInput{EnterpriseID: firm, Reason: "近亲属任职"})
		}},
		{"enforce.AddInspection", func(ctx context.Context, f *fixture, a *org.Actor, c *county) error {
			_, err := f.enf.AddInspection(ctx, a, enforce.InspectionInput{EnterpriseID: c.firm, Basis: enforce.BasisComplaint, Note: "投诉核查"})
			return err
		}},
	}
	addDeptTries(tries)
	for k, v := range map[string]string{
		"enforce.SavePlan":    "drafts the actor's own department's plan (unit_id = the actor's unit), no object id",
		"enforce.CommitDraw":  "fixes the actor's own department's 名录库 from the enterprises it supervises (JOIN supervisions ON dept_id = the actor's unit); tested in enforce",
		"enforce.PreviewDraw": "counts the actor's own department's 名录库 (as CommitDraw), stores nothing",
		"enforce.Caps":        "the cap table of the actor's own region (a.Unit.Region), no object id",
		"enforce.SetCaps":     "sets the cap table of the actor's own region (a.Unit.Region), no object id",
	} {
		notListings[k] = v
	}
}

// deptTry is a write of a county's department, tried by county A's
// department on county B's object (writes) and by a county's other
// department on its own (sideWrites): the same try both ways.
type deptTry struct {
	name string
	try  func(ctx context.Context, f *fixture, a *org.Actor, c *county) error
}

func addDeptTries(tries []deptTry) {
	deptPairs := [][2]string{{"department", "department2"}}
	for _, x := range tries {
		writes = append(writes, write{covers: []string{x.name}, who: "department", try: x.try})
		sideWrites = append(sideWrites, sideWrite{covers: []string{x.name}, pairs: deptPairs,
			try: func(ctx context.Context, f *fixture, s *sideActors, a *org.Actor) error { return x.try(ctx, f, a, s.c) }})
	}
}
