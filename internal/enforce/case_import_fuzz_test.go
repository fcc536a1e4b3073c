package enforce_test

import (
	"strings"
	"testing"
	"time"
	"unicode"

	"anwei/internal/enforce"
)

// FuzzParseCaseRow: a row of the case import is either refused with
// reasons in Chinese, each naming its column, or read as a decided case
// that keeps the import's promises — a number, a party, an article, dates
// that are dates, in order and not after today, money that is not
// negative, paid at least the fine when paid.
func FuzzParseCaseRow(f *testing.F) {
	at := map[string]int{}
	for i, h := range enforce.CaseSheetHeader {
		at[h] = i
	}
	join := func(cells ...string) string { return strings.Join(cells, "\x1f") }
	f.Add(join("天应急立〔2025〕41号", "济南某某化工有限公司", "", "执法检查发现", "第九十九条", "", "配电室未设置安全警示标志", "赵明", "2025-11-03", "2025/11/20",
		"天应急罚〔2025〕37号", "罚款", "20,000", "2025-11-21", "2025-12-01", "20000", "2025-12-05"))
	f.Add(join("", "", "91370105MA3F0000X1", "举报", "114", "较大", "x", "", "2026-03-02", "2026-03-20", "", "不予行政处罚", "", "", "", "", ""))
	f.Add(join("1", "2", "", "", "99", "", "x", "", "2026.3.2", "2026年3月20日", "", "", "50000.004", "", "", "", ""))
	today := "2026-12-05"
	f.Fuzz(func(t *testing.T, s string) {
		c, bad := enforce.ParseCaseRow(at, 2, strings.Split(s, "\x1f"), today)
		if len(bad) > 0 {
			for _, b := range bad {
				col, _, ok := strings.Cut(b, ": ")
				if !ok || !strings.ContainsFunc(b, func(r rune) bool { return unicode.Is(unicode.Han, r) }) || strings.ContainsRune(b, 0) {
					t.Fatalf("a reason without its column or not in Chinese: %q", b)
				}
				if _, known := at[col]; !known {
					t.Fatalf("a reason naming no column of the sheet: %q", b)
				}
			}
			return
		}
		date := func(d string, required bool) {
			if d == "" && !required {
				return
			}
			if _, err := time.Parse("2006-01-02", d); err != nil || d > today {
				t.Fatalf("a date that is not one, or after today: %q (%+v)", d, c)
			}
		}
		date(c.FiledOn, true)
		date(c.DecidedOn, true)
		date(c.ServedOn, false)
		date(c.PaidOn, false)
		date(c.ClosedOn, false)
		switch {
		case c.Number == "" || (c.Party == "" && c.CreditCode == "") || c.Facts == "" || c.Article == 0:
			t.Fatalf("a row read without what it must have: %+v", c)
		case c.DecidedOn < c.FiledOn || (c.ServedOn != "" && c.ServedOn < c.DecidedOn) || (c.PaidOn != "" && (c.ServedOn == "" || c.PaidOn < c.ServedOn)):
			t.Fatalf("dates out of order: %+v", c)
		case c.FineFen < 0 || (c.PaidOn != "" && c.PaidFen < c.FineFen) || (c.Waived && c.FineFen != 0):
			t.Fatalf("money that breaks its promise: %+v", c)
		}
	})
}
