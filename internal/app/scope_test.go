package app_test

import (
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"anwei/internal/app"
	"anwei/internal/app/apptest"
	"anwei/internal/apperr"
	"anwei/internal/audit"
	"anwei/internal/auth"
	"anwei/internal/calendar"
	"anwei/internal/enforce"
	"anwei/internal/enterprise"
	"anwei/internal/files"
	"anwei/internal/hazard"
	"anwei/internal/inbox"
	"anwei/internal/org"
	"anwei/internal/paging"
	"anwei/internal/plan"
	"anwei/internal/risk"
	"anwei/internal/rules"
	"anwei/internal/store"
	"anwei/internal/store/storetest"
)

// county is one county of the two-county fixture, with one of each kind of
// object the listings return.
type county struct {
	code                        string
	plan                        plan.Summary
	gov, committee, office      org.Unit
	dept, street, enterprise    org.Unit
	officeUser, deptUser, entUs *org.Actor
	admin                       *org.Actor // a county administrator (TestScopeOfWrites adds it)
	task, report, notice        int64      // the department's task, its consolidated report, the office's reminder
	attachment, message         int64      // the report's attachment, the office's inbox message about it
	firm, change, certificate   int64      // a registered enterprise, its key-field change request, a certificate
	listing                     int64      // its blacklisting
	hazard                      int64      // a hazard found there, judged major and listed by the office
	hazardNumber                string
	hazardListing, hazardPhoto  int64      // its 挂牌督办 and its photo
	riskPoint                   int64      // a risk point of the enterprise
	pool                        org.Unit   // the county's 专家库, kept by its office
	expert                      *org.Actor // an expert of it
	opinion                     int64      // the office's request to the expert to judge the hazard
	enf                         enforcement
}

type fixture struct {
	plans *plan.Service
	inbox *inbox.Service
	ents  *enterprise.Service
	hzs   *hazard.Service
	risks *risk.Service
	enf   *enforce.Service
	orgs  *org.Service
	auth  *auth.Service
	db    *store.DB
	svc   *app.Services // what the fixture was built with (the scope matrix serves it)
	a, b  county
}

// newFixture sets up a city deployment (济南市) with two counties: 天桥区 (A)
// and 历下区 (B), each with its government, committee, office, a department,
// a street and an enterprise the department supervises, and users.
func newFixture(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	s := apptest.New(t, db, app.Wiring{})
	orgs := s.Org
	f := &fixture{orgs: orgs, auth: s.Auth, db: db, svc: s, plans: s.Plans, inbox: s.Inbox, ents: s.Ents, hzs: s.Hazards, risks: s.Risks, enf: s.Enforce}
	if _, err := orgs.Bootstrap(ctx, "3701"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []*county{&f.a, &f.b} {
		if c == &f.a {
			c.code = "370105"
		} else {
			c.code = "370102"
		}
		name := org.OfficialName(c.code)
		mk := func(in org.UnitInput) org.Unit {
			t.Helper()
			if in.RegionCode == "" {
				in.RegionCode = c.code
			}
			u, err := orgs.CreateUnit(ctx, org.System, in)
			if err != nil {
				t.Fatal(err)
			}
			return u
		}
		c.gov = mk(org.UnitInput{Name: name + "人民政府", Kind: org.KindGovernment})
		c.committee = mk(org.UnitInput{Name: name + "安全生产委员会", Kind: org.KindCommittee})
		c.office = mk(org.UnitInput{Name: name + "安委会办公室", Kind: org.KindCommitteeOffice})
		c.dept = mk(org.UnitInput{Name: name + "应急管理局", ShortName: "区应急局", Kind: org.KindDepartment})
		c.street = mk(org.UnitInput{Name: name + "某街道办事处", Kind: org.KindStreet, RegionCode: streetOf(t, c.code)})
		c.enterprise = mk(org.UnitInput{Name: name + "某化工有限公司", Kind: org.KindEnterprise, RegionCode: streetOf(t, c.code)})
		for _, m := range []struct {
			u    org.Unit
			role org.CommitteeRole
		}{{c.office, org.CommitteeOffice}, {c.dept, org.CommitteeMember}} {
			if err := orgs.SetMember(ctx, org.System, c.committee.ID, m.u.ID, m.role); err != nil {
				t.Fatal(err)
			}
		}
		if err := orgs.SetSupervision(ctx, org.System, c.dept.ID, c.enterprise.ID, true); err != nil {
			t.Fatal(err)
		}
		c.officeUser = f.user(t, c.code+"o", c.office, org.RoleOffice)
		parsed, err := plan.Parse("2024年工作要点\n一、总则\n(一)加强领导。每季度至少研究1次。(责任单位:区应急局)\n", 2024)
		if err != nil {
			t.Fatal(err)
		}
		if c.plan, err = f.plans.Import(ctx, c.officeUser, plan.ImportInput{Parsed: parsed, SourceHash: c.code,
			Resolved: map[string][]int64{"区应急局": {c.dept.ID}}}); err != nil {
			t.Fatal(err)
		}
		c.deptUser = f.user(t, c.code+"d", c.dept, org.RoleMember)
		c.entUs = f.user(t, c.code+"e", c.enterprise, org.RoleEnterprise)
		c.pool = mk(org.UnitInput{Name: name + "安全生产专家库", Kind: org.KindExpertPool, ParentID: c.office.ID})
		c.expert = f.user(t, c.code+"x", c.pool, org.RoleExpert)
		f.progress(t, c)
		f.registry(t, c)
		f.enforcement(t, c)
		for _, a := range []*org.Actor{c.officeUser, c.deptUser, c.entUs} {
			if _, _, err := f.auth.IssueToken(ctx, a, auth.TokenInput{Name: "对接 " + a.Username, Area: "hazard"}); err != nil && !apperr.Is(err, apperr.Forbidden) {
				t.Fatal(err)
			}
		}
	}
	return f
}

// progress gives the county's plan a consolidated report with an attachment
// (which tells the office) and a reminder to the department.
func (f *fixture) progress(t *testing.T, c *county) {
	t.Helper()
	ctx := context.Background()
	as, _, err := f.plans.ListAssignments(ctx, c.deptUser, plan.AssignmentFilter{PlanID: c.plan.PlanID})
	if err != nil || len(as) == 0 {
		t.Fatalf("department's assignments: %v", err)
	}
	c.task = as[0].TaskID
	if c.report, err = f.plans.SubmitReport(ctx, c.deptUser, c.task, plan.KindConsolidated, "已研究2次",
		[]plan.Upload{{Name: "纪要.pdf", ContentType: "application/pdf", Body: strings.NewReader("%PDF-1.4 " + c.code)}}); err != nil {
		t.Fatal(err)
	}
	rs, _, err := f.plans.ListReports(ctx, c.deptUser, plan.ReportFilter{TaskID: c.task})
	if err != nil || len(rs) != 1 || len(rs[0].Attachments) != 1 {
		t.Fatalf("report: %+v %v", rs, err)
	}
	c.attachment = rs[0].Attachments[0].ID
	ms, _, _, err := f.inbox.ListInbox(ctx, c.officeUser, paging.Page{})
	if err != nil || len(ms) == 0 {
		t.Fatalf("office inbox: %v", err)
	}
	c.message = ms[0].ID
	is, _, err := f.plans.ListInstances(ctx, c.officeUser, plan.InstanceFilter{PlanID: c.plan.PlanID, Status: plan.StatusOverdue})
	if err != nil || len(is) == 0 {
		t.Fatalf("overdue duties: %v", err)
	}
	ids, err := f.plans.IssueNotices(ctx, c.officeUser, plan.NoticeInput{Kind: plan.NoticeReminder, InstanceIDs: []int64{is[0].ID},
		AnswerBy: time.Now().AddDate(0, 0, 10).Format("2006-01-02")})
	if err != nil || len(ids) != 1 {
		t.Fatalf("reminder: %v", err)
	}
	c.notice = ids[0]
}

// registry registers an enterprise in the county's street (supervised by its
// department through a duty rule), gives it a certificate, and has its own
// user ask to rename it (a key-field change request).
func (f *fixture) registry(t *testing.T, c *county) {
	t.Helper()
	ctx := context.Background()
	if _, err := f.ents.SetDutyRule(ctx, c.officeUser, "hazchem", c.dept.ID, true); err != nil {
		t.Fatal(err)
	}
	code := map[string]string{"370105": "91370105MA3C00001", "370102": "91370102MA3C00002"}[c.code]
	ch, _ := rules.CreditCheckChar(code)
	e, err := f.ents.Create(ctx, c.officeUser, enterprise.Input{Name: org.OfficialName(c.code) + "登记化工有限公司", CreditCode: code + string(ch),
		RegionCode: streetOf(t, c.code), Categories: "危险化学品"})
	if err != nil {
		t.Fatal(err)
	}
	c.firm = e.UnitID
	soon := time.Now().AddDate(-3, 0, 20).Format("2006-01-02") // expires in 20 days
	cert, err := f.ents.AddCertificate(ctx, c.officeUser, e.UnitID, enterprise.CertificateInput{Person: "张三", Post: "主要负责人", Number: "C" + c.code, IssuedOn: soon})
	if err != nil {
		t.Fatal(err)
	}
	c.certificate = cert.ID
	h, err := f.hzs.Report(ctx, c.officeUser, hazard.ReportInput{EnterpriseID: e.UnitID, Place: "储罐区", Description: "防火堤破损", Source: "inspection",
		Photos: []files.Upload{{Name: "防火堤.jpg", ContentType: "image/jpeg", Body: strings.NewReader("\xff\xd8\xff\xe0 jpeg " + c.code)}}})
	if err != nil {
		t.Fatal(err)
	}
	c.hazard, c.hazardNumber = h.ID, h.Number
	os, err := f.hzs.AskExperts(ctx, c.officeUser, h.ID, hazard.AskInput{ExpertIDs: []int64{c.expert.UserID}, Question: "是否构成重大事故隐患"})
	if err != nil || len(os) != 1 {
		t.Fatalf("ask the expert: %v", err)
	}
	c.opinion = os[0].ID
	if _, err := f.hzs.Act(ctx, c.officeUser, h.ID, hazard.Step{Action: hazard.Judge, Level: hazard.Major, Criterion: "hg121-5"}); err != nil {
		t.Fatal(err)
	}
	l, err := f.hzs.AddListing(ctx, c.officeUser, h.ID, hazard.ListingInput{Deadline: time.Now().AddDate(0, 2, 0).Format("2006-01-02")})
	if err != nil {
		t.Fatal(err)
	}
	c.hazardListing = l.ID
	ps, err := f.hzs.ListPhotos(ctx, c.officeUser, h.ID)
	if err != nil || len(ps) != 1 {
		t.Fatalf("photos %+v %v", ps, err)
	}
	c.hazardPhoto = ps[0].ID
	rp, err := f.risks.Create(ctx, c.officeUser, risk.Input{EnterpriseID: e.UnitID, Name: "储罐区", Factors: "泄漏", Accidents: "火灾",
		Measures: "巡检", Responsible: "张三", Inputs: risk.Inputs{L: 3, E: 6, C: 7}})
	if err != nil {
		t.Fatal(err)
	}
	c.riskPoint = rp.ID
	if c.listing, err = f.ents.AddToBlacklist(ctx, c.officeUser, e.UnitID, enterprise.ListingInput{Reason: "瞒报事故", Basis: "办法第八条",
		ListedOn: time.Now().AddDate(0, -1, 0).Format("2006-01-02")}); err != nil {
		t.Fatal(err)
	}
	u, err := f.orgs.GetUnit(ctx, org.System, e.UnitID)
	if err != nil {
		t.Fatal(err)
	}
	own := f.user(t, c.code+"f", u, org.RoleEnterprise)
	in := enterprise.Input{Name: e.Name + "(更名)", CreditCode: e.CreditCode, RegionCode: e.RegionCode, Categories: "危险化学品"}
	if _, c.change, err = f.ents.Update(ctx, own, e.UnitID, in); err != nil || c.change == 0 {
		t.Fatalf("change request: %d %v", c.change, err)
	}
}

func streetOf(t *testing.T, county string) string {
	t.Helper()
	rs, err := org.Subtree(county)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if r.Level == org.LevelTownship {
			return r.Code
		}
	}
	t.Fatalf("no township under %s", county)
	return ""
}

func (f *fixture) user(t *testing.T, name string, u org.Unit, r org.Role) *org.Actor {
	t.Helper()
	ctx := context.Background()
	us, err := f.orgs.CreateUser(ctx, org.System, org.UserInput{Username: "u" + name, DisplayName: "测试" + name, UnitID: u.ID,
		Roles: []org.Role{r}, Password: "Anquan2026"})
	if err != nil {
		t.Fatal(err)
	}
	a, err := f.orgs.ActorByID(ctx, us.ID)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// listing is one scoped listing: which county object it must show, how to
// list (returning ids and the total the service reports) and how to get one
// by id.
type listing struct {
	covers []string // the exported functions this entry tests, "pkg.Name"
	object func(c *county) string
	list   func(ctx context.Context, f *fixture, a *org.Actor) ([]string, int, error)
	// noCount says why the service reports no total of these rows; the
	// entry's list then returns -1 and only the count check is skipped.
	noCount string
	// denied are the fixture's users ("department", "enterprise") whose
	// role may not call the listing at all: list and get answer Forbidden.
	denied []string
	get    func(ctx context.Context, f *fixture, a *org.Actor, id string) error
}

// noTotal is what an entry with noCount returns as its total.
const noTotal = -1

// every is the verdict of several gets of one object: nil when each found
// it, not found when each answered not found, and otherwise an error naming
// the split (one function leaks what another hides).
func every(errs ...error) error {
	found, missing := 0, 0
	for _, err := range errs {
		switch {
		case err == nil:
			found++
		case apperr.Is(err, apperr.NotFound):
			missing++
		}
	}
	switch {
	case found == len(errs):
		return nil
	case missing == len(errs):
		return apperr.New(apperr.NotFound, "not found by any")
	}
	return fmt.Errorf("the gets disagree: %v", errs)
}

// thisYear is the fixture's year in Asia/Shanghai (its hazards are reported now).
func thisYear() int { return time.Now().In(calendar.Shanghai).Year() }

// figureIDs turns hazard figures into one id per hazard counted: the county
// code of its line.
func figureIDs(lines []hazard.Count) []string {
	var ids []string
	for _, l := range lines {
		for range l.Total {
			ids = append(ids, l.Key[:min(6, len(l.Key))])
		}
	}
	return ids
}

// countsCounty answers whether a county's hazards are counted in lines.
func countsCounty(lines []hazard.Count, code string) error {
	for _, l := range lines {
		if strings.HasPrefix(l.Key, code) && l.Total > 0 {
			return nil
		}
	}
	return apperr.New(apperr.NotFound, "county not counted")
}

func i64(s string) int64 { n, _ := strconv.ParseInt(s, 10, 64); return n }
func sid(n int64) string { return strconv.FormatInt(n, 10) }

// listings is every listing anwei has. TestEveryListingIsScopeTested fails
// when an exported List*/Get* function is missing here.
var listings = []listing{
	{
		covers: []string{"org.ListRegions", "org.GetRegion", "org.RegionPath"},
		object: func(c *county) string { return c.code },
		list: func(ctx context.Context, f *fixture, a *org.Actor) ([]string, int, error) {
			var ids []string
			total := 0
			// walk the whole visible tree: the top, then every child list
			queue := []string{""}
			for len(queue) > 0 {
				parent := queue[0]
				queue = queue[1:]
				rs, n, err := f.orgs.ListRegions(ctx, a, org.RegionFilter{Parent: parent, Page: paging.Page{Limit: 500}})
				if err != nil {
					return nil, 0, err
				}
				total += n
				for _, r := range rs {
					ids = append(ids, r.Code)
					if r.Level < org.LevelCounty {
						queue = append(queue, r.Code)
					}
				}
			}
			// and a search, which must not leak either
			rs, _, err := f.orgs.ListRegions(ctx, a, org.RegionFilter{Q: "区", Page: paging.Page{Limit: 500}})
			for _, r := range rs {
				if !slices.Contains(ids, r.Code) && r.Level <= org.LevelCounty {
					ids = append(ids, r.Code)
					total++
				}
			}
			return ids, total, err
		},
		get: func(ctx context.Context, f *fixture, a *org.Actor, id string) error {
			_, err := f.orgs.GetRegion(ctx, a, id)
			path, perr := f.orgs.RegionPath(ctx, a, id)
			if perr == nil && len(path) == 0 {
				perr = apperr.New(apperr.NotFound, "an empty path") // it reveals nothing
			}
			return every(err, perr)
		},
	},
	{
		covers: []string{"org.ListUnits", "org.GetUnit"},
		object: func(c *county) string { return sid(c.enterprise.ID) },
		list: func(ctx context.Context, f *fixture, a *org.Actor) ([]string, int, error) {
			us, n, err := f.orgs.ListUnits(ctx, a, org.UnitFilter{Page: paging.Page{Limit: 500}})
			var ids []string
			for _, u := range us {
				ids = append(ids, sid(u.ID))
			}
			return ids, n, err
		},
		get: func(ctx context.Context, f *fixture, a *org.Actor, id string) error {
			_, err := f.orgs.GetUnit(ctx, a, i64(id))
			return err
		},
	},
	{
		covers: []string{"org.ListUsers", "org.GetUser"},
		object: func(c *county) string { return sid(c.entUs.UserID) },
		list: func(ctx context.Context, f *fixture, a *org.Actor) ([]string, int, error) {
			us, n, err := f.orgs.ListUsers(ctx, a, org.UserFilter{Page: paging.Page{Limit: 500}})
			var ids []string
			for _, u := range us {
				ids = append(ids, sid(u.ID))
			}
			return ids, n, err
		},
		get: func(ctx context.Context, f *fixture, a *org.Actor, id string) error {
			_, err := f.orgs.GetUser(ctx, a, i64(id))
			return err
		},
	},
	{
		covers: []string{"org.ListMembers"},
		object: func(c *county) string { return sid(c.committee.ID) + "/" + sid(c.dept.ID) },
		list: func(ctx context.Context, f *fixture, a *org.Actor) ([]string, int, error) {
			// the members of every committee the actor can see
			cs, _, err := f.orgs.ListUnits(ctx, a, org.UnitFilter{Kind: org.KindCommittee, Page: paging.Page{Limit: 500}})
			if err != nil {
				return nil, 0, err
			}
			var ids []string
			for _, c := range cs {
				ms, err := f.orgs.ListMembers(ctx, a, c.ID)
				if err != nil {
					return nil, 0, err
				}
				for _, m := range ms {
					ids = append(ids, sid(c.ID)+"/"+sid(m.Unit.ID))
				}
			}
			return ids, noTotal, nil
		},
		noCount: "a committee's members come whole, without a count",
		get: func(ctx context.Context, f *fixture, a *org.Actor, id string) error {
			cid, mid, _ := strings.Cut(id, "/")
			ms, err := f.orgs.ListMembers(ctx, a, i64(cid))
			if err != nil {
				return err
			}
			for _, m := range ms {
				if sid(m.Unit.ID) == mid {
					return nil
				}
			}
			return apperr.New(apperr.NotFound, "member not listed")
		},
	},
	{
		covers: []string{"audit.List", "audit.Get"},
		object: func(c *county) string { return "unit.create:" + sid(c.enterprise.ID) },
		list: func(ctx context.Context, f *fixture, a *org.Actor) ([]string, int, error) {
			evs, n, err := audit.List(ctx, f.db, a.Scope, audit.Filter{Page: paging.Page{Limit: 200}})
			for off := 200; err == nil && off < n; off += 200 {
				var more []audit.Event
				more, _, err = audit.List(ctx, f.db, a.Scope, audit.Filter{Page: paging.Page{Limit: 200, Offset: off}})
				evs = append(evs, more...)
			}
			var ids []string
			for _, e := range evs {
				ids = append(ids, e.Action+":"+e.ObjectID)
			}
			return ids, n, err
		},
		get: func(ctx context.Context, f *fixture, a *org.Actor, id string) error {
			action, obj, _ := strings.Cut(id, ":")
			evs, _, err := audit.List(ctx, f.db, org.System.Scope, audit.Filter{Action: action, ObjectKind: "unit", ObjectID: obj})
			if err != nil || len(evs) != 1 {
				return fmt.Errorf("event %s: %d found, err %v", id, len(evs), err)
			}
			_, err = audit.Get(ctx, f.db, a.Scope, evs[0].Seq)
			return err
		},
	},
	{
		// The log as users read it: org checks the role (only the office
		// reads the log) before the scope.
		covers: []string{"org.AuditEvents", "org.AuditEvent"},
		object: func(c *county) string { return "unit.create:" + sid(c.enterprise.ID) },
		list: func(ctx context.Context, f *fixture, a *org.Actor) ([]string, int, error) {
			evs, n, err := f.orgs.AuditEvents(ctx, a, audit.Filter{Page: paging.Page{Limit: 200}})
			for off := 200; err == nil && off < n; off += 200 {
				var more []audit.Event
				more, _, err = f.orgs.AuditEvents(ctx, a, audit.Filter{Page: paging.Page{Limit: 200, Offset: off}})
				evs = append(evs, more...)
			}
			var ids []string
			for _, e := range evs {
				ids = append(ids, e.Action+":"+e.ObjectID)
			}
			return ids, n, err
		},
		denied: []string{"department", "enterprise"},
		get: func(ctx context.Context, f *fixture, a *org.Actor, id string) error {
			action, obj, _ := strings.Cut(id, ":")
			evs, _, err := audit.List(ctx, f.db, org.System.Scope, audit.Filter{Action: action, ObjectKind: "unit", ObjectID: obj})
			if err != nil || len(evs) != 1 {
				return fmt.Errorf("event %s: %d found, err %v", id, len(evs), err)
			}
			_, err = f.orgs.AuditEvent(ctx, a, evs[0].Seq)
			return err
		},
	},
	{
		covers: []string{"plan.ListPlans", "plan.GetPlan"},
		object: func(c *county) string { return sid(c.plan.PlanID) },
		list: func(ctx context.Context, f *fixture, a *org.Actor) ([]string, int, error) {
			ps, n, err := f.plans.ListPlans(ctx, a, paging.Page{Limit: 500})
			var ids []string
			for _, p := range ps {
				ids = append(ids, sid(p.ID))
			}
			return ids, n, err
		},
		get: func(ctx context.Context, f *fixture, a *org.Actor, id string) error {
			_, err := f.plans.GetPlan(ctx, a, i64(id))
			return err
		},
	},
	{
		covers: []string{"plan.ListAssignments"},
		object: func(c *county) string { return sid(c.plan.PlanID) + "/" + sid(c.dept.ID) },
		list: func(ctx context.Context, f *fixture, a *org.Actor) ([]string, int, error) {
			as, n, err := f.plans.ListAssignments(ctx, a, plan.AssignmentFilter{Page: paging.Page{Limit: 500}})
			var ids []string
			for _, x := range as {
				ids = append(ids, sid(x.PlanID)+"/"+sid(x.UnitID))
			}
			return ids, n, err
		},
		get: func(ctx context.Context, f *fixture, a *org.Actor, id string) error {
			pid, uid, _ := strings.Cut(id, "/")
			as, _, err := f.plans.ListAssignments(ctx, a, plan.AssignmentFilter{PlanID: i64(pid), UnitID: i64(uid)})
			if err == nil && len(as) == 0 {
				return apperr.New(apperr.NotFound, "assignment not listed")
			}
			return err
		},
	},
	{
		covers: []string{"plan.ListDuties"},
		object: func(c *county) string { return sid(c.plan.PlanID) + "/" + sid(c.dept.ID) },
		list: func(ctx context.Context, f *fixture, a *org.Actor) ([]string, int, error) {
			ds, n, err := f.plans.ListDuties(ctx, a, plan.DutyFilter{Page: paging.Page{Limit: 500}})
			var ids []string
			for _, x := range ds {
				ids = append(ids, sid(x.PlanID)+"/"+sid(x.UnitID))
			}
			return ids, n, err // one row per item and unit
		},
		get: func(ctx context.Context, f *fixture, a *org.Actor, id string) error {
			pid, uid, _ := strings.Cut(id, "/")
			ds, _, err := f.plans.ListDuties(ctx, a, plan.DutyFilter{PlanID: i64(pid), UnitID: i64(uid)})
			if err == nil && len(ds) == 0 {
				return apperr.New(apperr.NotFound, "duty not listed")
			}
			return err
		},
	},
	{
		covers: []string{"plan.ListInstances"},
		object: func(c *county) string { return sid(c.plan.PlanID) + "/" + sid(c.dept.ID) },
		list: func(ctx context.Context, f *fixture, a *org.Actor) ([]string, int, error) {
			is, n, err := f.plans.ListInstances(ctx, a, plan.InstanceFilter{Page: paging.Page{Limit: 500}})
			var ids []string
			for _, x := range is {
				ids = append(ids, sid(x.PlanID)+"/"+sid(x.UnitID))
			}
			return ids, n, err // one row per period of a duty
		},
		get: func(ctx context.Context, f *fixture, a *org.Actor, id string) error {
			pid, uid, _ := strings.Cut(id, "/")
			is, _, err := f.plans.ListInstances(ctx, a, plan.InstanceFilter{PlanID: i64(pid), UnitID: i64(uid)})
			if err == nil && len(is) == 0 {
				return apperr.New(apperr.NotFound, "instance not listed")
			}
			return err
		},
	},
	{
		covers: []string{"plan.GetTask"},
		object: func(c *county) string { return sid(c.task) },
		list: func(ctx context.Context, f *fixture, a *org.Actor) ([]string, int, error) {
			// a task once per unit assigned to it: the assignments' count
			as, n, err := f.plans.ListAssignments(ctx, a, plan.AssignmentFilter{Page: paging.Page{Limit: 500}})
			var ids []string
			for _, x := range as {
				ids = append(ids, sid(x.TaskID))
			}
			return ids, n, err
		},
		get: func(ctx context.Context, f *fixture, a *org.Actor, id string) error {
			_, err := f.plans.GetTask(ctx, a, i64(id))
			return err
		},
	},
	{
		covers: []string{"plan.ListReports"},
		object: func(c *county) string { return sid(c.report) },
		list: func(ctx context.Context, f *fixture, a *org.Actor) ([]string, int, error) {
			rs, n, err := f.plans.ListReports(ctx, a, plan.ReportFilter{Page: paging.Page{Limit: 500}})
			var ids []string
			for _, r := range rs {
				ids = append(ids, sid(r.ID))
			}
			return ids, n, err
		},
		get: func(ctx context.Context, f *fixture, a *org.Actor, id string) error {
			rs, _, err := f.plans.ListReports(ctx, a, plan.ReportFilter{Page: paging.Page{Limit: 500}})
			if err != nil {
				return err
			}
			for _, r := range rs {
				if sid(r.ID) == id {
					return nil
				}
			}
			return apperr.New(apperr.NotFound, "report not listed")
		},
	},
	{
		covers: []string{"plan.GetAttachment"},
		object: func(c *county) string { return sid(c.attachment) },
		list: func(ctx context.Context, f *fixture, a *org.Actor) ([]string, int, error) {
			rs, _, err := f.plans.ListReports(ctx, a, plan.ReportFilter{Page: paging.Page{Limit: 500}})
			var ids []string
			for _, r := range rs {
				for _, x := range r.Attachments {
					ids = append(ids, sid(x.ID))
				}
			}
			return ids, noTotal, err
		},
		noCount: "attachments come inside their reports, without a count",
		get: func(ctx context.Context, f *fixture, a *org.Actor, id string) error {
			_, err := f.plans.GetAttachment(ctx, a, i64(id))
			return err
		},
	},
	{
		covers: []string{"plan.ListNotices", "plan.GetNotice"},
		object: func(c *county) string { return sid(c.notice) },
		list: func(ctx context.Context, f *fixture, a *org.Actor) ([]string, int, error) {
			ns, n, err := f.plans.ListNotices(ctx, a, plan.NoticeFilter{Page: paging.Page{Limit: 500}})
			var ids []string
			for _, x := range ns {
				ids = append(ids, sid(x.ID))
			}
			return ids, n, err
		},
		get: func(ctx context.Context, f *fixture, a *org.Actor, id string) error {
			_, err := f.plans.GetNotice(ctx, a, i64(id))
			return err
		},
	},
	{
		covers: []string{"inbox.ListInbox"},
		object: func(c *county) string { return sid(c.message) },
		list: func(ctx context.Context, f *fixture, a *org.Actor) ([]string, int, error) {
			ms, n, _, err := f.inbox.ListInbox(ctx, a, paging.Page{Limit: 200})
			var ids []string
			for _, m := range ms {
				ids = append(ids, sid(m.ID))
			}
			return ids, n, err
		},
		get: func(ctx context.Context, f *fixture, a *org.Actor, id string) error {
			ms, _, _, err := f.inbox.ListInbox(ctx, a, paging.Page{Limit: 200})
			if err != nil {
				return err
			}
			for _, m := range ms {
				if sid(m.ID) == id {
					return nil
				}
			}
			return apperr.New(apperr.NotFound, "message not listed")
		},
	},
	{
		// The office's message about the department's report asks it to
		// decide: an item of its 待办, in no other unit's.
		covers: []string{"inbox.ListTodo"},
		object: func(c *county) string { return sid(c.message) },
		list: func(ctx context.Context, f *fixture, a *org.Actor) ([]string, int, error) {
			ts, n, err := f.inbox.ListTodo(ctx, a, "2026-12-01", paging.Page{Limit: 200})
			var ids []string
			for _, t := range ts {
				ids = append(ids, sid(t.ID))
			}
			return ids, n, err
		},
		get: func(ctx context.Context, f *fixture, a *org.Actor, id string) error {
			ts, _, err := f.inbox.ListTodo(ctx, a, "2026-12-01", paging.Page{Limit: 200})
			if err != nil {
				return err
			}
			for _, t := range ts {
				if sid(t.ID) == id {
					return nil
				}
			}
			return apperr.New(apperr.NotFound, "to-do not listed")
		},
	},
	{
		covers: []string{"enterprise.List", "enterprise.Get", "enterprise.Ref", "enterprise.OnKeyList", "enterprise.Supervisors", "enterprise.Installations"},
		object: func(c *county) string { return sid(c.firm) },
		list: func(ctx context.Context, f *fixture, a *org.Actor) ([]string, int, error) {
			es, n, err := f.ents.List(ctx, a, enterprise.Filter{Page: paging.Page{Limit: 500}})
			var ids []string
			for _, e := range es {
				ids = append(ids, sid(e.UnitID))
			}
			return ids, n, err
		},
		get: func(ctx context.Context, f *fixture, a *org.Actor, id string) error {
			_, err := f.ents.Get(ctx, a, i64(id))
			_, rerr := f.ents.Ref(ctx, a, i64(id))
			_, _, kerr := f.ents.OnKeyList(ctx, a, i64(id))
			sv, serr := f.ents.Supervisors(ctx, a, i64(id))
			if serr == nil && len(sv) == 0 {
				serr = fmt.Errorf("enterprise %s has no supervisor", id)
			}
			_, ierr := f.ents.Installations(ctx, a, i64(id))
			return every(err, rerr, kerr, serr, ierr)
		},
	},
	{
		covers: []string{"hazard.List", "hazard.Get", "hazard.GetHistory"},
		object: func(c *county) string { return sid(c.hazard) },
		list: func(ctx context.Context, f *fixture, a *org.Actor) ([]string, int, error) {
			hs, n, err := f.hzs.List(ctx, a, hazard.Filter{Page: paging.Page{Limit: 500}})
			var ids []string
			for _, h := range hs {
				ids = append(ids, sid(h.ID))
			}
			return ids, n, err
		},
		get: func(ctx context.Context, f *fixture, a *org.Actor, id string) error {
			_, err := f.hzs.Get(ctx, a, i64(id))
			_, herr := f.hzs.GetHistory(ctx, a, i64(id))
			return every(err, herr)
		},
	},
	{
		covers: []string{"hazard.Requests", "hazard.GetRequest"},
		object: func(c *county) string { return sid(c.opinion) },
		denied: []string{"enterprise"},
		list: func(ctx context.Context, f *fixture, a *org.Actor) ([]string, int, error) {
			os, n, err := f.hzs.Requests(ctx, a, hazard.RequestFilter{Page: paging.Page{Limit: 500}})
			var ids []string
			for _, o := range os {
				ids = append(ids, sid(o.ID))
			}
			return ids, n, err
		},
		get: func(ctx context.Context, f *fixture, a *org.Actor, id string) error {
			_, err := f.hzs.GetRequest(ctx, a, i64(id))
			return err
		},
	},
	{
		covers: []string{"hazard.Opinions"},
		object: func(c *county) string { return sid(c.opinion) },
		denied: []string{"enterprise"},
		list: func(ctx context.Context, f *fixture, a *org.Actor) ([]string, int, error) {
			var ids []string
			for _, hid := range []int64{f.a.hazard, f.b.hazard} {
				os, err := f.hzs.Opinions(ctx, a, hid)
				if apperr.Is(err, apperr.NotFound) {
					continue
				}
				if err != nil {
					return nil, 0, err
				}
				for _, o := range os {
					ids = append(ids, sid(o.ID))
				}
			}
			return ids, noTotal, nil
		},
		noCount: "a hazard's opinions come whole, without a count",
		get: func(ctx context.Context, f *fixture, a *org.Actor, id string) error {
			hid := map[int64]int64{f.a.opinion: f.a.hazard, f.b.opinion: f.b.hazard}[i64(id)]
			os, err := f.hzs.Opinions(ctx, a, hid)
			if err == nil && !slices.ContainsFunc(os, func(o hazard.Opinion) bool { return sid(o.ID) == id }) {
				err = fmt.Errorf("Opinions(%d) lacks request %s", hid, id)
			}
			return err
		},
	},
	{
		covers: []string{"hazard.Experts"},
		object: func(c *county) string { return sid(c.expert.UserID) },
		denied: []string{"enterprise"},
		list: func(ctx context.Context, f *fixture, a *org.Actor) ([]string, int, error) {
			xs, n, err := f.hzs.Experts(ctx, a, "", paging.Page{Limit: 500})
			var ids []string
			for _, x := range xs {
				ids = append(ids, sid(x.ID))
			}
			return ids, n, err
		},
		get: func(ctx context.Context, f *fixture, a *org.Actor, id string) error {
			xs, _, err := f.hzs.Experts(ctx, a, "", paging.Page{Limit: 500})
			if err == nil && !slices.ContainsFunc(xs, func(x hazard.Expert) bool { return sid(x.ID) == id }) {
				err = apperr.New(apperr.NotFound, "expert not listed")
			}
			return err
		},
	},
	{
		covers: []string{"hazard.Listings", "hazard.GetListing", "hazard.ListingsOf"},
		object: func(c *county) string { return sid(c.hazardListing) },
		list: func(ctx context.Context, f *fixture, a *org.Actor) ([]string, int, error) {
			ls, n, err := f.hzs.Listings(ctx, a, hazard.ListingFilter{Page: paging.Page{Limit: 500}})
			var ids []string
			for _, l := range ls {
				ids = append(ids, sid(l.ID))
			}
			return ids, n, err
		},
		get: func(ctx context.Context, f *fixture, a *org.Actor, id string) error {
			_, err := f.hzs.GetListing(ctx, a, i64(id))
			hid := map[int64]int64{f.a.hazardListing: f.a.hazard, f.b.hazardListing: f.b.hazard}[i64(id)]
			ls, oerr := f.hzs.ListingsOf(ctx, a, hid)
			if oerr == nil && !slices.ContainsFunc(ls, func(x hazard.Listing) bool { return sid(x.ID) == id }) {
				oerr = fmt.Errorf("ListingsOf(%d) lacks listing %s", hid, id)
			}
			return every(err, oerr)
		},
	},
	{
		covers: []string{"hazard.ListPhotos", "hazard.GetPhoto"},
		object: func(c *county) string { return sid(c.hazardPhoto) },
		list: func(ctx context.Context, f *fixture, a *org.Actor) ([]string, int, error) {
			hs, _, err := f.hzs.List(ctx, a, hazard.Filter{Page: paging.Page{Limit: 500}})
			var ids []string
			for _, h := range hs {
				ps, perr := f.hzs.ListPhotos(ctx, a, h.ID)
				if perr != nil {
					return nil, 0, perr
				}
				for _, p := range ps {
					ids = append(ids, sid(p.ID))
				}
			}
			return ids, noTotal, err
		},
		noCount: "a hazard's photos come whole, without a count",
		get: func(ctx context.Context, f *fixture, a *org.Actor, id string) error {
			_, err := f.hzs.GetPhoto(ctx, a, i64(id))
			return err
		},
	},
	{
		covers: []string{"risk.List", "risk.Get", "risk.ListAssessments"},
		object: func(c *county) string { return sid(c.riskPoint) },
		list: func(ctx context.Context, f *fixture, a *org.Actor) ([]string, int, error) {
			ps, n, err := f.risks.List(ctx, a, risk.Filter{Page: paging.Page{Limit: 500}})
			var ids []string
			for _, p := range ps {
				ids = append(ids, sid(p.ID))
			}
			return ids, n, err
		},
		get: func(ctx context.Context, f *fixture, a *org.Actor, id string) error {
			_, err := f.risks.Get(ctx, a, i64(id))
			as, aerr := f.risks.ListAssessments(ctx, a, i64(id))
			if aerr == nil && len(as) == 0 {
				aerr = fmt.Errorf("risk point %s has no assessment", id)
			}
			return every(err, aerr)
		},
	},
	{
		covers: []string{"risk.CountColours"},
		object: func(c *county) string { return c.code },
		list: func(ctx context.Context, f *fixture, a *org.Actor) ([]string, int, error) {
			shares, err := f.risks.CountColours(ctx, a, 0)
			if err != nil {
				return nil, 0, err
			}
			var ids []string
			for _, s := range shares {
				for range s.Total() {
					ids = append(ids, s.Key[:6])
				}
			}
			// the colours count every risk point the actor may list
			_, n, err := f.risks.List(ctx, a, risk.Filter{})
			return ids, n, err
		},
		get: func(ctx context.Context, f *fixture, a *org.Actor, code string) error {
			firm := map[string]int64{f.a.code: f.a.firm, f.b.code: f.b.firm}[code]
			shares, err := f.risks.CountColours(ctx, a, firm)
			if err == nil && len(shares) != 1 {
				return fmt.Errorf("one enterprise's share: %+v", shares)
			}
			return err
		},
	},
	{
		covers: []string{"risk.ByStreet"},
		object: func(c *county) string { return c.code },
		list: func(ctx context.Context, f *fixture, a *org.Actor) ([]string, int, error) {
			tiles, err := f.risks.ByStreet(ctx, a)
			if err != nil {
				return nil, 0, err
			}
			var ids []string
			for _, tl := range tiles {
				for range tl.Total() {
					ids = append(ids, tl.Key[:6])
				}
			}
			// the tiles count every risk point the actor may list
			_, n, err := f.risks.List(ctx, a, risk.Filter{})
			return ids, n, err
		},
		get: func(ctx context.Context, f *fixture, a *org.Actor, code string) error {
			tiles, err := f.risks.ByStreet(ctx, a)
			if err != nil {
				return err
			}
			for _, tl := range tiles {
				if strings.HasPrefix(tl.Key, code) && tl.Total() > 0 {
					return nil
				}
			}
			return apperr.New(apperr.NotFound, "no tile with the county's points")
		},
	},
	{
		covers: []string{"enterprise.ListCredit"},
		object: func(c *county) string { return sid(c.firm) + "/" + sid(c.listing) },
		list: func(ctx context.Context, f *fixture, a *org.Actor) ([]string, int, error) {
			es, _, err := f.ents.List(ctx, a, enterprise.Filter{Blacklisted: true, Page: paging.Page{Limit: 500}})
			var ids []string
			for _, e := range es {
				ls, lerr := f.ents.ListCredit(ctx, a, e.UnitID)
				if lerr != nil {
					return nil, 0, lerr
				}
				for _, l := range ls {
					ids = append(ids, sid(e.UnitID)+"/"+sid(l.ID))
				}
			}
			return ids, noTotal, err
		},
		noCount: "an enterprise's credit listings come whole, without a count",
		get: func(ctx context.Context, f *fixture, a *org.Actor, id string) error {
			firm, lid, _ := strings.Cut(id, "/")
			ls, err := f.ents.ListCredit(ctx, a, i64(firm))
			if err != nil {
				return err
			}
			for _, l := range ls {
				if sid(l.ID) == lid {
					return nil
				}
			}
			return apperr.New(apperr.NotFound, "listing not listed")
		},
	},
	{
		covers: []string{"enterprise.ListChanges", "enterprise.PendingChanges"},
		object: func(c *county) string { return sid(c.change) },
		list: func(ctx context.Context, f *fixture, a *org.Actor) ([]string, int, error) {
			cs, n, err := f.ents.ListChanges(ctx, a, "", paging.Page{Limit: 500})
			var ids []string
			for _, c := range cs {
				ids = append(ids, sid(c.ID))
			}
			return ids, n, err
		},
		get: func(ctx context.Context, f *fixture, a *org.Actor, id string) error {
			listed := func(cs []enterprise.Change, err error) error {
				if err != nil {
					return err
				}
				for _, c := range cs {
					if sid(c.ID) == id {
						return nil
					}
				}
				return apperr.New(apperr.NotFound, "change not listed")
			}
			all, _, err := f.ents.ListChanges(ctx, org.System, "pending", paging.Page{Limit: 500})
			if err != nil {
				return err
			}
			var unit int64
			for _, c := range all {
				if sid(c.ID) == id {
					unit = c.UnitID
				}
			}
			if unit == 0 {
				return fmt.Errorf("change %s is not pending", id)
			}
			cs, _, err := f.ents.ListChanges(ctx, a, "pending", paging.Page{Limit: 500})
			return every(listed(cs, err), listed(f.ents.PendingChanges(ctx, a, unit)))
		},
	},
	{
		covers: []string{"enterprise.GetPapers", "enterprise.Expiring"},
		object: func(c *county) string { return sid(c.firm) + "/" + sid(c.certificate) },
		list: func(ctx context.Context, f *fixture, a *org.Actor) ([]string, int, error) {
			p, err := f.ents.Expiring(ctx, a, 366*1)
			var ids []string
			for _, c := range p.Certificates {
				ids = append(ids, sid(c.UnitID)+"/"+sid(c.ID))
			}
			return ids, noTotal, err
		},
		noCount: "papers come whole, without a count",
		get: func(ctx context.Context, f *fixture, a *org.Actor, id string) error {
			firm, cert, _ := strings.Cut(id, "/")
			p, err := f.ents.GetPapers(ctx, a, i64(firm))
			if err != nil {
				return err
			}
			for _, c := range p.Certificates {
				if sid(c.ID) == cert {
					return nil
				}
			}
			return apperr.New(apperr.NotFound, "certificate not listed")
		},
	},
	{
		covers: []string{"enterprise.ListDutyRules"},
		object: func(c *county) string { return "hazchem/" + sid(c.dept.ID) },
		list: func(ctx context.Context, f *fixture, a *org.Actor) ([]string, int, error) {
			rs, err := f.ents.ListDutyRules(ctx, a)
			var ids []string
			for _, r := range rs {
				ids = append(ids, r.Category+"/"+sid(r.DeptID))
			}
			return ids, noTotal, err
		},
		noCount: "the duty rules come whole, without a count",
		get: func(ctx context.Context, f *fixture, a *org.Actor, id string) error {
			rs, err := f.ents.ListDutyRules(ctx, a)
			if err != nil {
				return err
			}
			for _, r := range rs {
				if r.Category+"/"+sid(r.DeptID) == id {
					return nil
				}
			}
			return apperr.New(apperr.NotFound, "rule not listed")
		},
	},
	{
		covers: []string{"org.ListRegionNames"},
		object: func(c *county) string { return c.code },
		list: func(ctx context.Context, f *fixture, a *org.Actor) ([]string, int, error) {
			names, err := f.orgs.ListRegionNames(ctx, a)
			var ids []string
			for _, codes := range names {
				ids = append(ids, codes...)
			}
			return ids, noTotal, err
		},
		noCount: "the names come whole, without a count",
		get: func(ctx context.Context, f *fixture, a *org.Actor, id string) error {
			names, err := f.orgs.ListRegionNames(ctx, a)
			if err != nil {
				return err
			}
			for _, codes := range names {
				if slices.Contains(codes, id) {
					return nil
				}
			}
			return apperr.New(apperr.NotFound, "region not listed")
		},
	},
	{
		covers: []string{"auth.ListTokens"},
		object: func(c *county) string { return "对接 " + c.entUs.Username },
		list: func(ctx context.Context, f *fixture, a *org.Actor) ([]string, int, error) {
			ts, err := f.auth.ListTokens(ctx, a)
			var ids []string
			for _, t := range ts {
				ids = append(ids, t.Name)
			}
			return ids, noTotal, err
		},
		noCount: "the own tokens come whole, without a count",
		get: func(ctx context.Context, f *fixture, a *org.Actor, id string) error {
			ts, err := f.auth.ListTokens(ctx, a)
			if err != nil {
				return err
			}
			for _, t := range ts {
				if t.Name == id {
					return nil
				}
			}
			return apperr.New(apperr.NotFound, "token not listed")
		},
	},
	{
		covers: []string{"enterprise.Each"},
		object: func(c *county) string { return sid(c.firm) },
		list: func(ctx context.Context, f *fixture, a *org.Actor) ([]string, int, error) {
			// the Excel export: every enterprise List would page through
			var ids []string
			if err := f.ents.Each(ctx, a, enterprise.Filter{}, func(e enterprise.Enterprise) error {
				ids = append(ids, sid(e.UnitID))
				return nil
			}); err != nil {
				return nil, 0, err
			}
			_, n, err := f.ents.List(ctx, a, enterprise.Filter{})
			return ids, n, err
		},
		get: func(ctx context.Context, f *fixture, a *org.Actor, id string) error {
			found := false
			err := f.ents.Each(ctx, a, enterprise.Filter{}, func(e enterprise.Enterprise) error {
				found = found || sid(e.UnitID) == id
				return nil
			})
			if err == nil && !found {
				return apperr.New(apperr.NotFound, "enterprise not exported")
			}
			return err
		},
	},
	{
		covers: []string{"hazard.Figures"},
		object: func(c *county) string { return c.code },
		list: func(ctx context.Context, f *fixture, a *org.Actor) ([]string, int, error) {
			// one id per hazard counted: its county; the total is the figures' own
			fs, err := f.hzs.Figures(ctx, a, thisYear())
			return figureIDs(fs.ByRegion), fs.All.Total, err
		},
		get: func(ctx context.Context, f *fixture, a *org.Actor, code string) error {
			fs, err := f.hzs.Figures(ctx, a, thisYear())
			if err != nil {
				return err
			}
			return countsCounty(fs.ByRegion, code)
		},
	},
	{
		covers: []string{"hazard.Trend"},
		object: func(c *county) string { return c.code },
		list: func(ctx context.Context, f *fixture, a *org.Actor) ([]string, int, error) {
			// one id per hazard the figures count (their county); the total the trend's months add up to
			fs, err := f.hzs.Figures(ctx, a, thisYear())
			if err != nil {
				return nil, 0, err
			}
			tr, err := f.hzs.Trend(ctx, a, thisYear())
			total := 0
			for _, m := range tr.Months {
				total += m.Reported
			}
			return figureIDs(fs.ByRegion), total, err
		},
		get: func(ctx context.Context, f *fixture, a *org.Actor, code string) error {
			fs, err := f.hzs.Figures(ctx, a, thisYear())
			if err != nil {
				return err
			}
			tr, err := f.hzs.Trend(ctx, a, thisYear())
			if err != nil {
				return err
			}
			total := 0
			for _, m := range tr.Months {
				total += m.Reported
			}
			if total != fs.All.Total {
				return fmt.Errorf("the trend counts %d, the figures %d", total, fs.All.Total)
			}
			return countsCounty(fs.ByRegion, code)
		},
	},
	{
		covers: []string{"hazard.Bulletin"},
		object: func(c *county) string { return c.code },
		list: func(ctx context.Context, f *fixture, a *org.Actor) ([]string, int, error) {
			today := time.Now().In(calendar.Shanghai).Format("2006-01-02")
			b, err := f.hzs.Bulletin(ctx, a, today, today)
			return figureIDs(b.Figures.ByRegion), b.Figures.All.Total, err
		},
		get: func(ctx context.Context, f *fixture, a *org.Actor, code string) error {
			today := time.Now().In(calendar.Shanghai).Format("2006-01-02")
			b, err := f.hzs.Bulletin(ctx, a, today, today)
			if err != nil {
				return err
			}
			// the county's hazard is counted, and named among the open majors
			var major error = apperr.New(apperr.NotFound, "not among the majors")
			for _, h := range b.Majors {
				if strings.HasPrefix(h.Region, code) {
					major = nil
				}
			}
			return every(countsCounty(b.Figures.ByRegion, code), major)
		},
	},
	{
		covers: []string{"hazard.Ledger"},
		object: func(c *county) string { return c.hazardNumber },
		list: func(ctx context.Context, f *fixture, a *org.Actor) ([]string, int, error) {
			sh, err := f.hzs.Ledger(ctx, a, hazard.Filter{})
			if err != nil {
				return nil, 0, err
			}
			var ids []string
			for _, r := range sh.Rows {
				ids = append(ids, r[0])
			}
			_, n, err := f.hzs.List(ctx, a, hazard.Filter{})
			return ids, n, err
		},
		get: func(ctx context.Context, f *fixture, a *org.Actor, number string) error {
			sh, err := f.hzs.Ledger(ctx, a, hazard.Filter{})
			if err != nil {
				return err
			}
			for _, r := range sh.Rows {
				if r[0] == number {
					return nil
				}
			}
			return apperr.New(apperr.NotFound, "hazard not in the ledger")
		},
	},
	{
		covers: []string{"plan.PlanFigures"},
		object: func(c *county) string { return sid(c.plan.PlanID) + "/" + sid(c.dept.ID) },
		list: func(ctx context.Context, f *fixture, a *org.Actor) ([]string, int, error) {
			// one id per duty counted: plan/unit; the total over the sections
			ps, _, err := f.plans.ListPlans(ctx, a, paging.Page{Limit: 500})
			if err != nil {
				return nil, 0, err
			}
			var ids []string
			total := 0
			for _, p := range ps {
				fs, err := f.plans.PlanFigures(ctx, a, p.ID)
				if err != nil {
					return nil, 0, err
				}
				for _, u := range fs.ByUnit {
					for range u.Total {
						ids = append(ids, sid(p.ID)+"/"+u.Key)
					}
				}
				for _, sec := range fs.BySection {
					total += sec.Total
				}
			}
			return ids, total, nil
		},
		get: func(ctx context.Context, f *fixture, a *org.Actor, id string) error {
			pid, uid, _ := strings.Cut(id, "/")
			fs, err := f.plans.PlanFigures(ctx, a, i64(pid))
			if err != nil {
				return err
			}
			for _, u := range fs.ByUnit {
				if u.Key == uid && u.Total > 0 {
					return nil
				}
			}
			return apperr.New(apperr.NotFound, "unit not in the figures")
		},
	},
	{
		covers: []string{"plan.UnitScorecard"},
		object: func(c *county) string { return sid(c.dept.ID) },
		list: func(ctx context.Context, f *fixture, a *org.Actor) ([]string, int, error) {
			// the units with duties in the fixture's plan year
			us, _, err := f.orgs.ListUnits(ctx, a, org.UnitFilter{Page: paging.Page{Limit: 500}})
			if err != nil {
				return nil, 0, err
			}
			var ids []string
			for _, u := range us {
				c, err := f.plans.UnitScorecard(ctx, a, u.ID, 2024)
				if err != nil {
					return nil, 0, err
				}
				if c.Tally.Total > 0 {
					ids = append(ids, sid(u.ID))
				}
			}
			return ids, noTotal, nil
		},
		noCount: "a scorecard is one unit's; there is no count of them",
		get: func(ctx context.Context, f *fixture, a *org.Actor, id string) error {
			c, err := f.plans.UnitScorecard(ctx, a, i64(id), 2024)
			if err == nil && c.Tally.Total == 0 {
				return fmt.Errorf("unit %s has no duties on its scorecard", id)
			}
			return err
		},
	},
	{
		covers: []string{"plan.Ranking"},
		object: func(c *county) string { return sid(c.dept.ID) },
		list: func(ctx context.Context, f *fixture, a *org.Actor) ([]string, int, error) {
			rk, err := f.plans.Ranking(ctx, a, 2024)
			var ids []string
			for _, u := range rk.Units {
				ids = append(ids, sid(u.UnitID))
			}
			return ids, noTotal, err
		},
		noCount: "a ranking's Of counts every unit ranked, the lines shown or not (the places are published)",
		get: func(ctx context.Context, f *fixture, a *org.Actor, id string) error {
			rk, err := f.plans.Ranking(ctx, a, 2024)
			if err != nil {
				return err
			}
			for _, u := range rk.Units {
				if sid(u.UnitID) == id {
					return nil
				}
			}
			return apperr.New(apperr.NotFound, "unit not ranked")
		},
	},
	{
		covers: []string{"plan.TaskSheet"},
		object: func(c *county) string { return sid(c.task) },
		list: func(ctx context.Context, f *fixture, a *org.Actor) ([]string, int, error) {
			ps, _, err := f.plans.ListPlans(ctx, a, paging.Page{Limit: 500})
			if err != nil {
				return nil, 0, err
			}
			var ids []string
			for _, p := range ps {
				sh, err := f.plans.TaskSheet(ctx, a, p.ID)
				if err != nil {
					return nil, 0, err
				}
				for _, r := range sh.Rows {
					ids = append(ids, r[0])
				}
			}
			return ids, noTotal, nil
		},
		noCount: "the sheet has a row per task; tasks have no count of their own",
		get: func(ctx context.Context, f *fixture, a *org.Actor, id string) error {
			// the sheet of the task's plan
			pid := map[int64]int64{f.a.task: f.a.plan.PlanID, f.b.task: f.b.plan.PlanID}[i64(id)]
			sh, err := f.plans.TaskSheet(ctx, a, pid)
			if err != nil {
				return err
			}
			for _, r := range sh.Rows {
				if r[0] == id {
					return nil
				}
			}
			return apperr.New(apperr.NotFound, "task not in the sheet")
		},
	},
	{
		covers: []string{"plan.Review"},
		object: func(c *county) string { return sid(c.dept.ID) },
		list: func(ctx context.Context, f *fixture, a *org.Actor) ([]string, int, error) {
			// both counties' departments are printed 区应急局
			ms, err := review(ctx, f, a)
			var ids []string
			for _, m := range ms {
				for _, u := range append(m.Units, m.Suggestions...) {
					ids = append(ids, sid(u))
				}
			}
			return ids, noTotal, err
		},
		noCount: "the matches come whole, without a count",
		denied:  []string{"department", "enterprise"},
		get: func(ctx context.Context, f *fixture, a *org.Actor, id string) error {
			ms, err := review(ctx, f, a)
			if err != nil {
				return err
			}
			for _, m := range ms {
				if slices.Contains(m.Units, i64(id)) {
					return nil
				}
			}
			return apperr.New(apperr.NotFound, "unit not matched")
		},
	},
}

// review matches a plan naming 区应急局 as the actor would before importing it.
func review(ctx context.Context, f *fixture, a *org.Actor) ([]plan.Match, error) {
	p, err := plan.Parse("2024年工作要点\n一、总则\n(一)加强领导。每季度至少研究1次。(责任单位:区应急局)\n", 2024)
	if err != nil {
		return nil, err
	}
	ms, _, err := f.plans.Review(ctx, a, p)
	return ms, err
}

// TestScope: for every listing, users of county A — the office (region
// scope), a department (its own unit and supervised enterprises) and an
// enterprise (itself) — can neither list, count nor get county B's object;
// the office and the admin see their own.
func TestScope(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		for _, l := range listings {
			t.Run(l.covers[0], func(t *testing.T) {
				mine, theirs := l.object(&f.a), l.object(&f.b)
				for _, who := range []struct {
					name string
					a    *org.Actor
				}{{"office", f.a.officeUser}, {"department", f.a.deptUser}, {"enterprise", f.a.entUs}} {
					if slices.Contains(l.denied, who.name) {
						if _, _, err := l.list(ctx, f, who.a); !apperr.Is(err, apperr.Forbidden) {
							t.Errorf("%s lists: err = %v, want forbidden", who.name, err)
						}
						if err := l.get(ctx, f, who.a, theirs); !apperr.Is(err, apperr.Forbidden) {
							t.Errorf("%s gets county B's %s: err = %v, want forbidden", who.name, theirs, err)
						}
						continue
					}
					ids, total, err := l.list(ctx, f, who.a)
					if err != nil {
						t.Fatalf("%s: list: %v", who.name, err)
					}
					if slices.Contains(ids, theirs) {
						t.Errorf("%s of county A lists county B's %s", who.name, theirs)
					}
					switch {
					case (total == noTotal) != (l.noCount != ""):
						t.Errorf("%s: the entry returns total %d, and noCount %q: a listing without a count says why, one with a count returns it", who.name, total, l.noCount)
					case l.noCount == "" && total != len(ids):
						t.Errorf("%s: count %d but %d rows listed (the count sees rows the list does not)", who.name, total, len(ids))
					}
					if err := l.get(ctx, f, who.a, theirs); !apperr.Is(err, apperr.NotFound) {
						t.Errorf("%s of county A gets county B's %s: err = %v, want not found", who.name, theirs, err)
					}
				}
				// Listings other than tokens (own only) show the office its county's object.
				if l.covers[0] != "auth.ListTokens" {
					ids, _, err := l.list(ctx, f, f.a.officeUser)
					if err != nil || !slices.Contains(ids, mine) {
						t.Errorf("office of county A does not list its own %s (err %v)", mine, err)
					}
					if err := l.get(ctx, f, f.a.officeUser, mine); err != nil {
						t.Errorf("office of county A cannot get its own %s: %v", mine, err)
					}
				} else if err := l.get(ctx, f, f.a.entUs, mine); err != nil {
					t.Errorf("enterprise user cannot see its own token: %v", err)
				}
			})
		}
		// County A's office cannot reach county B's department by making it a
		// member of its committee (membership grants visibility).
		if err := f.orgs.SetMember(ctx, f.a.officeUser, f.a.committee.ID, f.b.dept.ID, org.CommitteeMember); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("office adds another county's department to its committee: err = %v, want not found", err)
		}
		if _, err := f.orgs.GetUnit(ctx, f.a.officeUser, f.b.dept.ID); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("office sees county B's department after trying: %v", err)
		}
		// The department sees the enterprise it supervises, not the other one.
		if _, err := f.orgs.GetUnit(ctx, f.a.deptUser, f.a.enterprise.ID); err != nil {
			t.Errorf("department cannot see the enterprise it supervises: %v", err)
		}
		// The enterprise sees only itself.
		if us, n, err := f.orgs.ListUnits(ctx, f.a.entUs, org.UnitFilter{}); err != nil || n != 1 || us[0].ID != f.a.enterprise.ID {
			t.Errorf("enterprise lists %d units (%v), want only itself", n, err)
		}
	})
}

// TestEveryListingIsScopeTested parses the domain packages and fails when
// an exported function or method that takes an actor (*org.Actor, or the
// scope.Scope it carries), or is named List*/Get*/Count*, is neither covered
// by an entry in listings (readers: TestScope) or writes (TestScopeOfWrites)
// nor exempt in notListings with its reason — so a new use case cannot land
// without its scope test, whatever its name.
func TestEveryListingIsScopeTested(t *testing.T) {
	covered := map[string]bool{}
	var entries [][]string
	for _, l := range listings {
		entries = append(entries, l.covers)
	}
	for _, w := range writes {
		entries = append(entries, w.covers)
	}
	for _, cs := range entries {
		for _, c := range cs {
			if covered[c] {
				t.Errorf("%s is covered by two entries", c)
			}
			covered[c] = true
		}
	}
	for q, why := range notListings {
		if covered[q] {
			t.Errorf("%s is both covered and exempt (%s)", q, why)
		}
		if strings.TrimSpace(why) == "" {
			t.Errorf("%s is exempt without a reason", q)
		}
	}
	root := filepath.Join("..")
	fset := token.NewFileSet()
	var found []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case "web", "app", "bench", "store", "testdata", "demo":
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		file, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		for _, decl := range file.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || !fn.Name.IsExported() {
				continue
			}
			name := fn.Name.Name
			named := strings.HasPrefix(name, "List") || strings.HasPrefix(name, "Get") || strings.HasPrefix(name, "Count")
			if !named && !takesActor(file.Name.Name, fn.Type) {
				continue
			}
			q := file.Name.Name + "." + name
			found = append(found, q)
			if !covered[q] && notListings[q] == "" {
				t.Errorf("%s (%s) takes an actor or lists, but has no scope test: add it to listings (a reader) or writes (a writer) "+
					"in internal/app, or to notListings with the reason it needs none", q, fset.Position(fn.Pos()))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(found) < 60 {
		t.Fatalf("found only %d functions taking an actor: is the walk still reading the domain packages?", len(found))
	}
	for c := range covered {
		if !slices.Contains(found, c) {
			t.Errorf("an entry covers %s, which no longer exists or takes no actor", c)
		}
	}
	for c := range notListings {
		if !slices.Contains(found, c) {
			t.Errorf("notListings exempts %s, which no longer exists or takes no actor", c)
		}
	}
}

// takesActor answers whether a function of package pkg has a parameter of
// type *org.Actor (*Actor in org itself) or scope.Scope.
func takesActor(pkg string, ft *ast.FuncType) bool {
	for _, p := range ft.Params.List {
		switch x := p.Type.(type) {
		case *ast.StarExpr:
			if id, ok := x.X.(*ast.Ident); ok && pkg == "org" && id.Name == "Actor" {
				return true
			}
			if sel, ok := x.X.(*ast.SelectorExpr); ok && sel.Sel.Name == "Actor" {
				if id, ok := sel.X.(*ast.Ident); ok && id.Name == "org" {
					return true
				}
			}
		case *ast.SelectorExpr:
			if id, ok := x.X.(*ast.Ident); ok && id.Name == "scope" && x.Sel.Name == "Scope" {
				return true
			}
		}
	}
	return false
}

// notListings are the exported functions taking an actor that neither
// return rows of others nor write an object another county could hold,
// each with the reason it needs no entry.
var notListings = map[string]string{
	"hazard.Allowed":               "pure: the actions open to the actor on a hazard it already holds; reads and writes nothing",
	"enterprise.OwnSupervisorOnly": "pure: whether the actor's unit (a department or street) may name only itself a supervisor; reads and writes nothing",
	"plan.RememberedNames":         "the actor's own office's remembered names (WHERE office_id = the actor's unit)",
	"inbox.MarkRead":               "marks only the actor's own unit's messages (WHERE unit_id = the actor's unit)",
	"auth.Logout":                  "ends the session the actor holds",
	"auth.CreateToken":             "creates a token for the actor itself",
	"auth.IssueToken":              "creates a token for the actor itself",
	"auth.SetFactorRequired":       "sets the deployment's one two-factor setting (no object; who may is org.user.write's question: administrators, whose scope is the deployment)",
	"org.ImportHolidays":           "loads the deployment's one holiday table, a State Council notice (no object of any jurisdiction; who may is org.calendar.write's question: administrators, whose scope is the deployment)",
	"auth.FactorStatus":            "the actor's own second factor (WHERE user_id = the actor)",
	"auth.BeginEnrol":              "binds an authenticator to the actor's own account",
	"auth.ConfirmEnrol":            "confirms the actor's own authenticator",
	"auth.RenewRecoveryCodes":      "replaces the actor's own recovery codes",
	"auth.DisableFactor":           "removes the actor's own second factor",
	"risk.SetScheme":               "sets the grading scheme of the actor's own region (a.Unit.Region), no object id",
	"plan.CreateUnitFor":           "creates a department in the actor's own region through org.CreateUnit (in writes)",
	"enterprise.Import":            "reads the file into the path ImportRows takes (importFrom; ImportRows is in writes)",
	"enterprise.SetClassRule":      "sets the deployment's one class rule (no object; who may is enterprise.duty's question)",
	"enterprise.Subject":           "pure: the enterprise a request is about (an enterprise user's own when it names none); reads nothing",
	"enterprise.Find":              "resolves a typed name through enterprise.List (in listings), whose scope condition it inherits; tested in enterprise",
	"org.AuditHead":                "the chain's head, no object: only for the office whose jurisdiction covers the root (tested in org)",
	"risk.SchemeOf":                "the grading scheme of the actor's own region (a.Unit.Region), no object id",
	"enterprise.MayEdit":           "pure: whether the page offers to edit a record (Update, in writes, checks again)",
	"hazard.MayList":               "pure: whether the page offers 挂牌督办 on a hazard it already holds (AddListing, in writes, checks again)",
	"plan.MaySetCadence":           "pure: whether the plan page offers the cadence form (SetCadence checks again)",
	"plan.MayDecide":               "pure: whether the page offers to decide a task's reports (DecideReport checks again)",
	"org.Townships":                "public geography (GB/T 2260) to place a record in: an official's scope's townships (RegionsWhere, as ListRegions), an enterprise's own county's (tested in org)",
	"hazard.MayAskExperts":         "pure: whether the page offers 请专家判定 on a hazard it already holds (AskExperts, in writes, checks again)",
	"hazard.MaySeeOpinions":        "pure: whether the actor's roles may read opinions at all (the readers, in listings, check scope in SQL)",
}
