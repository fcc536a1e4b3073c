package hazard

import (
	"regexp"
	"strings"
)

// criterionKey finds a criteria key (hg121-7, gm10-11-3) in a note written
// before notes cited their criterion by its title.
var criterionKey = regexp.MustCompile(`\b[a-z]{2}\d+(?:-\d+)+\b`)

// noteText is a history note as people read it: a criteria key in it
// becomes the criterion's citation (hg121-7 → 《…判定标准》（…）第（七）项),
// a key the library does not know stays as written.
func noteText(note string) string {
	if !strings.ContainsAny(note, "-") {
		return note
	}
	return criterionKey.ReplaceAllStringFunc(note, func(k string) string {
		if t := CriterionText(k); t != "" {
			return t
		}
		return k
	})
}
