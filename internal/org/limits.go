package org

import "anwei/internal/apperr"

// Limits are the most characters each free-text field of the organisation
// holds, by the form field's name (issue 14.5): a unit's name, short name
// and each alias, a region's name, a user's name and phone, a grant's
// reason. Stated in the forms (web's orgMax, maxlength) and checked by the
// service. A design choice, not a figure of the rules.
var Limits = map[string]int{"name": 100, "short_name": 30, "aliases": 50, "region_name": 40,
	"display_name": 30, "phone": 20, "reason": 200}

// text is field's value with its label and limit, for apperr.Lengths.
func text(field, label, value string) apperr.Text {
	return apperr.Text{Field: field, Label: label, Max: Limits[field], Value: value}
}
