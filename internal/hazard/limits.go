package hazard

import "anwei/internal/apperr"

// Limits are the most characters each free-text field of a hazard holds:
// enough for the plainest 隐患排查 record (a place, a paragraph of
// description or measures, a writ's 文号), stated in the forms
// (web's hazardMax) and checked by Report and Act. A design choice, not a
// figure of the rules.
var Limits = map[string]int{"place": 100, "description": 1000, "measures": 1000, "responsible": 50,
	"reasoning": 1000, "writ": 100, "evidence": 1000, "reason": 500,
	// 挂牌督办: the 督办要求 printed in the 督办通知书, the 文号's 机关代字.
	"requirement": 1000, "doc_prefix": 12}

// text is field's value with its label and limit, for apperr.Lengths.
func text(field, label, value string) apperr.Text {
	return apperr.Text{Field: field, Label: label, Max: Limits[field], Value: value}
}
