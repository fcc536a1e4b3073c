package rules

import (
	"strings"
	"testing"

	"anwei/internal/apperr"
)

// TestPenaltyVectors: each figure computed by hand from the law's text
// (安全生产法 2021, REGULATIONS.md §2): Art. 114 by grade and, aggravated,
// from twice its minimum to five times its maximum; Art. 95 as the share
// of last year's income; Art. 112 from the day after the order to the
// last day counted, both counted, across a month's end and a holiday
// (calendar days: the law fines by the day, not the working day); the
// common violations first and when not corrected in time.
func TestPenaltyVectors(t *testing.T) {
	for _, c := range []struct {
		name       string
		in         PenaltyInput
		min, max   float64
		days       int // -1: none
		basis      string
		personHigh float64 // the person's maximum, 0 for none
	}{
		{"114 一般", PenaltyInput{Article: 114, Grade: "一般"}, 300000, 1000000, -1, "第一百一十四条第一款第（一）项", 0},
		{"114 较大", PenaltyInput{Article: 114, Grade: "较大"}, 1000000, 2000000, -1, "第（二）项", 0},
		{"114 重大", PenaltyInput{Article: 114, Grade: "重大"}, 2000000, 10000000, -1, "第（三）项", 0},
		{"114 特别重大", PenaltyInput{Article: 114, Grade: "特别重大"}, 10000000, 20000000, -1, "第（四）项", 0},
		{"114 一般 aggravated: 2×30万, 5×100万", PenaltyInput{Article: 114, Grade: "一般", Aggravated: true}, 600000, 5000000, -1, "、第二款", 0},
		{"114 特别重大 aggravated: 2000万 to 1亿", PenaltyInput{Article: 114, Grade: "特别重大", Aggravated: true}, 20000000, 100000000, -1, "第二款", 0},
		{"95 一般: 40% of 200,000", PenaltyInput{Article: 95, Grade: "一般", Income: 200000}, 80000, 80000, -1, "第九十五条第（一）项", 0},
		{"95 特别重大: 100%", PenaltyInput{Article: 95, Grade: "特别重大", Income: 312345.67}, 312345.67, 312345.67, -1, "第（四）项", 0},
		{"95 较大: 60% to the fen", PenaltyInput{Article: 95, Grade: "较大", Income: 100000.01}, 60000.01, 60000.01, -1, "第（二）项", 0},
		{"112 the next day only", PenaltyInput{Article: 112, Fine: 30000, Ordered: "2026-03-02", Until: "2026-03-03"}, 30000, 30000, 1, "第一百一十二条", 0},
		{"112 the order's own day: none yet", PenaltyInput{Article: 112, Fine: 30000, Ordered: "2026-03-02", Until: "2026-03-02"}, 0, 0, 0, "第一百一十二条", 0},
		{"112 across February's end (2026: 28 days)", PenaltyInput{Article: 112, Fine: 20000, Ordered: "2026-02-27", Until: "2026-03-02"}, 60000, 60000, 3, "第一百一十二条", 0},
		{"112 across 国庆 (holidays count)", PenaltyInput{Article: 112, Fine: 50000, Ordered: "2026-09-30", Until: "2026-10-08"}, 400000, 400000, 8, "第一百一十二条", 0},
		{"112 across a year and a leap day", PenaltyInput{Article: 112, Fine: 1000, Ordered: "2027-12-31", Until: "2028-03-01"}, 61000, 61000, 61, "第一百一十二条", 0},
		{"94 first", PenaltyInput{Article: 94}, 20000, 50000, -1, "第九十四条第一款", 0},
		{"94 uncorrected", PenaltyInput{Article: 94, Uncorrected: true}, 50000, 100000, -1, "第九十四条", 0},
		{"97 first: 十万元以下", PenaltyInput{Article: 97}, 0, 100000, -1, "第九十七条", 0},
		{"97 uncorrected", PenaltyInput{Article: 97, Uncorrected: true}, 100000, 200000, -1, "第九十七条", 50000},
		{"98 first", PenaltyInput{Article: 98}, 100000, 500000, -1, "第九十八条", 50000},
		{"98 uncorrected", PenaltyInput{Article: 98, Uncorrected: true}, 500000, 1000000, -1, "第九十八条", 100000},
		{"99 first: 五万元以下", PenaltyInput{Article: 99}, 0, 50000, -1, "第九十九条", 0},
		{"99 uncorrected", PenaltyInput{Article: 99, Uncorrected: true}, 50000, 200000, -1, "第九十九条", 20000},
		{"101 first", PenaltyInput{Article: 101}, 0, 100000, -1, "第一百零一条", 0},
		{"102 first", PenaltyInput{Article: 102}, 0, 50000, -1, "第一百零二条", 0},
		{"102 拒不执行: the persons only", PenaltyInput{Article: 102, Uncorrected: true}, 0, 0, -1, "第一百零二条", 100000},
		{"104 first", PenaltyInput{Article: 104}, 0, 50000, -1, "第一百零四条", 10000},
		{"105 first", PenaltyInput{Article: 105}, 0, 50000, -1, "第一百零五条", 10000},
		{"108 拒不改正", PenaltyInput{Article: 108, Uncorrected: true}, 20000, 200000, -1, "第一百零八条", 20000},
		{"109 first", PenaltyInput{Article: 109}, 50000, 100000, -1, "第一百零九条", 0},
		{"109 uncorrected", PenaltyInput{Article: 109, Uncorrected: true}, 100000, 200000, -1, "第一百零九条", 0},
	} {
		p, err := CalcPenalty(c.in)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		days := -1
		if p.Days != nil {
			days = *p.Days
		}
		var person float64
		if p.PersonMax != nil {
			person = *p.PersonMax
		}
		if p.Min != c.min || p.Max != c.max || days != c.days || !strings.Contains(p.Basis, c.basis) || person != c.personHigh {
			t.Errorf("%s: %v–%v, %d days, person ≤ %v, %q; want %v–%v, %d days, person ≤ %v, %q", c.name, p.Min, p.Max, days, person, p.Basis,
				c.min, c.max, c.days, c.personHigh, c.basis)
		}
	}
}

// TestPenaltyRefuses names what is missing or wrong.
func TestPenaltyRefuses(t *testing.T) {
	for _, c := range []struct {
		in    PenaltyInput
		field string
	}{
		{PenaltyInput{Article: 114}, "grade"},
		{PenaltyInput{Article: 114, Grade: "特大"}, "grade"},
		{PenaltyInput{Article: 95, Grade: "一般"}, "income"},
		{PenaltyInput{Article: 95, Grade: "一般", Income: -5}, "income"},
		{PenaltyInput{Article: 112, Ordered: "2026-01-01", Until: "2026-01-05"}, "fine"},
		{PenaltyInput{Article: 112, Fine: 100, Until: "2026-01-05"}, "ordered"},
		{PenaltyInput{Article: 112, Fine: 100, Ordered: "2026-01-01", Until: "2026-1-5"}, "until"},
		{PenaltyInput{Article: 112, Fine: 100, Ordered: "2026-01-05", Until: "2026-01-04"}, "until"},
		{PenaltyInput{Article: 103}, "article"},
		{PenaltyInput{Article: 7}, "article"},
	} {
		if _, err := CalcPenalty(c.in); apperr.FieldOf(err) != c.field {
			t.Errorf("%+v: %v, want a complaint about %s", c.in, err, c.field)
		}
	}
}
