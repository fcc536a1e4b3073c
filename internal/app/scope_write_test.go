package app_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"anwei/internal/apperr"
	"anwei/internal/docs"
	"anwei/internal/enterprise"
	"anwei/internal/hazard"
	"anwei/internal/org"
	"anwei/internal/plan"
	"anwei/internal/risk"
	"anwei/internal/rules"
	"anwei/internal/store"
	"anwei/internal/store/storetest"
)

// write is one exported use case that changes state. try does it as the
// actor on county c's object (or with county c's unit or region in its
// input); the county's own users may prepare what it needs.
type write struct {
	covers []string // the exported functions this entry tests, "pkg.Name"
	// who is which of county A's users tries it: office, department,
	// enterprise or expert; admin for what only the administrator may do (its scope
	// is the whole deployment, org.ScopeOf).
	who string
	try func(ctx context.Context, f *fixture, a *org.Actor, c *county) error
}

// users of the write test: the fixture's, and a county administrator.
func (c *county) as(who string) *org.Actor {
	return map[string]*org.Actor{"office": c.officeUser, "department": c.deptUser, "enterprise": c.entUs, "admin": c.admin,
		"expert": c.expert}[who]
}

func soon(days int) string { return time.Now().AddDate(0, 0, days).Format("2006-01-02") }

// creditCode completes an 18-character credit code from its first 17.
func creditCode(first17 string) string {
	ch, _ := rules.CreditCheckChar(first17)
	return first17 + string(ch)
}

var seq atomic.Int64

// next is a number for names and codes that must not repeat in a run.
func next() string { return fmt.Sprintf("%04d", seq.Add(1)%10000) }

// instances are the department's dated duties of the county's plan.
func instances(ctx context.Context, f *fixture, c *county) ([]plan.InstanceRow, error) {
	is, _, err := f.plans.ListInstances(ctx, c.deptUser, plan.InstanceFilter{PlanID: c.plan.PlanID, Status: plan.StatusOverdue})
	if err == nil && len(is) < 3 {
		err = fmt.Errorf("%d overdue duties, want 3", len(is))
	}
	return is, err
}

// newFirm registers an enterprise in the county, as its office.
func newFirm(ctx context.Context, f *fixture, c *county) (int64, error) {
	e, err := f.ents.Create(ctx, c.officeUser, enterprise.Input{Name: org.OfficialName(c.code) + "备用" + next() + "有限公司",
		CreditCode: creditCode("91" + c.code + "MA3F" + next() + "1"), RegionCode: c.street.RegionCode, Categories: "危险化学品"})
	if err != nil {
		return 0, fmt.Errorf("prepare: %w", err)
	}
	return e.UnitID, nil
}

// writes is every exported use case that writes an object of a county.
// TestEveryListingIsScopeTested fails when a function taking an actor is
// neither here, nor in listings, nor in notListings with its reason.
var writes = []write{
	{covers: []string{"org.CreateRegion"}, who: "admin", try: func(ctx context.Context, f *fixture, a *org.Actor, c *county) error {
		_, err := f.orgs.CreateRegion(ctx, a, org.RegionInput{Code: c.code + "9" + next()[2:], Name: "测试" + next() + "街道"})
		return err
	}},
	{covers: []string{"org.RenameRegion"}, who: "admin", try: func(ctx context.Context, f *fixture, a *org.Actor, c *county) error {
		_, err := f.orgs.RenameRegion(ctx, a, c.street.RegionCode, "改名"+next()+"街道")
		return err
	}},
	{covers: []string{"org.SetRegionActive"}, who: "admin", try: func(ctx context.Context, f *fixture, a *org.Actor, c *county) error {
		r, err := f.orgs.CreateRegion(ctx, org.System, org.RegionInput{Code: c.code + "8" + next()[2:], Name: "撤销" + next() + "镇"})
		if err != nil {
			return fmt.Errorf("prepare: %w", err)
		}
		return f.orgs.SetRegionActive(ctx, a, r.Code, false)
	}},
	{covers: []string{"org.CreateUnit"}, who: "office", try: func(ctx context.Context, f *fixture, a *org.Actor, c *county) error {
		_, err := f.orgs.CreateUnit(ctx, a, org.UnitInput{Name: org.OfficialName(c.code) + "测试局" + next(), Kind: org.KindDepartment, RegionCode: c.code})
		return err
	}},
	{covers: []string{"org.UpdateUnit"}, who: "office", try: func(ctx context.Context, f *fixture, a *org.Actor, c *county) error {
		u := c.dept
		_, err := f.orgs.UpdateUnit(ctx, a, u.ID, org.UnitInput{Name: u.Name, ShortName: u.ShortName, Kind: u.Kind, RegionCode: u.RegionCode,
			ParentID: u.ParentID, Aliases: append(u.Aliases, "别名"+next())})
		return err
	}},
	{covers: []string{"org.SetUnitActive"}, who: "office", try: func(ctx context.Context, f *fixture, a *org.Actor, c *county) error {
		return f.orgs.SetUnitActive(ctx, a, c.street.ID, true)
	}},
	{covers: []string{"org.SetSupervision"}, who: "office", try: func(ctx context.Context, f *fixture, a *org.Actor, c *county) error {
		return f.orgs.SetSupervision(ctx, a, c.dept.ID, c.enterprise.ID, true)
	}},
	{covers: []string{"org.SetMember"}, who: "office", try: func(ctx context.Context, f *fixture, a *org.Actor, c *county) error {
		return f.orgs.SetMember(ctx, a, c.committee.ID, c.dept.ID, org.CommitteeMember)
	}},
	{covers: []string{"org.RemoveMember"}, who: "office", try: func(ctx context.Context, f *fixture, a *org.Actor, c *county) error {
		if err := f.orgs.RemoveMember(ctx, a, c.committee.ID, c.dept.ID); err != nil {
			return err
		}
		return f.orgs.SetMember(ctx, c.officeUser, c.committee.ID, c.dept.ID, org.CommitteeMember) // put back
	}},
	{covers: []string{"org.CreateUser"}, who: "admin", try: func(ctx context.Context, f *fixture, a *org.Actor, c *county) error {
		_, err := f.orgs.CreateUser(ctx, a, org.UserInput{Username: "w" + next(), DisplayName: "新用户", UnitID: c.street.ID,
			Roles: []org.Role{org.RoleTerritorial}, Password: "Anquan2026"})
		return err
	}},
	{covers: []string{"org.UpdateUser"}, who: "admin", try: func(ctx context.Context, f *fixture, a *org.Actor, c *county) error {
		u, err := f.orgs.GetUser(ctx, org.System, c.deptUser.UserID)
		if err != nil {
			return fmt.Errorf("prepare: %w", err)
		}
		_, err = f.orgs.UpdateUser(ctx, a, u.ID, org.UserInput{Username: u.Username, DisplayName: u.DisplayName + "改", UnitID: u.UnitID, Roles: u.Roles})
		return err
	}},
	{covers: []string{"org.SetUserActive"}, who: "admin", try: func(ctx context.Context, f *fixture, a *org.Actor, c *county) error {
		return f.orgs.SetUserActive(ctx, a, c.deptUser.UserID, true)
	}},
	{covers: []string{"org.SetPassword"}, who: "admin", try: func(ctx context.Context, f *fixture, a *org.Actor, c *county) error {
		return f.orgs.SetPassword(ctx, a, c.deptUser.UserID, "Anquan2027")
	}},
	{covers: []string{"org.UnlockUser"}, who: "admin", try: func(ctx context.Context, f *fixture, a *org.Actor, c *county) error {
		_, err := f.orgs.UnlockUser(ctx, a, c.deptUser.UserID)
		return err
	}},
	{covers: []string{"org.Grant"}, who: "office", try: func(ctx context.Context, f *fixture, a *org.Actor, c *county) error {
		// the office grants itself the county's enterprise
		return f.orgs.Grant(ctx, a, a.Unit.ID, "unit", c.enterprise.ID, "测试")
	}},
	{covers: []string{"auth.RevokeToken"}, who: "enterprise", try: func(ctx context.Context, f *fixture, a *org.Actor, c *county) error {
		ts, err := f.auth.ListTokens(ctx, c.entUs)
		if err != nil || len(ts) == 0 {
			return fmt.Errorf("prepare: %d tokens, %v", len(ts), err)
		}
		return f.auth.RevokeToken(ctx, a, ts[0].ID)
	}},
	{covers: []string{"enterprise.Create"}, who: "office", try: func(ctx context.Context, f *fixture, a *org.Actor, c *county) error {
		_, err := f.ents.Create(ctx, a, enterprise.Input{Name: org.OfficialName(c.code) + "新建" + next() + "有限公司",
			CreditCode: creditCode("91" + c.code + "MA3D" + next() + "1"), RegionCode: c.street.RegionCode, Categories: "危险化学品"})
		return err
	}},
	{covers: []string{"enterprise.ImportRows"}, who: "office", try: func(ctx context.Context, f *fixture, a *org.Actor, c *county) error {
		row := make([]string, len(enterprise.SheetHeader))
		row[0], row[1], row[2], row[6] = org.OfficialName(c.code)+"导入"+next()+"有限公司", creditCode("91"+c.code+"MA3E"+next()+"1"), c.street.RegionCode, "危险化学品"
		res, err := f.ents.ImportRows(ctx, a, "导入.xlsx", "h"+next(), [][]string{enterprise.SheetHeader, row})
		if err == nil && res.Imported != 1 {
			return apperr.New(apperr.NotFound, fmt.Sprintf("row refused: %+v", res.Rejected))
		}
		return err
	}},
	{covers: []string{"enterprise.Update"}, who: "office", try: func(ctx context.Context, f *fixture, a *org.Actor, c *county) error {
		e, err := f.ents.Get(ctx, org.System, c.firm)
		if err != nil {
			return fmt.Errorf("prepare: %w", err)
		}
		_, _, err = f.ents.Update(ctx, a, c.firm, enterprise.Input{Name: e.Name, CreditCode: e.CreditCode, RegionCode: e.RegionCode,
			Categories: "危险化学品", Address: "改址" + next()})
		return err
	}},
	{covers: []string{"enterprise.DecideChange"}, who: "office", try: func(ctx context.Context, f *fixture, a *org.Actor, c *county) error {
		return f.ents.DecideChange(ctx, a, c.change, false, "名称与营业执照不符")
	}},
	{covers: []string{"enterprise.AddCertificate"}, who: "office", try: func(ctx context.Context, f *fixture, a *org.Actor, c *county) error {
		_, err := f.ents.AddCertificate(ctx, a, c.firm, enterprise.CertificateInput{Person: "李四", Post: "安全生产管理人员", Number: "C" + next(), IssuedOn: soon(-30)})
		return err
	}},
	{covers: []string{"enterprise.AddLicence"}, who: "office", try: func(ctx context.Context, f *fixture, a *org.Actor, c *county) error {
		_, err := f.ents.AddLicence(ctx, a, c.firm, enterprise.Licence{Kind: "安全生产许可证", Number: "L" + next(), Issuer: "省应急厅",
			IssuedOn: soon(-30), ExpiresOn: soon(1000)})
		return err
	}},
	{covers: []string{"enterprise.AddToBlacklist"}, who: "office", try: func(ctx context.Context, f *fixture, a *org.Actor, c *county) error {
		firm, err := newFirm(ctx, f, c)
		if err != nil {
			return err
		}
		_, err = f.ents.AddToBlacklist(ctx, a, firm, enterprise.ListingInput{Reason: "拒不整改", Basis: "办法第八条", ListedOn: soon(-1)})
		return err
	}},
	{covers: []string{"enterprise.RepairCredit"}, who: "office", try: func(ctx context.Context, f *fixture, a *org.Actor, c *county) error {
		// a listing of more than a year ago, which may be repaired
		firm, err := newFirm(ctx, f, c)
		if err != nil {
			return err
		}
		id, err := f.ents.AddToBlacklist(ctx, c.officeUser, firm, enterprise.ListingInput{Reason: "瞒报事故", Basis: "办法第八条", ListedOn: soon(-400)})
		if err != nil {
			return fmt.Errorf("prepare: %w", err)
		}
		return f.ents.RepairCredit(ctx, a, id, "已整改，信用修复决定 天安办〔2026〕1号")
	}},
	{covers: []string{"enterprise.SetDutyRule"}, who: "office", try: func(ctx context.Context, f *fixture, a *org.Actor, c *county) error {
		_, err := f.ents.SetDutyRule(ctx, a, "hazchem", c.dept.ID, true)
		return err
	}},
	{covers: []string{"enterprise.SetSupervisor"}, who: "office", try: func(ctx context.Context, f *fixture, a *org.Actor, c *county) error {
		return f.ents.SetSupervisor(ctx, a, c.firm, c.dept.ID, c.deptUser.UserID)
	}},
	{covers: []string{"enterprise.SetKeyList"}, who: "office", try: func(ctx context.Context, f *fixture, a *org.Actor, c *county) error {
		return f.ents.SetKeyList(ctx, a, c.firm, true, "涉及重点监管危险化工工艺")
	}},
	{covers: []string{"enterprise.SaveInstallation"}, who: "office", try: func(ctx context.Context, f *fixture, a *org.Actor, c *county) error {
		_, err := f.ents.SaveInstallation(ctx, a, c.firm, 0, enterprise.InstallationInput{Name: "储罐区" + next(), Kind: "storage", People: 10,
			Holdings: []rules.Holding{{Chemical: "液氯", Tonnes: 1}}})
		return err
	}},
	{covers: []string{"hazard.Report"}, who: "office", try: func(ctx context.Context, f *fixture, a *org.Actor, c *county) error {
		_, err := f.hzs.Report(ctx, a, hazard.ReportInput{EnterpriseID: c.firm, Place: "仓库", Description: "通道堵塞", Source: "inspection"})
		return err
	}},
	{covers: []string{"hazard.Act"}, who: "office", try: func(ctx context.Context, f *fixture, a *org.Actor, c *county) error {
		h, err := f.hzs.Report(ctx, c.officeUser, hazard.ReportInput{EnterpriseID: c.firm, Place: "仓库", Description: "灭火器过期", Source: "inspection"})
		if err != nil {
			return fmt.Errorf("prepare: %w", err)
		}
		_, err = f.hzs.Act(ctx, a, h.ID, hazard.Step{Action: hazard.Judge, Level: hazard.General})
		return err
	}},
	{covers: []string{"hazard.AddListing"}, who: "office", try: func(ctx context.Context, f *fixture, a *org.Actor, c *county) error {
		h, err := f.hzs.Report(ctx, c.officeUser, hazard.ReportInput{EnterpriseID: c.firm, Place: "罐区", Description: "紧急切断阀失效", Source: "inspection"})
		if err == nil {
			_, err = f.hzs.Act(ctx, c.officeUser, h.ID, hazard.Step{Action: hazard.Judge, Level: hazard.Major, Criterion: "hg121-5"})
		}
		if err != nil {
			return fmt.Errorf("prepare: %w", err)
		}
		_, err = f.hzs.AddListing(ctx, a, h.ID, hazard.ListingInput{Deadline: soon(60)})
		return err
	}},
	{covers: []string{"hazard.AskExperts"}, who: "office", try: func(ctx context.Context, f *fixture, a *org.Actor, c *county) error {
		h, err := f.hzs.Report(ctx, c.officeUser, hazard.ReportInput{EnterpriseID: c.firm, Place: "反应釜", Description: "温度联锁摘除", Source: "inspection"})
		if err != nil {
			return fmt.Errorf("prepare: %w", err)
		}
		_, err = f.hzs.AskExperts(ctx, a, h.ID, hazard.AskInput{ExpertIDs: []int64{c.expert.UserID}, Question: "是否构成重大事故隐患"})
		return err
	}},
	{covers: []string{"hazard.Answer"}, who: "expert", try: func(ctx context.Context, f *fixture, a *org.Actor, c *county) error {
		h, err := f.hzs.Report(ctx, c.officeUser, hazard.ReportInput{EnterpriseID: c.firm, Place: "装卸台", Description: "静电接地夹损坏", Source: "inspection"})
		var os []hazard.Opinion
		if err == nil {
			os, err = f.hzs.AskExperts(ctx, c.officeUser, h.ID, hazard.AskInput{ExpertIDs: []int64{c.expert.UserID}, Question: "等级如何"})
		}
		if err != nil {
			return fmt.Errorf("prepare: %w", err)
		}
		_, err = f.hzs.Answer(ctx, a, os[0].ID, hazard.AnswerInput{Level: hazard.General, Reasoning: "接地夹更换即可消除，不属重大事故隐患"})
		return err
	}},
	{covers: []string{"risk.Create"}, who: "office", try: func(ctx context.Context, f *fixture, a *org.Actor, c *county) error {
		_, err := f.risks.Create(ctx, a, risk.Input{EnterpriseID: c.firm, Name: "装卸区" + next(), Factors: "泄漏", Accidents: "火灾",
			Measures: "巡检", Responsible: "张三", Inputs: risk.Inputs{L: 3, E: 6, C: 7}})
		return err
	}},
	{covers: []string{"risk.Reassess"}, who: "office", try: func(ctx context.Context, f *fixture, a *org.Actor, c *county) error {
		_, err := f.risks.Reassess(ctx, a, c.riskPoint, risk.Input{EnterpriseID: c.firm, Name: "储罐区", Factors: "泄漏", Accidents: "火灾",
			Measures: "巡检", Responsible: "张三", Inputs: risk.Inputs{L: 1, E: 6, C: 7}, Note: "加装联锁"})
		return err
	}},
	{covers: []string{"plan.Import"}, who: "office", try: func(ctx context.Context, f *fixture, a *org.Actor, c *county) error {
		// the office assigns a task to the county's department
		p, err := plan.Parse("2025年工作要点\n一、总则\n(一)加强领导。每季度至少研究1次。(责任单位:区应急局)\n", 2025)
		if err != nil {
			return fmt.Errorf("prepare: %w", err)
		}
		_, err = f.plans.Import(ctx, a, plan.ImportInput{Parsed: p, SourceHash: "w" + next(), Resolved: map[string][]int64{"区应急局": {c.dept.ID}}})
		return err
	}},
	{covers: []string{"plan.SetCadence"}, who: "office", try: func(ctx context.Context, f *fixture, a *org.Actor, c *county) error {
		return f.plans.SetCadence(ctx, a, c.plan.PlanID, plan.Cadence{Period: "month", Days: 5})
	}},
	{covers: []string{"plan.IssueNotices"}, who: "office", try: func(ctx context.Context, f *fixture, a *org.Actor, c *county) error {
		is, err := instances(ctx, f, c)
		if err != nil {
			return fmt.Errorf("prepare: %w", err)
		}
		_, err = f.plans.IssueNotices(ctx, a, plan.NoticeInput{Kind: plan.NoticeReminder, InstanceIDs: []int64{is[1].ID}, AnswerBy: soon(10)})
		return err
	}},
	{covers: []string{"plan.CompleteInstance"}, who: "department", try: func(ctx context.Context, f *fixture, a *org.Actor, c *county) error {
		is, err := instances(ctx, f, c)
		if err != nil {
			return fmt.Errorf("prepare: %w", err)
		}
		return f.plans.CompleteInstance(ctx, a, is[2].ID, "已研究")
	}},
	{covers: []string{"plan.AnswerNotice"}, who: "department", try: func(ctx context.Context, f *fixture, a *org.Actor, c *county) error {
		return f.plans.AnswerNotice(ctx, a, c.notice, "已于本周研究")
	}},
	{covers: []string{"plan.SubmitReport"}, who: "department", try: func(ctx context.Context, f *fixture, a *org.Actor, c *county) error {
		_, err := f.plans.SubmitReport(ctx, a, c.task, plan.KindProgress, "正在推进", nil)
		return err
	}},
	{covers: []string{"plan.ImportProgress"}, who: "department", try: func(ctx context.Context, f *fixture, a *org.Actor, c *county) error {
		// the county department's 任务分工表 with its progress filled in
		sh, err := f.plans.TaskSheet(ctx, c.deptUser, c.plan.PlanID)
		if err != nil || len(sh.Rows) == 0 {
			return fmt.Errorf("prepare: %d rows, %v", len(sh.Rows), err)
		}
		sh.Rows[0][9] = "已研究" + next()
		var buf bytes.Buffer
		if err := sh.XLSX(&buf); err != nil {
			return fmt.Errorf("prepare: %w", err)
		}
		res, err := f.plans.ImportProgress(ctx, a, c.plan.PlanID, docs.File{Name: "任务分工表.xlsx", Data: buf.Bytes()})
		if err == nil && res.Imported != 1 {
			return apperr.New(apperr.NotFound, fmt.Sprintf("progress refused: %+v", res))
		}
		return err
	}},
	{covers: []string{"plan.DecideReport"}, who: "office", try: func(ctx context.Context, f *fixture, a *org.Actor, c *county) error {
		return f.plans.DecideReport(ctx, a, c.report, true, "")
	}},
}

// TestScopeOfWrites: every write tried by a user of county A on county B's
// object (or naming county B's unit or region) is refused — not found,
// forbidden or invalid — and the same write on county A's own succeeds, so
// the refusal was the scope's, not a missing permission or a bad input. A
// write only the administrator may do is refused to every other user.
func TestScopeOfWrites(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		f.a.admin = f.user(t, f.a.code+"a", f.a.gov, org.RoleAdmin)
		for _, w := range writes {
			t.Run(w.covers[0], func(t *testing.T) {
				if w.who == "admin" {
					// Only the administrator may: county A's office, department
					// and enterprise are refused on county B's and on their own.
					for _, who := range []string{"office", "department", "enterprise"} {
						for _, c := range []*county{&f.b, &f.a} {
							if err := w.try(ctx, f, f.a.as(who), c); !apperr.Is(err, apperr.Forbidden) {
								t.Errorf("the %s of county A on county %s's: err = %v, want forbidden", who, c.code, err)
							}
						}
					}
					if err := w.try(ctx, f, f.a.admin, &f.a); err != nil {
						t.Errorf("the administrator cannot: %v", err)
					}
					return
				}
				a := f.a.as(w.who)
				err := w.try(ctx, f, a, &f.b)
				if err != nil && strings.HasPrefix(err.Error(), "prepare: ") {
					t.Fatal(err)
				}
				if !apperr.Is(err, apperr.NotFound) && !apperr.Is(err, apperr.Forbidden) && !apperr.Is(err, apperr.Invalid) {
					t.Errorf("the %s of county A writes county B's object: err = %v, want refused", w.who, err)
				}
				if err := w.try(ctx, f, a, &f.a); err != nil {
					t.Errorf("the %s of county A cannot write its own: %v", w.who, err)
				}
			})
		}
	})
}
