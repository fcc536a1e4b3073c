package app_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"anwei/internal/apperr"
	"anwei/internal/auth"
	"anwei/internal/enterprise"
	"anwei/internal/hazard"
	"anwei/internal/org"
	"anwei/internal/risk"
	"anwei/internal/rules"
	"anwei/internal/store"
	"anwei/internal/store/storetest"
)

// sideActors are users of county A who hold the same role as the one who
// may change an object, but on the other side of it: a permission is a
// role's, the right on the object is the jurisdiction's. The county's firm
// (c.firm) lies in the street c.street holds and is supervised by c.dept
// (the duty rule for 危险化学品).
type sideActors struct {
	c *county
	m map[string]*org.Actor
}

// newSides adds to county A: the firm's own user, another registered
// enterprise of the same street with its user, a second department
// (supervising county A's other enterprise, never the firm), the street
// office of the firm's street and one of another street, and a second
// expert of the county's pool.
func newSides(t *testing.T, f *fixture) *sideActors {
	t.Helper()
	ctx := context.Background()
	c := &f.a
	mk := func(in org.UnitInput) org.Unit {
		t.Helper()
		u, err := f.orgs.CreateUnit(ctx, org.System, in)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	name := org.OfficialName(c.code)
	dept2 := mk(org.UnitInput{Name: name + "住房和城乡建设局", ShortName: "区住建局", Kind: org.KindDepartment, RegionCode: c.code})
	if err := f.orgs.SetSupervision(ctx, org.System, dept2.ID, c.enterprise.ID, true); err != nil {
		t.Fatal(err)
	}
	ts := townships(t, c.code)
	if ts[0] != c.street.RegionCode {
		t.Fatalf("the fixture's street is in %s, not the county's first township %s", c.street.RegionCode, ts[0])
	}
	street2 := mk(org.UnitInput{Name: name + "另一街道办事处", Kind: org.KindStreet, RegionCode: ts[1]})
	firm, err := f.orgs.GetUnit(ctx, org.System, c.firm)
	if err != nil {
		t.Fatal(err)
	}
	_, other, err := ownFirm(ctx, f, c)
	if err != nil {
		t.Fatal(err)
	}
	return &sideActors{c: c, m: map[string]*org.Actor{
		"office":      c.officeUser,
		"department":  c.deptUser,
		"department2": f.user(t, c.code+"d2", dept2, org.RoleMember),
		"enterprise":  f.user(t, c.code+"g", firm, org.RoleEnterprise),
		"enterprise2": other,
		"street":      f.user(t, c.code+"s", c.street, org.RoleTerritorial),
		"street2":     f.user(t, c.code+"s2", street2, org.RoleTerritorial),
		"expert":      c.expert,
		"expert2":     f.user(t, c.code+"x2", c.pool, org.RoleExpert),
	}}
}

// townships are the township codes of a county, in code order.
func townships(t *testing.T, county string) []string {
	t.Helper()
	rs, err := org.Subtree(county)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range rs {
		if r.Level == org.LevelTownship {
			out = append(out, r.Code)
		}
	}
	if len(out) < 2 {
		t.Fatalf("%d townships under %s, want 2", len(out), county)
	}
	return out
}

// sideWrite is one state change tried by a same-role actor of the other
// side. pairs name {who may, who may not}: try runs as the second first
// (refused: not found, forbidden, invalid), then as the first (done), each
// on a fresh object it prepares as county A's office or the rightful side.
type sideWrite struct {
	covers []string
	pairs  [][2]string
	try    func(ctx context.Context, f *fixture, s *sideActors, a *org.Actor) error
}

// hazardAt reports a hazard in county A's firm as the office and takes it
// through the given steps as the given sides.
func hazardAt(ctx context.Context, f *fixture, s *sideActors, steps ...any) (int64, error) {
	h, err := f.hzs.Report(ctx, s.m["office"], hazard.ReportInput{EnterpriseID: s.c.firm, Place: "仓库" + next(), Description: "通道堵塞", Source: "inspection"})
	if err != nil {
		return 0, fmt.Errorf("prepare: %w", err)
	}
	for i := 0; i+1 < len(steps); i += 2 {
		if _, err := f.hzs.Act(ctx, s.m[steps[i].(string)], h.ID, steps[i+1].(hazard.Step)); err != nil {
			return 0, fmt.Errorf("prepare: %s: %w", steps[i+1].(hazard.Step).Action, err)
		}
	}
	return h.ID, nil
}

var (
	judged   = []any{"department", hazard.Step{Action: hazard.Judge, Level: hazard.General}}
	assigned = append(append([]any{}, judged...), "department", hazard.Step{Action: hazard.Assign, Deadline: soon(30), Writ: "天应急责改〔2026〕1号"})
	started  = append(append([]any{}, assigned...), "enterprise", hazard.Step{Action: hazard.Start})
	rectifd  = append(append([]any{}, started...), "enterprise", hazard.Step{Action: hazard.Submit, Evidence: "已清理通道"})
)

// ownFirm registers an enterprise in the county's firm's street (so c.dept
// supervises it) with a user of its own.
func ownFirm(ctx context.Context, f *fixture, c *county) (int64, *org.Actor, error) {
	id, err := newFirm(ctx, f, c)
	if err != nil {
		return 0, nil, err
	}
	u, err := f.orgs.CreateUser(ctx, org.System, org.UserInput{Username: "own" + next(), DisplayName: "企业用户", UnitID: id,
		Roles: []org.Role{org.RoleEnterprise}, Password: "Anquan2026"})
	if err != nil {
		return 0, nil, fmt.Errorf("prepare: %w", err)
	}
	a, err := f.orgs.ActorByID(ctx, u.ID)
	if err != nil {
		return 0, nil, fmt.Errorf("prepare: %w", err)
	}
	return id, a, nil
}

var (
	// the firm's supervising department and street against one that
	// supervises another enterprise and another street of the county
	govPairs = [][2]string{{"department", "department2"}, {"street", "street2"}}
	// and the firm itself against another enterprise of the county
	allPairs = append([][2]string{{"enterprise", "enterprise2"}}, govPairs...)
)

// sideWrites is every exported state change whose role is held on both
// sides of an object within one county. TestEveryWriteIsTriedFromTheOtherSide
// fails when an entry of writes is neither here nor in sideExempt.
var sideWrites = []sideWrite{
	{covers: []string{"hazard.Report"}, pairs: allPairs, try: func(ctx context.Context, f *fixture, s *sideActors, a *org.Actor) error {
		_, err := f.hzs.Report(ctx, a, hazard.ReportInput{EnterpriseID: s.c.firm, Place: "配电室", Description: "电缆沟积水", Source: "inspection"})
		return err
	}},
	{covers: []string{"hazard.Act"}, pairs: govPairs, try: func(ctx context.Context, f *fixture, s *sideActors, a *org.Actor) error {
		id, err := hazardAt(ctx, f, s)
		if err != nil {
			return err
		}
		_, err = f.hzs.Act(ctx, a, id, hazard.Step{Action: hazard.Judge, Level: hazard.General})
		return err
	}},
	{covers: []string{"hazard.Act (start)"}, pairs: [][2]string{{"enterprise", "enterprise2"}}, try: func(ctx context.Context, f *fixture, s *sideActors, a *org.Actor) error {
		id, err := hazardAt(ctx, f, s, assigned...)
		if err != nil {
			return err
		}
		_, err = f.hzs.Act(ctx, a, id, hazard.Step{Action: hazard.Start})
		return err
	}},
	{covers: []string{"hazard.Act (pass)"}, pairs: [][2]string{{"department", "department2"}, {"department", "street"}, {"department", "office"}},
		try: func(ctx context.Context, f *fixture, s *sideActors, a *org.Actor) error {
			// only the unit that assigned it closes it: the street and the
			// office hold it in their scope and are refused all the same
			id, err := hazardAt(ctx, f, s, rectifd...)
			if err != nil {
				return err
			}
			_, err = f.hzs.Act(ctx, a, id, hazard.Step{Action: hazard.Pass})
			return err
		}},
	{covers: []string{"hazard.AskExperts"}, pairs: govPairs, try: func(ctx context.Context, f *fixture, s *sideActors, a *org.Actor) error {
		id, err := hazardAt(ctx, f, s)
		if err != nil {
			return err
		}
		_, err = f.hzs.AskExperts(ctx, a, id, hazard.AskInput{ExpertIDs: []int64{s.c.expert.UserID}, Question: "是否构成重大事故隐患"})
		return err
	}},
	{covers: []string{"hazard.Answer"}, pairs: [][2]string{{"expert", "expert2"}}, try: func(ctx context.Context, f *fixture, s *sideActors, a *org.Actor) error {
		id, err := hazardAt(ctx, f, s)
		var os []hazard.Opinion
		if err == nil {
			os, err = f.hzs.AskExperts(ctx, s.m["department"], id, hazard.AskInput{ExpertIDs: []int64{s.c.expert.UserID}, Question: "等级如何"})
		}
		if err != nil {
			return fmt.Errorf("prepare: %w", err)
		}
		_, err = f.hzs.Answer(ctx, a, os[0].ID, hazard.AnswerInput{Level: hazard.General, Reasoning: "清理即可消除，不属重大事故隐患"})
		return err
	}},
	{covers: []string{"enterprise.Create"}, pairs: [][2]string{{"street", "street2"}}, try: func(ctx context.Context, f *fixture, s *sideActors, a *org.Actor) error {
		// a street registers an enterprise in its own township, not another's
		_, err := f.ents.Create(ctx, a, enterprise.Input{Name: org.OfficialName(s.c.code) + "街道登记" + next() + "有限公司",
			CreditCode: creditCode("91" + s.c.code + "MA3K" + next() + "1"), RegionCode: s.c.street.RegionCode, Categories: "危险化学品"})
		return err
	}},
	{covers: []string{"enterprise.ImportRows"}, pairs: [][2]string{{"street", "street2"}}, try: func(ctx context.Context, f *fixture, s *sideActors, a *org.Actor) error {
		row := make([]string, len(enterprise.SheetHeader))
		row[0], row[1], row[2], row[6] = org.OfficialName(s.c.code)+"街道导入"+next()+"有限公司", creditCode("91"+s.c.code+"MA3T"+next()+"1"), s.c.street.RegionCode, "危险化学品"
		res, err := f.ents.ImportRows(ctx, a, "导入.xlsx", "s"+next(), [][]string{enterprise.SheetHeader, row})
		if err == nil && res.Imported != 1 {
			return apperr.New(apperr.Invalid, fmt.Sprintf("row refused: %+v", res.Rejected))
		}
		return err
	}},
	{covers: []string{"enterprise.Update"}, pairs: allPairs, try: func(ctx context.Context, f *fixture, s *sideActors, a *org.Actor) error {
		e, err := f.ents.Get(ctx, org.System, s.c.firm)
		if err != nil {
			return fmt.Errorf("prepare: %w", err)
		}
		_, _, err = f.ents.Update(ctx, a, s.c.firm, enterprise.Input{Name: e.Name, CreditCode: e.CreditCode, RegionCode: e.RegionCode,
			Categories: "危险化学品", Address: "改址" + next()})
		return err
	}},
	{covers: []string{"enterprise.DecideChange"}, pairs: govPairs, try: func(ctx context.Context, f *fixture, s *sideActors, a *org.Actor) error {
		id, own, err := ownFirm(ctx, f, s.c)
		if err != nil {
			return err
		}
		e, err := f.ents.Get(ctx, own, id)
		var change int64
		if err == nil {
			_, change, err = f.ents.Update(ctx, own, id, enterprise.Input{Name: e.Name + "(更名)", CreditCode: e.CreditCode, RegionCode: e.RegionCode, Categories: "危险化学品"})
		}
		if err != nil || change == 0 {
			return fmt.Errorf("prepare: change %d: %v", change, err)
		}
		return f.ents.DecideChange(ctx, a, change, false, "名称与营业执照不符")
	}},
	{covers: []string{"enterprise.AddCertificate"}, pairs: allPairs, try: func(ctx context.Context, f *fixture, s *sideActors, a *org.Actor) error {
		_, err := f.ents.AddCertificate(ctx, a, s.c.firm, enterprise.CertificateInput{Person: "李四", Post: "安全生产管理人员", Number: "C" + next(), IssuedOn: soon(-30)})
		return err
	}},
	{covers: []string{"enterprise.AddLicence"}, pairs: allPairs, try: func(ctx context.Context, f *fixture, s *sideActors, a *org.Actor) error {
		_, err := f.ents.AddLicence(ctx, a, s.c.firm, enterprise.Licence{Kind: "安全生产许可证", Number: "L" + next(), Issuer: "省应急厅",
			IssuedOn: soon(-30), ExpiresOn: soon(1000)})
		return err
	}},
	{covers: []string{"enterprise.AddToBlacklist"}, pairs: [][2]string{{"department", "department2"}}, try: func(ctx context.Context, f *fixture, s *sideActors, a *org.Actor) error {
		firm, err := newFirm(ctx, f, s.c)
		if err != nil {
			return err
		}
		_, err = f.ents.AddToBlacklist(ctx, a, firm, enterprise.ListingInput{Reason: "拒不整改", Basis: "办法第八条", ListedOn: soon(-1)})
		return err
	}},
	{covers: []string{"enterprise.RepairCredit"}, pairs: [][2]string{{"office", "department"}, {"office", "department2"}},
		try: func(ctx context.Context, f *fixture, s *sideActors, a *org.Actor) error {
			// the listing unit decides the repair: the firm's own supervising
			// department, which may list it too, may not repair the office's
			firm, err := newFirm(ctx, f, s.c)
			if err != nil {
				return err
			}
			id, err := f.ents.AddToBlacklist(ctx, s.m["office"], firm, enterprise.ListingInput{Reason: "瞒报事故", Basis: "办法第八条", ListedOn: soon(-400)})
			if err != nil {
				return fmt.Errorf("prepare: %w", err)
			}
			return f.ents.RepairCredit(ctx, a, id, "已整改，信用修复决定 天安办〔2026〕1号")
		}},
	{covers: []string{"enterprise.SetSupervisor"}, pairs: govPairs, try: func(ctx context.Context, f *fixture, s *sideActors, a *org.Actor) error {
		// a department or street names itself the supervisor of an
		// enterprise it sees, never of one outside its reach
		return f.ents.SetSupervisor(ctx, a, s.c.firm, a.Unit.ID, a.UserID)
	}},
	{covers: []string{"enterprise.SetKeyList"}, pairs: [][2]string{{"department", "department2"}}, try: func(ctx context.Context, f *fixture, s *sideActors, a *org.Actor) error {
		return f.ents.SetKeyList(ctx, a, s.c.firm, true, "涉及重点监管危险化工工艺")
	}},
	{covers: []string{"enterprise.SaveInstallation"}, pairs: allPairs, try: func(ctx context.Context, f *fixture, s *sideActors, a *org.Actor) error {
		_, err := f.ents.SaveInstallation(ctx, a, s.c.firm, 0, enterprise.InstallationInput{Name: "储罐区" + next(), Kind: "storage", People: 10,
			Holdings: []rules.Holding{{Chemical: "液氯", Tonnes: 1}}})
		return err
	}},
	{covers: []string{"enterprise.SaveInstallation (another's unit)"}, pairs: [][2]string{{"enterprise", "enterprise2"}},
		try: func(ctx context.Context, f *fixture, s *sideActors, a *org.Actor) error {
			// the firm's installation, replaced under the actor's own
			// enterprise's id: the pair (enterprise, installation) must match
			inst, err := f.ents.SaveInstallation(ctx, s.m["office"], s.c.firm, 0, enterprise.InstallationInput{Name: "仓库" + next(), Kind: "storage", People: 5,
				Holdings: []rules.Holding{{Chemical: "液氯", Tonnes: 1}}})
			if err != nil {
				return fmt.Errorf("prepare: %w", err)
			}
			_, err = f.ents.SaveInstallation(ctx, a, a.Unit.ID, inst.ID, enterprise.InstallationInput{Name: "改名" + next(), Kind: "storage", People: 5,
				Holdings: []rules.Holding{{Chemical: "液氯", Tonnes: 1}}})
			return err
		}},
	{covers: []string{"risk.Create"}, pairs: allPairs, try: func(ctx context.Context, f *fixture, s *sideActors, a *org.Actor) error {
		_, err := f.risks.Create(ctx, a, risk.Input{EnterpriseID: s.c.firm, Name: "装卸区" + next(), Factors: "泄漏", Accidents: "火灾",
			Measures: "巡检", Responsible: "张三", Inputs: risk.Inputs{L: 3, E: 6, C: 7}})
		return err
	}},
	{covers: []string{"risk.Reassess"}, pairs: allPairs, try: func(ctx context.Context, f *fixture, s *sideActors, a *org.Actor) error {
		_, err := f.risks.Reassess(ctx, a, s.c.riskPoint, risk.Input{EnterpriseID: s.c.firm, Name: "储罐区", Factors: "泄漏", Accidents: "火灾",
			Measures: "巡检", Responsible: "张三", Inputs: risk.Inputs{L: 1, E: 6, C: 7}, Note: "加装联锁"})
		return err
	}},
	{covers: []string{"plan.CompleteInstance"}, pairs: [][2]string{{"department", "department2"}}, try: func(ctx context.Context, f *fixture, s *sideActors, a *org.Actor) error {
		is, err := instances(ctx, f, s.c)
		if err != nil {
			return fmt.Errorf("prepare: %w", err)
		}
		return f.plans.CompleteInstance(ctx, a, is[len(is)-1].ID, "已研究")
	}},
	{covers: []string{"plan.AnswerNotice"}, pairs: [][2]string{{"department", "department2"}}, try: func(ctx context.Context, f *fixture, s *sideActors, a *org.Actor) error {
		return f.plans.AnswerNotice(ctx, a, s.c.notice, "已于本周研究")
	}},
	{covers: []string{"plan.SubmitReport"}, pairs: [][2]string{{"department", "department2"}}, try: func(ctx context.Context, f *fixture, s *sideActors, a *org.Actor) error {
		_, err := f.plans.SubmitReport(ctx, a, s.c.task, "progress", "正在推进", nil)
		return err
	}},
	{covers: []string{"auth.RevokeToken"}, pairs: [][2]string{{"enterprise", "enterprise2"}}, try: func(ctx context.Context, f *fixture, s *sideActors, a *org.Actor) error {
		// the firm's user's token: another enterprise's user may not end it
		_, tok, err := f.auth.IssueToken(ctx, s.m["enterprise"], auth.TokenInput{Name: "对接" + next(), Area: "hazard"})
		if err != nil {
			return fmt.Errorf("prepare: %w", err)
		}
		return f.auth.RevokeToken(ctx, a, tok.ID)
	}},
}

// sideExempt are the writes whose role is held by one unit of a
// jurisdiction only (the office, the administrator): its other side is
// another county's, which TestScopeOfWrites tries.
var sideExempt = map[string]string{
	"org.CreateRegion":       "administrator only (the whole deployment)",
	"org.RenameRegion":       "administrator only (the whole deployment)",
	"org.SetRegionActive":    "administrator only (the whole deployment)",
	"org.CreateUser":         "administrator only (the whole deployment)",
	"org.UpdateUser":         "administrator only (the whole deployment)",
	"org.SetUserActive":      "administrator only (the whole deployment)",
	"org.SetPassword":        "administrator only (the whole deployment)",
	"org.UnlockUser":         "administrator only (the whole deployment)",
	"org.CreateUnit":         "the office of a level (org.unit.write): another county's office is TestScopeOfWrites'",
	"org.UpdateUnit":         "the office of a level (org.unit.write): another county's office is TestScopeOfWrites'",
	"org.SetUnitActive":      "the office of a level (org.unit.write): another county's office is TestScopeOfWrites'",
	"org.SetSupervision":     "the office of a level: another county's office is TestScopeOfWrites'",
	"org.SetMember":          "the office of a level (org.committee.write): another county's office is TestScopeOfWrites'",
	"org.RemoveMember":       "the office of a level (org.committee.write): another county's office is TestScopeOfWrites'",
	"org.Grant":              "the office of a level: another county's office is TestScopeOfWrites'",
	"enterprise.SetDutyRule": "the office of a level (enterprise.duty): another county's office is TestScopeOfWrites'",
	"hazard.AddListing":      "the office of a level (hazard.list): another county's office is TestScopeOfWrites'",
	"plan.Import":            "the office of a level (plan.import): another county's office is TestScopeOfWrites'",
	"plan.SetCadence":        "the office that imported the plan (plan.supervise): another county's office is TestScopeOfWrites'",
	"plan.IssueNotices":      "the office of a level (plan.supervise): another county's office is TestScopeOfWrites'",
	"plan.DecideReport":      "the office of a level (plan.supervise): another county's office is TestScopeOfWrites'",
	"plan.ImportProgress":    "rows of the actor's own unit only (plan_assignments WHERE unit_id = the actor's unit): another department's rows are not its rows; TestScopeOfWrites tries another county's plan",
}

// TestWritesFromTheOtherSide: every state change is refused to an actor
// holding the right role, and the permission, but on the other side of the
// object — a department that does not supervise the enterprise, another
// street of the county, another enterprise, another expert, a unit that
// sees a hazard but did not assign it — and done by the one on the right
// side, so the refusal was the object's, not the role's.
func TestWritesFromTheOtherSide(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		s := newSides(t, f)
		tried, refused := 0, 0
		for _, w := range sideWrites {
			t.Run(w.covers[0], func(t *testing.T) {
				for _, p := range w.pairs {
					err := w.try(ctx, f, s, s.m[p[1]])
					if err != nil && strings.HasPrefix(err.Error(), "prepare: ") {
						t.Fatal(err)
					}
					if !apperr.Is(err, apperr.NotFound) && !apperr.Is(err, apperr.Forbidden) && !apperr.Is(err, apperr.Invalid) {
						t.Errorf("%s (the other side of %s's) succeeds: err = %v, want refused", p[1], p[0], err)
					} else {
						refused++
						if testing.Verbose() {
							t.Logf("%s refused: %v", p[1], err)
						}
					}
					if err := w.try(ctx, f, s, s.m[p[0]]); err != nil {
						t.Errorf("%s cannot do it on its own: %v", p[0], err)
					}
					tried++
				}
			})
		}
		t.Logf("%d state changes tried from the other side (%d kinds): %d refused", tried, len(sideWrites), refused)
	})
}

// TestEveryWriteIsTriedFromTheOtherSide: every write of TestScopeOfWrites
// is tried here from the other side within one county, or says why its
// only other side is another county's.
func TestEveryWriteIsTriedFromTheOtherSide(t *testing.T) {
	here := map[string]bool{}
	for _, w := range sideWrites {
		for _, c := range w.covers {
			here[strings.Fields(c)[0]] = true
		}
	}
	known := map[string]bool{}
	for _, w := range writes {
		for _, c := range w.covers {
			known[c] = true
			if !here[c] && sideExempt[c] == "" {
				t.Errorf("%s changes state but is not tried from the other side: add it to sideWrites "+
					"(internal/app/scope_side_test.go) with the same-role actor who must be refused, or to sideExempt with why its only other side is another county's", c)
			}
			if here[c] && sideExempt[c] != "" {
				t.Errorf("%s is both tried and exempt", c)
			}
		}
	}
	for c := range sideExempt {
		if !known[c] {
			t.Errorf("sideExempt names %s, which is no write of TestScopeOfWrites", c)
		}
	}
	for c := range here {
		if !known[c] {
			t.Errorf("sideWrites covers %s, which is no write of TestScopeOfWrites", c)
		}
	}
}
