package enterprise_test

import (
	"testing"
	"time"
	"unicode/utf8"

	"anwei/internal/enterprise"
)

// FuzzParseDate: the import's and the forms' date reader returns a real
// day between 1950 and 2100 as YYYY-MM-DD, which reads back as itself, or
// an error in Chinese.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-03-01", "2026/3/1", "2026.3.1", "2026年3月1日", " 2026年03月01 ", "2026-02-30", "1949-12-31", "2101-1-1", "46082", "2026--1", "年月日"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := enterprise.ParseDate(s)
		if err != nil {
			if d != "" || !utf8.ValidString(err.Error()) && utf8.ValidString(s) {
				t.Fatalf("%q: %q, %v", s, d, err)
			}
			return
		}
		day, perr := time.Parse("2006-01-02", d)
		if perr != nil || day.Year() < 1950 || day.Year() > 2100 {
			t.Fatalf("%q read as %q", s, d)
		}
		if again, err := enterprise.ParseDate(d); err != nil || again != d {
			t.Fatalf("%q read as %q, which reads as %q (%v)", s, d, again, err)
		}
	})
}
