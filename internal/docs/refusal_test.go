package docs

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// inChinese fails unless err's message is a sentence in Chinese: UTF-8, no
// NUL, at least one Han character. A reader's error is what its caller
// (the imports) puts, as it is, in an Invalid error on the field "file"
// (ARCHITECTURE, Tests: fuzzing — a refusal is an Invalid error in
// Chinese).
func inChinese(t *testing.T, what string, err error) {
	t.Helper()
	msg := err.Error()
	if !utf8.ValidString(msg) || strings.IndexByte(msg, 0) >= 0 || !strings.ContainsFunc(msg, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
		t.Fatalf("%s: message %q is not in Chinese", what, msg)
	}
}
