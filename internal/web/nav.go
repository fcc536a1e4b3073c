package web

import (
	"strconv"

	"anwei/internal/org"
)

// Nav returns the navigation the actor may use: only what exists.
func (p pageData) Nav() []navSection {
	return navFor(p.Actor)
}

// navItem is one link of the navigation; navSection a group of them.
type navItem struct {
	Label, Href string
}

type navSection struct {
	Label string
	Items []navItem
}

// navFor is the navigation of a: what its roles may use, and only what
// exists.
func navFor(a *org.Actor) []navSection {
	if a == nil {
		return nil
	}
	out := []navSection{{Label: "工作台", Items: []navItem{{"首页", "/"}}}}
	if a.Can(org.PermOrgRead) {
		tasks := navSection{Label: "任务督办", Items: []navItem{{"工作要点", "/plans"}, {"我的任务", "/tasks"}}}
		if a.Can(org.PermPlanSupervise) {
			tasks.Items = append(tasks.Items, navItem{"督办", "/supervise"})
		}
		tasks.Items = append(tasks.Items, navItem{"督办文书", "/notices"})
		out = append(out, tasks)
		ents := navSection{Label: "企业监管", Items: []navItem{{"企业档案", "/enterprises"}, {"证照到期", "/enterprises/expiring"}}}
		if a.Can(org.PermEntOwn) && a.Unit.Kind == org.KindEnterprise {
			ents.Items = []navItem{{"本企业档案", "/enterprises/" + strconv.FormatInt(a.Unit.ID, 10)}}
		}
		if a.Can(org.PermEntWrite) {
			ents.Items = append(ents.Items, navItem{"变更审核", "/enterprises/changes"})
		}
		if a.Can(org.PermEntImport) {
			ents.Items = append(ents.Items, navItem{"批量导入", "/enterprises/import"})
		}
		if a.Can(org.PermEntDuty) {
			ents.Items = append(ents.Items, navItem{"监管职责", "/enterprises/duties"})
		}
		out = append(out, ents)
		hz := navSection{Label: "双重预防", Items: []navItem{{"隐患排查治理", "/hazards"}}}
		if a.Has(org.RoleExpert) {
			hz.Items = append(hz.Items, navItem{"判定请求", "/hazard-requests"})
		}
		if a.Can(org.PermHazardReport) {
			hz.Items = append(hz.Items, navItem{"上报隐患", "/hazards/new"})
		}
		if a.Unit.Kind != org.KindEnterprise {
			hz.Items = append(hz.Items, navItem{"挂牌督办", "/hazard-listings"}, navItem{"隐患统计", "/hazards/figures"}, navItem{"隐患通报", "/hazards/bulletin"})
		}
		hz.Items = append(hz.Items, navItem{"风险分级管控", "/risks"})
		out = append(out, hz)
		out = append(out, navSection{Label: "组织机构", Items: []navItem{
			{"行政区划", "/org/regions"}, {"单位", "/org/units"}, {"安委会", "/org/committees"}, {"用户", "/org/users"}}})
	}
	if a.Can(org.PermAuditRead) {
		out = append(out, navSection{Label: "监督", Items: []navItem{{"审计日志", "/audit"}}})
	}
	acct := navSection{Label: "我的账号"}
	if a.Unit.ID != 0 {
		acct.Items = append(acct.Items, navItem{"消息", "/inbox"})
	}
	if a.Can(org.PermTokenWriteOwn) {
		acct.Items = append(acct.Items, navItem{"接口令牌", "/account/tokens"})
	}
	if len(acct.Items) > 0 {
		out = append(out, acct)
	}
	return out
}
