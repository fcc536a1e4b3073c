package app_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"anwei/internal/app/apptest"
	"anwei/internal/calendar"
	"anwei/internal/enforce"
	"anwei/internal/files"
	"anwei/internal/org"
)

// inspections are a county's inspections in every state, each of a firm
// of its own (an officer's scan opens the inspection under way at a firm
// first), by name: for the scope tests and the scope matrix.
type inspections struct {
	ids    map[string]int64
	tokens map[string]string // entry codes of the firms of the approved ones
	item   string            // the first checklist item of "started"
	media  int64             // a photo of "closed"
	writ   int64             // its 现场检查记录
}

// inspectionPlan is which inspection the scope matrix prepares in which
// state, and with which crew: "team" — the department's user and an
// officer, the head approving; "others" — two officers, the department's
// user approving (for the approval routes). Every fixture has the closed
// one (inspections); the rest only the matrix's (matrixInspections).
var inspectionPlan = []struct{ name, state, crew string }{
	{"closed", "closed", "team"},
	{"planned", "planned", "team"}, {"planned2", "planned", "team"},
	{"staffed", "staffed", "others"}, {"staffed2", "staffed", "others"},
	{"approved", "approved", "team"}, {"approved2", "approved", "team"}, {"approved3", "approved", "team"},
	{"in", "checked_in", "team"}, {"in2", "checked_in", "team"},
	{"started", "started", "team"},
	{"ready", "ready", "team"}, {"ready2", "ready", "team"},
}

// inspections prepares the county's closed inspection (after enforcement),
// with the head who approves the department's user's tasks.
func (f *fixture) inspections(t *testing.T, c *county) {
	t.Helper()
	f.user(t, c.code+"h", c.dept, org.RoleMember)
	c.enf.insp = inspections{ids: map[string]int64{}, tokens: map[string]string{}}
	f.prepareInspections(t, c, inspectionPlan[:1])
	closed, err := f.enf.GetInspection(context.Background(), c.deptUser, c.enf.insp.ids["closed"])
	if err != nil || len(closed.Media) == 0 || len(closed.Writs) == 0 {
		t.Fatalf("the closed inspection: %+v (%v)", closed, err)
	}
	c.enf.insp.media, c.enf.insp.writ = closed.Media[0].ID, closed.Writs[0].ID
}

// matrixInspections prepares the rest of inspectionPlan: an inspection in
// every state, for the scope matrix's writes.
func (f *fixture) matrixInspections(t *testing.T, c *county) {
	t.Helper()
	ctx := context.Background()
	f.prepareInspections(t, c, inspectionPlan[1:])
	d, err := f.enf.GetInspection(ctx, c.deptUser, c.enf.insp.ids["started"])
	if err != nil {
		t.Fatal(err)
	}
	c.enf.insp.item = d.Items[0].Key
	for _, n := range []string{"finding", "finding2"} {
		fd, err := f.enf.AddFinding(ctx, c.deptUser, d.ID, enforce.FindingInput{Place: "仓库", Description: "堆放杂物", Violation: "a99-1",
			Deadline: "2099-01-01"})
		if err != nil {
			t.Fatal(err)
		}
		c.enf.insp.ids[n] = fd.ID
	}
}

// prepareInspections prepares the plan's inspections, each of a firm of its own.
func (f *fixture) prepareInspections(t *testing.T, c *county, plan []struct{ name, state, crew string }) {
	t.Helper()
	ctx := context.Background()
	head, err := f.orgs.ActorByUsername(ctx, "u"+c.code+"h")
	if err != nil {
		t.Fatal(err)
	}
	crews := map[string]apptest.Crew{
		"team":   {Planner: c.deptUser, Approver: head, Team: []*org.Actor{c.deptUser, c.enf.officer2}},
		"others": {Planner: c.deptUser, Approver: c.deptUser, Team: []*org.Actor{c.enf.officer2, c.enf.officer3}},
	}
	for _, p := range plan {
		firm, err := newFirm(ctx, f, c)
		if err != nil {
			t.Fatal(err)
		}
		id, err := apptest.Inspection(ctx, f.enf, f.svc.Clock, crews[p.crew], firm, p.state)
		if err != nil {
			t.Fatalf("%s: %v", p.name, err)
		}
		c.enf.insp.ids[p.name] = id
		if p.state == "approved" {
			if c.enf.insp.tokens[p.name], err = f.enf.CheckinToken(ctx, c.deptUser, firm); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func init() {
	listings = append(listings, listing{
		covers: []string{"enforce.GetInspection", "enforce.ExchangeOf", "enforce.WritForm", "enforce.OpenMedia", "enforce.OpenSignature"},
		object: func(c *county) string { return sid(c.enf.insp.ids["closed"]) },
		list: func(ctx context.Context, f *fixture, a *org.Actor) ([]string, int, error) {
			is, n, err := f.enf.ListInspections(ctx, a, enforce.InspectionFilter{State: enforce.StateClosed})
			var ids []string
			for _, i := range is {
				ids = append(ids, sid(i.ID))
			}
			return ids, n, err
		},
		get: func(ctx context.Context, f *fixture, a *org.Actor, id string) error {
			c := &f.a
			if id == sid(f.b.enf.insp.ids["closed"]) {
				c = &f.b
			}
			_, err := f.enf.GetInspection(ctx, a, i64(id))
			_, xerr := f.enf.ExchangeOf(ctx, a, i64(id))
			_, werr := f.enf.WritForm(ctx, a, i64(id), c.enf.insp.writ)
			_, file, merr := f.enf.OpenMedia(ctx, a, i64(id), c.enf.insp.media)
			if file != nil {
				file.Close()
			}
			_, serr := f.enf.OpenSignature(ctx, a, i64(id), "officer1")
			return every(err, xerr, werr, merr, serr)
		},
	})
	// On-site steps: county A's department user (on its own teams) is
	// refused county B's inspection, and so is the other department of a
	// county; each try prepares its own inspection.
	onSite := func(state string, step func(ctx context.Context, f *fixture, a *org.Actor, c *county, id int64) error) func(ctx context.Context, f *fixture, a *org.Actor, c *county) error {
		return func(ctx context.Context, f *fixture, a *org.Actor, c *county) error {
			firm, err := newFirm(ctx, f, c)
			if err != nil {
				return err
			}
			head, err := f.orgs.ActorByUsername(ctx, "u"+c.code+"h")
			if err != nil {
				return fmt.Errorf("prepare: %w", err)
			}
			crew := apptest.Crew{Planner: c.deptUser, Approver: head, Team: []*org.Actor{c.deptUser, c.enf.officer2}}
			if state == "staffed" {
				crew = apptest.Crew{Planner: c.deptUser, Approver: c.deptUser, Team: []*org.Actor{c.enf.officer2, c.enf.officer3}}
			}
			id, err := apptest.Inspection(ctx, f.enf, f.svc.Clock, crew, firm, state)
			if err != nil {
				return err
			}
			return step(ctx, f, a, c, id)
		}
	}
	tries := []deptTry{
		{"enforce.SetTask", onSite("planned", func(ctx context.Context, f *fixture, a *org.Actor, c *county, id int64) error {
			return f.enf.SetTask(ctx, a, id, enforce.TaskInput{Officers: []int64{c.enf.officer2.UserID, c.enf.officer3.UserID}, From: today(f), To: today(f)})
		})},
		{"enforce.ApproveTask", onSite("staffed", func(ctx context.Context, f *fixture, a *org.Actor, c *county, id int64) error {
			return f.enf.ApproveTask(ctx, a, id)
		})},
		{"enforce.CheckIn", onSite("approved", func(ctx context.Context, f *fixture, a *org.Actor, c *county, id int64) error {
			d, err := f.enf.GetInspection(ctx, c.deptUser, id)
			if err != nil {
				return fmt.Errorf("prepare: %w", err)
			}
			token, err := f.enf.CheckinToken(ctx, c.deptUser, d.EnterpriseID)
			if err != nil {
				return fmt.Errorf("prepare: %w", err)
			}
			_, err = f.enf.CheckIn(ctx, a, token)
			return err
		})},
		{"enforce.Start", onSite("checked_in", func(ctx context.Context, f *fixture, a *org.Actor, c *county, id int64) error {
			return f.enf.Start(ctx, a, id, enforce.StartInput{})
		})},
		{"enforce.Mark", onSite("started", func(ctx context.Context, f *fixture, a *org.Actor, c *county, id int64) error {
			d, err := f.enf.GetInspection(ctx, c.deptUser, id)
			if err != nil {
				return fmt.Errorf("prepare: %w", err)
			}
			return f.enf.Mark(ctx, a, id, []enforce.MarkInput{{Item: d.Items[0].Key, Result: "na"}})
		})},
		{"enforce.AddFinding", onSite("started", func(ctx context.Context, f *fixture, a *org.Actor, c *county, id int64) error {
			_, err := f.enf.AddFinding(ctx, a, id, enforce.FindingInput{Place: "仓库", Description: "堆放杂物", Violation: "a99-1", Deadline: "2099-01-01"})
			return err
		})},
		{"enforce.RemoveFinding", onSite("started", func(ctx context.Context, f *fixture, a *org.Actor, c *county, id int64) error {
			fd, err := f.enf.AddFinding(ctx, c.deptUser, id, enforce.FindingInput{Place: "仓库", Description: "堆放杂物", Violation: "a99-1", Deadline: "2099-01-01"})
			if err != nil {
				return fmt.Errorf("prepare: %w", err)
			}
			return f.enf.RemoveFinding(ctx, a, id, fd.ID)
		})},
		{"enforce.AddMedia", onSite("started", func(ctx context.Context, f *fixture, a *org.Actor, c *county, id int64) error {
			_, err := f.enf.AddMedia(ctx, a, id, enforce.MediaInput{Files: []files.Upload{{Name: "a.png", Body: bytes.NewReader(apptest.Signature())}}})
			return err
		})},
		{"enforce.Sign", onSite("started", func(ctx context.Context, f *fixture, a *org.Actor, c *county, id int64) error {
			return f.enf.Sign(ctx, a, id, enforce.SignInput{Role: "officer1", PNG: apptest.Signature()})
		})},
		{"enforce.Close", onSite("ready", func(ctx context.Context, f *fixture, a *org.Actor, c *county, id int64) error {
			_, err := f.enf.Close(ctx, a, id, enforce.CloseInput{Place: "厂区", Party: "张三", Summary: "检查"})
			return err
		})},
	}
	addDeptTries(tries)
	for k, v := range map[string]string{
		"enforce.Ledger":            "the rows of ListInspections (the same seeWhere) with GetInspection's detail, both scope-tested",
		"enforce.Figures":           "sums the inspections and findings under ListInspections' condition (seeWhere), no object id",
		"enforce.CheckinToken":      "an enterprise's entry code: the enterprise itself, or an official through enterprise.Ref's scope check (tested there)",
		"hazard.Found":              "writes inside the enforcement mechanism's transaction (enforce.Close), on the enterprise of an inspection the closing officer's department holds (scope-tested as enforce.Close)",
		"hazard.Rechecked":          "writes inside enforce.Close of a re-check, on the hazard a finding of the actor's department's inspection became; one another unit closes (挂牌督办) gets only a history line and that unit's 待办",
		"enforce.CheckinEnterprise": "names the enterprise of an entry code, which only its HMAC under the deployment's key makes; an officer's (enforce.inspect)",
	} {
		notListings[k] = v
	}
}

// today is the fixture's day, as a window's first.
func today(f *fixture) string { return calendar.Local(f.svc.Clock.Now()).Format("2006-01-02") }
