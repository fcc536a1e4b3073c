package web

import (
	"html/template"
	"slices"

	"anwei/internal/org"
)

// orgFuncs name the organisation's roles, unit kinds, levels and committee
// roles, and list them for pickers.
func orgFuncs() template.FuncMap {
	return template.FuncMap{
		"roleName":  func(r org.Role) string { return r.Name() },
		"kindName":  func(k org.UnitKind) string { return k.Name() },
		"levelName": func(l org.Level) string { return l.Name() },
		"crName":    func(r org.CommitteeRole) string { return r.Name() },
		"roles":     func() []org.Role { return org.Roles },
		"kinds":     func() []org.UnitKind { return org.UnitKinds },
		"crs": func() []org.CommitteeRole {
			return []org.CommitteeRole{org.CommitteeOffice, org.CommitteeSpecial, org.CommitteeMember}
		},
		"hasRole": func(rs []org.Role, r org.Role) bool { return slices.Contains(rs, r) },
	}
}
