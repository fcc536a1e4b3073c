package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"anwei/internal/calendar"
	"anwei/internal/enforce"
	"anwei/internal/enterprise"
	"anwei/internal/org"
	"anwei/internal/paging"
)

// officers are 区应急局's certified officers besides 赵明 (the officer
// login): usernames, names and 行政执法证号.
var officers = []struct{ user, name, cert string }{
	{"officer2", "钱伟", "37010520190023"}, {"officer3", "孙丽娜", "37010520200031"}, {"officer4", "李强", "37010520200032"},
	{"officer5", "周涛", "37010520210007"}, {"officer6", "吴敏", "37010520220015"}, {"officer7", "郑凯", "37010520230004"},
	{"officer8", "王磊", "37010520240019"},
}

// LoadEnforcement adds 区应急局's year of enforcement: its 执法检查人员名录库
// (8 officers, one declared conflict), its annual plan drafted by 李红梅
// (member), approved by the 局长 (head) and published, two draws published
// and drawn in three steps (one with a recusal), and a case inspection on
// a tip.
func LoadEnforcement(ctx context.Context, orgs *org.Service, ents *enterprise.Service, en *enforce.Service, today time.Time) ([]Login, error) {
	member, err := orgs.ActorByUsername(ctx, "member")
	if err != nil {
		return nil, err
	}
	dept := member.Unit
	head := Login{Username: "head", Name: "周振华", Role: org.RoleMember, Unit: dept.Name}
	if _, err := orgs.CreateUser(ctx, org.System, org.UserInput{Username: head.Username, DisplayName: head.Name, UnitID: dept.ID,
		Roles: []org.Role{org.RoleMember}, Password: Password, Phone: "0531-85986301"}); err != nil {
		return nil, fmt.Errorf("演示用户 head: %w", err)
	}
	chief, err := orgs.ActorByUsername(ctx, "head")
	if err != nil {
		return nil, err
	}
	first, err := orgs.UserIDByName(ctx, "officer")
	if err != nil {
		return nil, err
	}
	ids := []int64{first}
	for _, o := range officers {
		if _, err := orgs.CreateUser(ctx, org.System, org.UserInput{Username: o.user, DisplayName: o.name, UnitID: dept.ID,
			Roles: []org.Role{org.RoleOfficer}, Password: Password}); err != nil {
			return nil, fmt.Errorf("演示执法人员 %s: %w", o.user, err)
		}
		id, err := orgs.UserIDByName(ctx, o.user)
		if err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	year := calendar.Local(today).Year()
	// at is the service on a day of the year, never after today.
	at := func(month, day int) *enforce.Service {
		t := time.Date(year, time.Month(month), day, 10, 0, 0, 0, calendar.Shanghai)
		if t.After(today) {
			t = today
		}
		return en.WithClock(calendar.NewFixed(t))
	}
	certs := append([]string{"37010520180011"}, func() []string {
		var c []string
		for _, o := range officers {
			c = append(c, o.cert)
		}
		return c
	}()...)
	for i, id := range ids {
		if err := at(1, 5).SetOfficer(ctx, member, enforce.OfficerInput{UserID: id, CertNo: certs[i], CertExpires: fmt.Sprint(year+3, "-12-31"), Active: true}); err != nil {
			return nil, fmt.Errorf("执法人员名录库: %w", err)
		}
	}
	supervised, _, err := ents.List(ctx, member, enterprise.Filter{Page: paging.Page{Limit: 5}})
	if err != nil {
		return nil, err
	}
	if len(supervised) > 0 {
		if err := at(1, 6).DeclareConflict(ctx, member, ids[1], enforce.ConflictInput{EnterpriseID: supervised[len(supervised)-1].UnitID,
			Reason: "配偶在该企业任安全管理人员"}); err != nil {
			return nil, fmt.Errorf("申报利害关系: %w", err)
		}
	}

	in := enforce.PlanInput{Year: year, Officers: len(ids), OtherEnforcementDays: 620, NonEnforcementDays: 540, TeamSize: 2,
		DaysPerInspection: 1.5, SamplePercent: 20, FirstMonth: 1,
		Note: "依据《安全生产年度监督检查计划编制办法》编制；重点检查按分级规则频次，一般检查按 20% 双随机抽查"}
	id, err := at(1, 8).SavePlan(ctx, member, in)
	if err != nil {
		return nil, fmt.Errorf("年度监督检查计划: %w", err)
	}
	draft, err := en.GetPlan(ctx, chief, id)
	if err != nil {
		return nil, err
	}
	if err := at(1, 12).ApprovePlan(ctx, chief, id, draft.Version); err != nil {
		return nil, fmt.Errorf("审批年度计划: %w", err)
	}
	if err := at(1, 15).PublishPlan(ctx, member, id); err != nil {
		return nil, fmt.Errorf("公示年度计划: %w", err)
	}
	planned, err := en.GetPlan(ctx, member, id)
	if err != nil {
		return nil, err
	}
	// Each quarter's draw takes a quarter of the year's 一般检查.
	quarter := max(1, planned.Figures.Sampled/4)

	draws := []struct {
		month, day int
		in         enforce.DrawInput
		public     string
		recuse     bool
		drawnDay   int
	}{
		{month: 3, day: 2, drawnDay: 5, public: "386", recuse: true,
			in: enforce.DrawInput{Title: fmt.Sprintf("%d年第一季度双随机抽查", year), PerEnterprise: 2, ExcludeLast: true,
				PublicSource: fmt.Sprintf("%d年3月4日福彩3D开奖号码 (三位数字)", year), PublicFormat: `^\d{3}$`}},
		{month: 9, day: 1, drawnDay: 4, public: "5172-0938",
			in: enforce.DrawInput{Title: fmt.Sprintf("%d年第三季度双随机抽查", year), PerEnterprise: 2, ExcludeLast: true, ExcludeDays: 90,
				PublicSource: "抽查会上两名见证人 (区人大代表、企业代表) 各输入的四位数字，以「-」连接", PublicFormat: `^\d{4}-\d{4}$`}},
	}
	// The shares come from a seeded stream: every load of the demo draws
	// the same enterprises.
	entropy := rand.NewChaCha8([32]byte{3, 7, 0, 1, 0, 5})
	for _, d := range draws {
		svc := at(d.month, d.day).WithEntropy(entropy)
		p, err := svc.PreviewDraw(ctx, member, d.in)
		if err != nil {
			return nil, fmt.Errorf("双随机名录预览: %w", err)
		}
		if p.Enterprises < 2 {
			continue // a registry too small to draw from (the tests' smallest)
		}
		d.in.Count = min(quarter, p.Enterprises/2)
		id, err := svc.CommitDraw(ctx, member, d.in)
		if err != nil {
			return nil, fmt.Errorf("公布双随机名录: %w", err)
		}
		if err := at(d.month, d.drawnDay).RunDraw(ctx, member, id, d.public); err != nil {
			return nil, fmt.Errorf("双随机抽取: %w", err)
		}
		if !d.recuse {
			continue
		}
		dr, err := en.GetDraw(ctx, member, id)
		if err != nil {
			return nil, err
		}
		pick := dr.Result[0]
		if _, err := at(d.month, d.drawnDay+2).Recuse(ctx, chief, id, enforce.RecusalInput{EnterpriseID: pick.EnterpriseID,
			OfficerID: pick.OfficerIDs[0], Reason: "企业申请: 该执法人员曾在本企业任职，申请回避"}); err != nil {
			return nil, fmt.Errorf("回避: %w", err)
		}
	}
	if len(supervised) > 0 {
		if _, err := at(6, 18).AddInspection(ctx, member, enforce.InspectionInput{EnterpriseID: supervised[0].UnitID, Basis: enforce.BasisTip,
			Note: "群众举报夜间违规动火作业，现场核查"}); err != nil {
			return nil, fmt.Errorf("个案检查: %w", err)
		}
	}
	return []Login{head}, nil
}
