package web

import (
	"html/template"

	"anwei/internal/risk"
)

// riskFuncs name the four colours and the control levels.
func riskFuncs() template.FuncMap {
	return template.FuncMap{
		"colour":  risk.ColourName,
		"control": risk.ControlLevelName,
	}
}
