package web

import (
	"html/template"
	"net/url"
	"strconv"
	"strings"

	"anwei/internal/risk"
)

// riskFuncs name the four colours and the control levels, and state a text
// field's limit (riskMax).
func riskFuncs() template.FuncMap {
	return template.FuncMap{
		"colour":  risk.ColourName,
		"control": risk.ControlLevelName,
		"riskMax": func(field string) int { return risk.Limits[field] },
		// riskAt is the value a re-assessment's L/E/C/S starts from: what
		// was sent (a form with an error), else the point's current input.
		"riskAt": func(form url.Values, inputs, key string) string {
			if v := form.Get(strings.ToLower(key)); v != "" {
				return v
			}
			for _, f := range strings.Fields(inputs) {
				if k, v, ok := strings.Cut(f, "="); ok && k == key {
					return v
				}
			}
			return ""
		},
		"riskNum": func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) },
	}
}
