package plan_test

import (
	"errors"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"anwei/internal/apperr"
)

// invalidInChinese fails unless err is an apperr Invalid error whose
// message is a sentence in Chinese: UTF-8, no NUL, at least one Han
// character (ARCHITECTURE, Tests: fuzzing — a refusal is an Invalid error
// in Chinese).
func invalidInChinese(t *testing.T, what string, err error) {
	t.Helper()
	var e *apperr.Error
	if !errors.As(err, &e) || e.Code != apperr.Invalid {
		t.Fatalf("%s: %T %v, want an Invalid error", what, err, err)
	}
	inChinese(t, what, e.Message)
}

// inChinese fails unless msg is UTF-8 without NUL and holds a Han
// character: the message a caller shows, or puts in an Invalid error.
func inChinese(t *testing.T, what, msg string) {
	t.Helper()
	if !utf8.ValidString(msg) || strings.IndexByte(msg, 0) >= 0 || !strings.ContainsFunc(msg, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
		t.Fatalf("%s: message %q is not in Chinese", what, msg)
	}
}
