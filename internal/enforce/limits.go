package enforce

// Limits are the most characters each free-text field holds, by the form
// field's name: stated in the forms (maxlength) and checked by the
// service. A design choice, not a figure of the rules.
var Limits = map[string]int{"note": 500, "cert_no": 40, "reason": 200, "title": 60, "public_source": 200, "public_format": 100,
	"public_value": 200}
