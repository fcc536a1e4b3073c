package web

import (
	"html/template"
	"slices"
	"strconv"
	"strings"

	"anwei/internal/org"
)

// orgFuncs name the organisation's roles, unit kinds, levels and committee
// roles, list them for pickers, and state a text field's limit (orgMax).
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
		"hasRole":    func(rs []org.Role, r org.Role) bool { return slices.Contains(rs, r) },
		"unitPicker": newUnitPick,
		// personPicker is a unit picker searching people (GET /api/v1/users)
		// of the unit in the form's field unitFrom.
		"personPicker": func(name string, value any, label, unitFrom string, flags ...string) unitPick {
			p := newUnitPick(name, value, label, "", flags...)
			p.API, p.Noun, p.UnitFrom = "/api/v1/users", "人员", unitFrom
			return p
		},
		"orgMax": func(field string) int { return org.Limits[field] },
	}
}

// unitPick is one unit picker (templates/partials/picker.html): the form
// field Name posting a unit's id (Value), the unit's name shown (Label),
// the kinds offered (comma-separated, "" any) and the flags "required",
// "active" (only units in use) and "aria=…" (the name of a picker without
// a label). static/app.js turns it into a search box asking
// GET /api/v1/units as one types; without scripts it is the id's input.
type unitPick struct {
	Name, Value, Label, Kinds, Aria string
	Required, Active                bool
	API, Noun, UnitFrom             string // a person picker's search, what it picks and the field naming its unit

}

func newUnitPick(name string, value any, label, kinds string, flags ...string) unitPick {
	p := unitPick{Name: name, Label: label, Kinds: kinds}
	switch v := value.(type) {
	case int64:
		if v != 0 {
			p.Value = strconv.FormatInt(v, 10)
		}
	case string:
		p.Value = v
	}
	if p.Value == "" || p.Value == "0" {
		p.Value = ""
		p.Label = ""
	}
	for _, f := range flags {
		switch {
		case f == "required":
			p.Required = true
		case f == "active":
			p.Active = true
		case strings.HasPrefix(f, "aria="):
			p.Aria = strings.TrimPrefix(f, "aria=")
		}
	}
	return p
}
