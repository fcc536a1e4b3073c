package apperr

import (
	"fmt"
	"unicode/utf8"
)

// Text is a free-text field with the most characters it may hold (issue
// 14.5: a 21,600-character description was stored and made its list page
// 11,000 px tall). Forms state Max (maxlength and a hint); services check it.
type Text struct {
	Field, Label string
	Max          int
	Value        string
}

// Lengths is nil when every text is within its limit, else a field error
// naming each that is not, its limit and its length (the first is Field).
func Lengths(ts ...Text) error {
	var c Checks
	for _, t := range ts {
		if n := utf8.RuneCountInString(t.Value); n > t.Max {
			c.Add(t.Field, fmt.Sprintf("%s不能超过 %d 字 (现 %d 字)", t.Label, t.Max, n))
		}
	}
	return c.Err()
}
