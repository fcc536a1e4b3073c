package web

import (
	"html/template"
	"strconv"
	"time"

	"anwei/internal/calendar"

	"anwei/internal/codes"
	"anwei/internal/enforce"
	"anwei/internal/rules"
)

// enforceFuncs state a text field's limit (enforceMax), name the bases of
// an inspection and the levels of the cap table.
func enforceFuncs() template.FuncMap {
	return template.FuncMap{
		"enforceMax": func(field string) int { return enforce.Limits[field] },
		"caseMax":    func(field string) int { return enforce.CaseLimits[field] },
		"caseGrades": func() []string { return rules.Grades },
		"wan":        func(yuan float64) float64 { return yuan / 10000 },
		"basisName":  func(k string) string { return codes.NameOf(enforce.Bases, k) },
		"capLevels":  enforce.Levels,
		"capLevel":   enforce.LevelName,
		"capOf":      func(row enforce.CapRow, level string) int { return row.Caps[level] },
		"caseBases":  func() []codes.Choice { return manualBases() },
		"inc":        func(i int) int { return i + 1 },
		// The inspection page's choices: an item's marks (a re-check's
		// are 已整改 / 拒不改正), the signature boxes.
		"markChoices": func(recheck bool) []codes.Choice {
			if recheck {
				return enforce.RecheckResults
			}
			return enforce.Results
		},
		"signRoles": func() []codes.Choice { return enforce.SignRoles },
		// fmtTime is a moment of the inspection in Shanghai time, to the minute.
		"fmtTime": func(t any) string {
			switch v := t.(type) {
			case *time.Time:
				if v == nil {
					return ""
				}
				return calendar.Local(*v).Format("2006-01-02 15:04")
			case time.Time:
				return calendar.Local(v).Format("2006-01-02 15:04")
			}
			return ""
		},
		"deref": func(f *float64) float64 {
			if f == nil {
				return 0
			}
			return *f
		},
		"signedAs": func(ss []enforce.Signature, role string) *enforce.Signature {
			for i := range ss {
				if ss[i].Role == role {
					return &ss[i]
				}
			}
			return nil
		},
		"teamAt": func(ts []enforce.TeamMember, i int) string {
			if i < len(ts) {
				return ts[i].Name + " (执法证号 " + ts[i].Cert + ")"
			}
			return ""
		},
		"mediaOf": func(ms []enforce.Media, item string, finding int64) []enforce.Media {
			var out []enforce.Media
			for _, m := range ms {
				if (item != "" && m.ItemKey == item && m.FindingID == 0) || (finding != 0 && m.FindingID == finding) {
					out = append(out, m)
				}
			}
			return out
		},
		"onTeam": func(ts []enforce.TeamMember, id int64) bool {
			for _, t := range ts {
				if t.UserID == id {
					return true
				}
			}
			return false
		},
		// monthName is the i-th month (from 0) as a heading.
		"monthName": func(i int) string { return strconv.Itoa(i+1) + "月" },
		// nz is a number for a form, blank when zero (a new plan's).
		"nz": func(n int) string {
			if n == 0 {
				return ""
			}
			return strconv.Itoa(n)
		},
	}
}

// manualBases are the bases a department records by hand: 督导检查, then
// those of a case.
func manualBases() []codes.Choice {
	all, keys := enforce.Bases, enforce.CaseBases
	out := []codes.Choice{{Key: enforce.BasisSupervisory, Name: codes.NameOf(all, enforce.BasisSupervisory)}}
	for _, k := range keys {
		out = append(out, codes.Choice{Key: k, Name: codes.NameOf(all, k)})
	}
	return out
}
