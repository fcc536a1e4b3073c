package enterprise_test

import (
	"fmt"
	"testing"
	"time"

	"anwei/internal/apperr/apperrtest"
	"anwei/internal/enterprise"
)

// FuzzParseDate: the import's and the forms' date reader returns a real
// day between 1950 and 2100 as YYYY-MM-DD, which reads back as itself, or
// an error whose message is in Chinese (the forms put it after the field's
// name in an Invalid error).
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-03-01", "2026/3/1", "2026.3.1", "2026年3月1日", " 2026年03月01 ", "2026-02-30", "1949-12-31", "2101-1-1", "46082", "2026--1", "年月日"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := enterprise.ParseDate(s)
		if err != nil {
			if d != "" {
				t.Fatalf("%q: %q, %v", s, d, err)
			}
			apperrtest.InChinese(t, fmt.Sprintf("%q", s), err.Error())
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
