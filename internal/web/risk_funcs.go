package web

import (
	"html/template"

	"anwei/internal/risk"
)

// riskFuncs name the four colours and the control levels, and state a text
// field's limit (riskMax).
func riskFuncs() template.FuncMap {
	return template.FuncMap{
		"colour":  risk.ColourName,
		"control": risk.ControlLevelName,
		"riskMax": func(field string) int { return risk.Limits[field] },
	}
}
