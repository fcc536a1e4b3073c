// Package demo loads the demonstration jurisdiction into an empty database:
// 济南市天桥区 with its real streets (national division codes), its 区安委会,
// the committee's office and special committee, and the member units named in
// 《天桥区安委会2023年工作要点》(济天安发〔2023〕2号) under their official
// names, with the plan's short forms as aliases; one user per role; and the
// plan itself imported against these units.
package demo

import (
	"context"
	"fmt"
	"strings"

	"anwei/internal/enterprise"
	"anwei/internal/org"
	"anwei/internal/paging"
	"anwei/internal/plan"
)

// Root is the demo deployment's root region: 山东省济南市天桥区.
const Root = "370105"

// Password is every demo account's password.
const Password = "Anwei2026"

// Login is one demo account.
type Login struct {
	Username string
	Name     string
	Role     org.Role
	Unit     string
}

// department is a member unit as the plan names it.
type department struct {
	official string
	short    string
	aliases  []string
	region   string // "" = the district
}

// departments are the member units named in the 2023 plan (责任单位 clauses),
// with their official names.
var departments = []department{
	{"中共济南市天桥区委员会组织部", "区委组织部", nil, ""},
	{"中共济南市天桥区委员会宣传部", "区委宣传部", nil, ""},
	{"济南市天桥区应急管理局", "区应急局", []string{"区应急管理局", "天桥区应急局"}, ""},
	{"济南市天桥区发展和改革局", "区发改局", []string{"区发展改革局", "区发展和改革局"}, ""},
	{"济南市天桥区工业和信息化局", "区工业和信息化局", []string{"区工信局"}, ""},
	{"济南市公安局天桥区分局", "区公安分局", []string{"天桥公安分局"}, ""},
	{"济南市公安局交通警察支队天桥区大队", "区交警大队", []string{"天桥交警大队"}, ""},
	{"济南市天桥区民政局", "区民政局", nil, ""},
	{"济南市天桥区教育和体育局", "区教体局", []string{"区教育和体育局"}, ""},
	{"济南市生态环境局天桥分局", "区生态环境分局", []string{"天桥生态环境分局"}, ""},
	{"济南市天桥区住房和城乡建设局", "区住房城乡建设局", []string{"区住建局", "区住房和城乡建设局"}, ""},
	{"济南市天桥区水务局", "区水务局", nil, ""},
	// Not named in the 2023 plan, but the department that supervises road
	// transport (三管三必须), so its enterprises have one.
	{"济南市天桥区交通运输局", "区交通运输局", []string{"区交通局"}, ""},
	{"济南市天桥区农业农村局", "区农业农村局", nil, ""},
	{"济南市天桥区商务局", "区商务局", nil, ""},
	{"济南市天桥区文化和旅游局", "区文化和旅游局", []string{"区文旅局"}, ""},
	{"济南市天桥区卫生健康局", "区卫生健康局", []string{"区卫健局"}, ""},
	{"济南市天桥区市场监督管理局", "区市场监管局", []string{"区市场监督管理局"}, ""},
	{"济南市天桥区消防救援大队", "区消防救援大队", nil, ""},
	// A city-level unit the district plan names: a unit of its own level.
	{"济南市邮政管理局", "市邮政管理局", nil, "3701"},
}

// DefaultEnterprises is the size of the demo registry.
const DefaultEnterprises = 2000

// Load fills an empty deployment with the demo jurisdiction and returns the
// demo logins. It refuses a database that already has units besides the
// root government.
// n is how many enterprises the registry generates (0: DefaultEnterprises).
func Load(ctx context.Context, orgs *org.Service, plans *plan.Service, ents *enterprise.Service, n int) ([]Login, error) {
	if n <= 0 {
		n = DefaultEnterprises
	}
	a := org.System
	gov, err := orgs.Bootstrap(ctx, Root)
	if err != nil {
		return nil, err
	}
	if _, n, err := orgs.ListUnits(ctx, a, org.UnitFilter{}); err != nil {
		return nil, err
	} else if n > 1 {
		return nil, fmt.Errorf("数据库中已有 %d 个单位，演示数据只能载入空库", n)
	}
	mk := func(in org.UnitInput) (org.Unit, error) {
		if in.RegionCode == "" && in.Kind != org.KindZone {
			in.RegionCode = Root
		}
		return orgs.CreateUnit(ctx, a, in)
	}
	committee, err := mk(org.UnitInput{Name: "济南市天桥区安全生产委员会", ShortName: "区安委会", Kind: org.KindCommittee,
		ParentID: gov.ID, Aliases: []string{"天桥区安委会", "天桥区安全生产委员会"}})
	if err != nil {
		return nil, err
	}
	office, err := mk(org.UnitInput{Name: "济南市天桥区安全生产委员会办公室", ShortName: "区安委会办公室", Kind: org.KindCommitteeOffice,
		ParentID: committee.ID, Aliases: []string{"区安委办", "天桥区安委会办公室"}})
	if err != nil {
		return nil, err
	}
	if err := orgs.SetMember(ctx, a, committee.ID, office.ID, org.CommitteeOffice); err != nil {
		return nil, err
	}
	// The city's office above: it lists major hazards at 市级 and receives
	// the county's overdue ones.
	city, err := mk(org.UnitInput{Name: "济南市安全生产委员会办公室", ShortName: "市安委会办公室", Kind: org.KindCommitteeOffice,
		RegionCode: "3701", Aliases: []string{"济南市安委办", "市安委办"}})
	if err != nil {
		return nil, err
	}
	units := map[string]org.Unit{}
	for _, d := range departments {
		u, err := mk(org.UnitInput{Name: d.official, ShortName: d.short, Kind: org.KindDepartment, RegionCode: d.region, Aliases: d.aliases})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", d.official, err)
		}
		units[d.short] = u
		if err := orgs.SetMember(ctx, a, committee.ID, u.ID, org.CommitteeMember); err != nil {
			return nil, err
		}
	}
	gas, err := mk(org.UnitInput{Name: "济南市天桥区城镇燃气安全生产专业委员会", ShortName: "城镇燃气安全生产专业委员会",
		Kind: org.KindSpecialCommittee, ParentID: committee.ID, Aliases: []string{"区燃气专委会"}})
	if err != nil {
		return nil, err
	}
	if err := orgs.SetMember(ctx, a, committee.ID, gas.ID, org.CommitteeSpecial); err != nil {
		return nil, err
	}
	streets, _, err := orgs.ListRegions(ctx, a, org.RegionFilter{Parent: Root, Page: paging.Page{Limit: 100}})
	if err != nil {
		return nil, err
	}
	var luokou org.Unit
	for _, r := range streets {
		u, err := mk(org.UnitInput{Name: "济南市天桥区" + r.Name + "办事处", ShortName: r.Name, Kind: org.KindStreet,
			RegionCode: r.Code, ParentID: gov.ID, Aliases: []string{r.Name + "办事处"}})
		if err != nil {
			return nil, err
		}
		if r.Code == Root+"015" { // 泺口街道: 泺口化工's territory, so the demo's street sees its enterprise
			luokou = u
		}
	}
	// A development zone with no region code of its own: reached by grants.
	zone, err := mk(org.UnitInput{Name: "济南新材料产业园区管理委员会", ShortName: "新材料产业园区", Kind: org.KindZone,
		Level: org.LevelCounty, Aliases: []string{"济南新材料产业园区"}})
	if err != nil {
		return nil, err
	}
	for _, g := range []int64{office.ID, gov.ID} {
		if err := orgs.Grant(ctx, a, g, "unit", zone.ID, "功能区由区安委会统筹"); err != nil {
			return nil, err
		}
	}
	experts, err := mk(org.UnitInput{Name: "天桥区安全生产专家库", ShortName: "区专家库", Kind: org.KindExpertPool, ParentID: office.ID})
	if err != nil {
		return nil, err
	}
	// The registry is filled as the office would: its changes are recorded
	// under the office's unit as 演示数据.
	officeActor := org.NewActor(0, "demo", "演示数据", org.UnitRef{ID: office.ID, Name: office.Name, Kind: office.Kind,
		Level: office.Level, Region: office.RegionCode}, []org.Role{org.RoleOffice})
	var streetUnits []org.Unit
	if us, _, err := orgs.ListUnits(ctx, a, org.UnitFilter{Kind: org.KindStreet, Page: paging.Page{Limit: 100}}); err != nil {
		return nil, err
	} else {
		streetUnits = us
	}
	lk, err := registry(ctx, ents, officeActor, units, streetUnits, n, plans.Today())
	if err != nil {
		return nil, err
	}
	ent, err := orgs.GetUnit(ctx, a, lk.UnitID)
	if err != nil {
		return nil, err
	}

	logins := []struct {
		user, name string
		role       org.Role
		unit       org.Unit
		phone      string
	}{
		{"admin", "系统管理员", org.RoleAdmin, gov, "0531-85986001"},
		{"office", "王建国", org.RoleOffice, office, "0531-85986110"},
		{"city", "孙立平", org.RoleOffice, city, "0531-51707120"},
		{"member", "李红梅", org.RoleMember, units["区应急局"], "0531-85986315"},
		{"street", "张志强", org.RoleTerritorial, luokou, "0531-85915026"},
		{"officer", "赵明", org.RoleOfficer, units["区应急局"], "13589027316"},
		{"enterprise", "刘安全", org.RoleEnterprise, ent, "13953100018"},
		{"expert", "陈工", org.RoleExpert, experts, "13806412739"},
	}
	var out []Login
	var officeUser int64
	for _, l := range logins {
		_, err := orgs.CreateUser(ctx, a, org.UserInput{Username: l.user, DisplayName: l.name, UnitID: l.unit.ID,
			Roles: []org.Role{l.role}, Password: Password, Phone: l.phone})
		if err != nil {
			return nil, fmt.Errorf("演示用户 %s: %w", l.user, err)
		}
		out = append(out, Login{Username: l.user, Name: l.name, Role: l.role, Unit: l.unit.Name})
		if l.user == "office" {
			officeUser, _ = orgs.UserIDByName(ctx, l.user)
		}
	}
	if err := importPlan(ctx, orgs, plans, officeUser); err != nil {
		return nil, fmt.Errorf("导入演示工作要点: %w", err)
	}
	return out, nil
}

// importPlan imports 《天桥区安委会2023年工作要点》 as the district office
// would after reviewing it: every name as the matcher resolves it, the
// groups the office picks from taken whole.
func importPlan(ctx context.Context, orgs *org.Service, plans *plan.Service, officeUser int64) error {
	a, err := orgs.ActorByID(ctx, officeUser)
	if err != nil {
		return err
	}
	text, err := plan.Decode(plan.Samples()["001_24d02479031d2206.txt"])
	if err != nil {
		return err
	}
	// The 2023 plan is replayed as this year's, so its deadlines fall around today.
	year := plans.Today()[:4]
	text = strings.ReplaceAll(text, "2023", year)
	p, err := plan.Parse(text, 0)
	if err != nil {
		return err
	}
	ms, _, err := plans.Review(ctx, a, p)
	if err != nil {
		return err
	}
	sum, err := plans.Import(ctx, a, plan.ImportInput{Parsed: p, Resolved: plan.Proposed(ms), SourceHash: plan.Hash(text), Cadence: plan.DefaultCadence})
	if err != nil {
		return err
	}
	return progress(ctx, orgs, plans, a, sum.PlanID)
}
