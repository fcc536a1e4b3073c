package web

import (
	"html/template"

	"anwei/internal/plan"
)

// planFuncs: the review form's field keys, the obligation periods and each
// free-text field's limit (planMax, the forms' maxlength).
func planFuncs() template.FuncMap {
	return template.FuncMap{
		"fkey":    fieldKey,
		"periods": func() any { return plan.Periods },
		"planMax": func(field string) int { return plan.Limits[field] },
	}
}
