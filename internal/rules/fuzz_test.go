package rules

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzCheckCreditCode: any text is checked without panic; a code found
// valid is 18 code characters whose 18th is the one its first 17 call for
// (so the region is positions 3–8), and every other 18th character makes it
// invalid; the first 17 characters of any code with their check character
// are valid.
func FuzzCheckCreditCode(f *testing.F) {
	for _, s := range []string{"914403001922038216", "9144030071526726XG", " 9144030071526726xg ", "91440300715267260", "9144030071526726XＧ", "914403007152672ZXG", "\x00", "ＡＢＣ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r := CheckCreditCode(s)
		if !utf8.ValidString(r.Error) || r.Basis == "" {
			t.Fatalf("%q: %+v", s, r)
		}
		if r.Valid != (r.Error == "") {
			t.Fatalf("%q: valid %v with error %q", s, r.Valid, r.Error)
		}
		if r.Valid {
			c := r.Code
			want, err := CreditCheckChar(c[:17])
			if len(c) != 18 || err != nil || c[17] != want || r.Region != c[2:8] || c != strings.ToUpper(strings.TrimSpace(s)) {
				t.Fatalf("%q found valid: %+v", s, r)
			}
			for i := range len(creditChars) {
				if other := creditChars[i]; other != c[17] && CheckCreditCode(c[:17]+string(other)).Valid {
					t.Fatalf("%q: %c as check character is valid too", s, other)
				}
			}
		}
		if len(s) >= 17 {
			if ch, err := CreditCheckChar(s[:17]); err == nil && !CheckCreditCode(s[:17]+string(ch)).Valid {
				t.Fatalf("%q with its check character %c is invalid", s[:17], ch)
			}
		}
	})
}
