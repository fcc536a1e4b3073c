package web

import (
	"html/template"

	"anwei/internal/plan"
)

// planFuncs: the review form's field keys and the obligation periods.
func planFuncs() template.FuncMap {
	return template.FuncMap{
		"fkey":    fieldKey,
		"periods": func() any { return plan.Periods },
	}
}
