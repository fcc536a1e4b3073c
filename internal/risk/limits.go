package risk

import "anwei/internal/apperr"

// Limits are the most characters each free-text field of a risk point
// holds, by the form field's name (issue 14.5): enough for a 风险告知卡's
// lines (a place, a paragraph of factors or measures), stated in the forms
// (web's riskMax, maxlength) and checked by Create and Reassess. A design
// choice, not a figure of the rules.
var Limits = map[string]int{"name": 100, "activity": 100, "factors": 1000, "accidents": 200, "measures": 1000,
	"emergency": 1000, "responsible": 50, "note": 500}

// text is field's value with its label and limit, for apperr.Lengths.
func text(field, label, value string) apperr.Text {
	return apperr.Text{Field: field, Label: label, Max: Limits[field], Value: value}
}
