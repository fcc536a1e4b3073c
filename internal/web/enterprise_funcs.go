package web

import (
	"html/template"

	"anwei/internal/codes"
	"anwei/internal/enterprise"
	"anwei/internal/rules"
)

// enterpriseFuncs name the register's levels, statuses, scales, posts and
// categories, give the profile's tabs and the chemicals of GB 18218, and
// state a text field's limit (entMax).
func enterpriseFuncs() template.FuncMap {
	return template.FuncMap{
		// stepAt and bandAt are the class rule's i-th violation step and
		// class, zero past the end (the form's blank rows).
		"stepAt":      func(s []enterprise.Step, i int) enterprise.Step { return atOr(s, i) },
		"bandAt":      func(b []enterprise.ClassBand, i int) enterprise.ClassBand { return atOr(b, i) },
		"stdName":     func(k string) string { return codes.NameOf(enterprise.StdLevels, k) },
		"statusName":  func(k string) string { return codes.NameOf(enterprise.Statuses, k) },
		"scaleName":   func(k string) string { return codes.NameOf(enterprise.Scales, k) },
		"postName":    func(k string) string { return codes.NameOf(enterprise.Posts, k) },
		"catName":     enterprise.CategoryName,
		"classes":     func() []string { return []string{"A", "B", "C", "D"} },
		"creditBasis": func() string { return enterprise.CreditBasis },
		"tabs":        func() []codes.Choice { return profileTabs },
		"tabName":     func(k string) string { return codes.NameOf(profileTabs, k) },
		"chemicals":   func() []rules.Chemical { cs, _ := rules.Chemicals(); return cs },
		// ownSupervisorOnly: a department or street office names only itself.
		"ownSupervisorOnly": enterprise.OwnSupervisorOnly,
		"entMax":            func(field string) int { return enterprise.Limits[field] },
	}
}

// profileTabs are the 一企一档 tabs; hazards, inspections and accidents fill
// in as those mechanisms land.
var profileTabs = []codes.Choice{{Key: "basic", Name: "基本信息"}, {Key: "duty", Name: "监管责任"}, {Key: "sources", Name: "重大危险源"},
	{Key: "papers", Name: "证照人员"}, {Key: "credit", Name: "信用"}, {Key: "hazards", Name: "隐患"}, {Key: "risks", Name: "风险"}, {Key: "inspections", Name: "检查"},
	{Key: "accidents", Name: "事故"}}

// atOr is s[i], or the zero value past the end.
func atOr[T any](s []T, i int) T {
	var zero T
	if i < 0 || i >= len(s) {
		return zero
	}
	return s[i]
}
