package enterprise

import "anwei/internal/apperr"

// Limits are the most characters each free-text field of the registry
// holds, by the form field's name (issue 14.5): a record's names, address
// and people, an installation's (名称, 备案编号), a credit listing's, a
// certificate's and a licence's, and the reasons of key-list changes,
// change decisions and credit repairs. Stated in the forms (web's entMax,
// maxlength) and checked by the service. A design choice, not a figure of
// the rules.
var Limits = map[string]int{
	"name": 100, "address": 200, "grid": 50, "legal_rep": 50, "principal": 50, "principal_phone": 30,
	"safety_manager": 50, "safety_phone": 30, "insurer": 100, "policy_no": 50,
	"record_no": 50, "chemical": 100, "category": 20,
	"reason": 500, "basis": 500, "decision_no": 100, "decision": 500,
	"person": 50, "work_type": 50, "number": 50, "kind": 50, "issuer": 100,
}

// text is field's value with its label and limit, for apperr.Lengths.
func text(field, label, value string) apperr.Text {
	return apperr.Text{Field: field, Label: label, Max: Limits[field], Value: value}
}
