package enforce

// Limits are the most characters each free-text field holds, by the form
// field's name: stated in the forms (maxlength) and checked by the
// service. A design choice, not a figure of the rules.
var Limits = map[string]int{"note": 500, "cert_no": 40, "reason": 200, "title": 60, "public_source": 200, "public_format": 100,
	"public_value": 200,
	// Part 2: the inspection on site and its writs.
	"place": 100, "description": 500, "party": 40, "party_post": 40, "summary": 2000, "handling": 1000, "measures": 1000,
	"mark_note": 300, "name": 40, "review_note": 300}

// maxNote is the longest note of a task.
var maxNote = Limits["note"]

// Media limits: at most MediaPerUpload files a time, and what one user
// keeps in all (全过程记录 is photos, audio and short video: a design
// choice, configurable here, not a figure of the rules).
const (
	MediaPerUpload = 10
	MediaQuota     = 2 << 30 // 2 GiB per user
	SignatureMax   = 512 << 10
)

// CaseLimits are the most characters each free-text field of a case's
// forms holds (the service checks the same figures).
var CaseLimits = map[string]int{"facts": 4000, "source_ref": 100, "evidence": 20000, "hearing": 20000, "note": 10000, "text": 10000,
	"reason": 2000, "close": 2000, "statement": 2000, "place": 200, "time": 20, "receipt": 60, "signer": 50,
	"revise": 1000, "to_whom": 100, "withdraw": 500}
