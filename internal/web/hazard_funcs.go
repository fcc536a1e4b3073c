package web

import (
	"html/template"
	"math"
	"strconv"
	"strings"

	"anwei/internal/codes"
	"anwei/internal/hazard"
)

// hazardFuncs name a hazard's levels, sources, actions and listing tiers,
// quote the cited criterion, pair labels with counts (list3) and state a
// text field's limit (hazardMax).
func hazardFuncs() template.FuncMap {
	return template.FuncMap{
		"hzLevel":    hazard.LevelName,
		"list3":      breakdowns,
		"hzSource":   func(k string) string { return codes.NameOf(hazard.Sources, k) },
		"hzAction":   hazard.ActionName,
		"hzTier":     hazard.TierName,
		"criterion":  hazard.CriterionText,
		"hazardMax":  func(field string) int { return hazard.Limits[field] },
		"hzHandling": func(k string) string { return codes.NameOf(hazard.Handlings, k) },
		"delta":      delta,
	}
}

// breakdown is one labelled table of hazard counts.
type breakdown struct {
	Label string
	Rows  []hazard.Count
}

// breakdowns pairs labels with their counts for a page: "属地", rows, ….
func breakdowns(pairs ...any) []breakdown {
	var out []breakdown
	for i := 0; i+1 < len(pairs); i += 2 {
		label, _ := pairs[i].(string)
		rows, _ := pairs[i+1].([]hazard.Count)
		out = append(out, breakdown{Label: label, Rows: rows})
	}
	return out
}

// delta shows a 同比/环比 change: +12.5%, −8%, 0%, or "—" over no base.
func delta(v *float64) string {
	if v == nil {
		return "—"
	}
	n := strconv.FormatFloat(math.Abs(*v), 'f', 1, 64)
	n = strings.TrimSuffix(n, ".0") + "%"
	switch {
	case *v > 0:
		return "+" + n
	case *v < 0:
		return "−" + n
	}
	return n
}
