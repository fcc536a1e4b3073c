package web

import (
	"strconv"
	"strings"

	"anwei/internal/org"
)

// Nav returns the navigation the actor may use, with the one entry for
// the page shown marked current.
func (p pageData) Nav() []navSection {
	return markCurrent(navFor(p.Actor), p.Path)
}

// navItem is one link of the navigation; navSection a group of them.
type navItem struct {
	Label, Href string
	Current     bool
}

type navSection struct {
	Label string
	Items []navItem
}

// navFor is the navigation of a: what its roles may do, and only what
// exists and can hold anything for it (issue 14.7). An enterprise keeps
// its own record, hazards and risks, and reads what it is told; an expert
// answers what it is asked; an administrator keeps the organisation; the
// government units work the mechanisms.
func navFor(a *org.Actor) []navSection {
	if a == nil {
		return nil
	}
	out := []navSection{{Label: "工作台", Items: []navItem{{Label: "首页", Href: "/"}}}}
	if a.Unit.ID != 0 {
		out[0].Items = append(out[0].Items, navItem{Label: "待办", Href: "/todo"})
	}
	switch sideOf(a) {
	case sideEnterprise:
		out = append(out, navSection{Label: "本企业", Items: []navItem{{Label: "企业档案", Href: "/enterprises/" + strconv.FormatInt(a.Unit.ID, 10)},
			{Label: "执法检查与文书", Href: "/enterprises/" + strconv.FormatInt(a.Unit.ID, 10) + "?tab=inspections"},
			{Label: "行政处罚", Href: "/enforce/cases"}}},
			hazardNav(a))
	case sideGovernment:
		out = append(out, planNav(a), enterpriseNav(a), hazardNav(a))
		if a.Can(org.PermEnforceRead) {
			out = append(out, enforceNav(a))
		}
		out = append(out, orgNav(a))
	case sideAdmin:
		out = append(out, orgNav(a))
	case sideExpert:
		if a.Has(org.RoleExpert) {
			out = append(out, navSection{Label: "专家咨询", Items: []navItem{{Label: "判定请求", Href: "/hazard-requests"}}})
		}
	}
	if a.Can(org.PermAuditRead) {
		out = append(out, navSection{Label: "监督", Items: []navItem{{Label: "审计日志", Href: "/audit"}}})
	}
	acct := navSection{Label: "我的账号"}
	acct.Items = append(acct.Items, navItem{Label: "账号安全", Href: "/account"})
	if a.Unit.ID != 0 {
		acct.Items = append(acct.Items, navItem{Label: "消息", Href: "/inbox"})
	}
	if a.Can(org.PermTokenWriteOwn) {
		acct.Items = append(acct.Items, navItem{Label: "接口令牌", Href: "/account/tokens"})
	}
	if len(acct.Items) > 0 {
		out = append(out, acct)
	}
	return out
}

// The sides a user works on, for what its pages offer.
const (
	sideEnterprise = "enterprise" // keeps its own record, hazards and risks
	sideGovernment = "government" // works the mechanisms in its jurisdiction
	sideAdmin      = "admin"      // keeps the organisation only
	sideExpert     = "expert"     // answers what it is asked
)

// sideOf is the side a works on: an enterprise's user; a government user
// taking part in the mechanisms (plans, the registry, hazards); an
// administrator; else an expert.
func sideOf(a *org.Actor) string {
	if a.Unit.Kind == org.KindEnterprise {
		return sideEnterprise
	}
	for _, p := range []org.Perm{org.PermPlanReport, org.PermPlanSupervise, org.PermEntWrite, org.PermHazardManage} {
		if a.Can(p) {
			return sideGovernment
		}
	}
	if a.Can(org.PermUnitWrite) || a.Can(org.PermUserWrite) || a.Can(org.PermRegionWrite) {
		return sideAdmin
	}
	return sideExpert
}

func planNav(a *org.Actor) navSection {
	s := navSection{Label: "任务督办", Items: []navItem{{Label: "工作要点", Href: "/plans"}, {Label: "我的任务", Href: "/tasks"}}}
	if a.Can(org.PermPlanSupervise) {
		s.Items = append(s.Items, navItem{Label: "督办", Href: "/supervise"})
	}
	s.Items = append(s.Items, navItem{Label: "督办文书", Href: "/notices"})
	return s
}

func enterpriseNav(a *org.Actor) navSection {
	s := navSection{Label: "企业监管", Items: []navItem{{Label: "企业档案", Href: "/enterprises"}, {Label: "证照到期", Href: "/enterprises/expiring"}}}
	if a.Can(org.PermEntWrite) {
		s.Items = append(s.Items, navItem{Label: "变更审核", Href: "/enterprises/changes"})
	}
	if a.Can(org.PermEntImport) {
		s.Items = append(s.Items, navItem{Label: "批量导入", Href: "/enterprises/import"})
	}
	if a.Can(org.PermEntDuty) {
		s.Items = append(s.Items, navItem{Label: "监管职责", Href: "/enterprises/duties"})
	}
	return s
}

func hazardNav(a *org.Actor) navSection {
	s := navSection{Label: "双重预防", Items: []navItem{{Label: "隐患排查治理", Href: "/hazards"}}}
	if a.Has(org.RoleExpert) {
		s.Items = append(s.Items, navItem{Label: "判定请求", Href: "/hazard-requests"})
	}
	if a.Can(org.PermHazardReport) {
		s.Items = append(s.Items, navItem{Label: "上报隐患", Href: "/hazards/new"})
	}
	if a.Unit.Kind != org.KindEnterprise {
		s.Items = append(s.Items, navItem{Label: "挂牌督办", Href: "/hazard-listings"}, navItem{Label: "隐患统计", Href: "/hazards/figures"},
			navItem{Label: "隐患通报", Href: "/hazards/bulletin"})
	}
	s.Items = append(s.Items, navItem{Label: "风险分级管控", Href: "/risks"})
	return s
}

func enforceNav(a *org.Actor) navSection {
	s := navSection{Label: "执法检查", Items: []navItem{{Label: "计划与抽查", Href: "/enforce"}, {Label: "检查登记", Href: "/enforce/inspections"},
		{Label: "行政处罚案件", Href: "/enforce/cases"}, {Label: "执法人员名录库", Href: "/enforce/officers"}}}
	if a.Can(org.PermEnforceInspect) && a.Unit.Kind == org.KindDepartment {
		s.Items = append([]navItem{{Label: "我的检查任务", Href: "/enforce/inspections?mine=1"}}, s.Items...)
	}
	if a.Can(org.PermEnforcePlan) && a.Unit.Kind == org.KindDepartment {
		s.Items = append(s.Items, navItem{Label: "发起双随机抽查", Href: "/enforce/draws/new"})
	}
	if a.Unit.Kind != org.KindStreet {
		s.Items = append(s.Items, navItem{Label: "执法公示", Href: "/enforce/publications"}, navItem{Label: "提请关闭与移送", Href: "/enforce/escalations"})
	}
	s.Items = append(s.Items, navItem{Label: "检查频次上限", Href: "/enforce/caps"}, navItem{Label: "处罚裁量基准", Href: "/enforce/case-rules"})
	return s
}

func orgNav(a *org.Actor) navSection {
	s := navSection{Label: "组织机构", Items: []navItem{{Label: "行政区划", Href: "/org/regions"}, {Label: "单位", Href: "/org/units"},
		{Label: "安委会", Href: "/org/committees"}, {Label: "用户", Href: "/org/users"}}}
	if a.Can(org.PermCalendarWrite) {
		s.Items = append(s.Items, navItem{Label: "节假日安排", Href: "/org/calendar"})
	}
	return s
}

// markCurrent marks the one entry the page at path belongs to: the longest
// href that is the path or a folder of it (/hazards/new is 上报隐患, not
// also 隐患排查治理).
func markCurrent(nav []navSection, path string) []navSection {
	bi, bj, best := -1, -1, 0
	for i, s := range nav {
		for j, it := range s.Items {
			under := path == it.Href || (it.Href != "/" && strings.HasPrefix(path, strings.TrimSuffix(it.Href, "/")+"/"))
			if under && len(it.Href) > best {
				bi, bj, best = i, j, len(it.Href)
			}
		}
	}
	if bi >= 0 {
		nav[bi].Items[bj].Current = true
	}
	return nav
}
