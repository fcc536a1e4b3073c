package web

import (
	"html/template"
	"strconv"

	"anwei/internal/codes"
	"anwei/internal/enforce"
)

// enforceFuncs state a text field's limit (enforceMax), name the bases of
// an inspection and the levels of the cap table.
func enforceFuncs() template.FuncMap {
	return template.FuncMap{
		"enforceMax": func(field string) int { return enforce.Limits[field] },
		"basisName":  func(k string) string { return codes.NameOf(enforce.Bases, k) },
		"capLevels":  enforce.Levels,
		"capLevel":   enforce.LevelName,
		"capOf":      func(row enforce.CapRow, level string) int { return row.Caps[level] },
		"caseBases":  func() []codes.Choice { return manualBases() },
		"inc":        func(i int) int { return i + 1 },
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
