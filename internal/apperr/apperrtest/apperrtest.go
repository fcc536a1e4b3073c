// Package apperrtest holds the tests' check that a refusal speaks Chinese
// (ARCHITECTURE, Tests: fuzzing — a refusal is an Invalid error in
// Chinese), shared by the packages whose fuzz targets and tests use it.
package apperrtest

import (
	"errors"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"anwei/internal/apperr"
)

// InvalidInChinese fails unless err is an apperr Invalid error whose
// message is in Chinese (InChinese).
func InvalidInChinese(t testing.TB, what string, err error) {
	t.Helper()
	var e *apperr.Error
	if !errors.As(err, &e) || e.Code != apperr.Invalid {
		t.Fatalf("%s: %T %v, want an Invalid error", what, err, err)
	}
	InChinese(t, what, e.Message)
}

// InChinese fails unless msg is UTF-8 without NUL and holds a Han
// character: the message a caller shows, or puts in an Invalid error.
func InChinese(t testing.TB, what, msg string) {
	t.Helper()
	if !utf8.ValidString(msg) || strings.IndexByte(msg, 0) >= 0 || !strings.ContainsFunc(msg, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
		t.Fatalf("%s: message %q is not in Chinese", what, msg)
	}
}
