package enforce

import "testing"

// TestCaseClocks: the law's periods computed by hand on the 2026
// calendar (中秋 25–27 September, 国庆 1–7 October, 10 October worked).
func TestCaseClocks(t *testing.T) {
	for _, c := range []struct{ what, got, want string }{
		// Art. 60: 90 days after 3 July is 1 October, a holiday → 8 October.
		{"decide by, ending in 国庆", DecideBy("2026-07-03", 0), "2026-10-08"},
		// 14 September + 90 = 13 December, a Sunday → Monday 14 December.
		{"decide by, ending on a Sunday", DecideBy("2026-09-14", 0), "2026-12-14"},
		// One 30-day extension: 3 July + 120 = 31 October (Sat) → 2 November.
		{"decide by, extended", DecideBy("2026-07-03", 30), "2026-11-02"},
		// Art. 67: 16 September + 15 = 1 October → 8 October.
		{"pay by, across 国庆", PayBy("2026-09-16"), "2026-10-08"},
		{"pay by, across a month end", PayBy("2026-01-20"), "2026-02-04"},
		// Art. 64, 85: 5 working days after Monday 28 September: 29, 30
		// September, 8, 9, 10 (a worked Saturday) October.
		{"hearing asked by", addWorkdays("2026-09-28", HearingAskDays), "2026-10-10"},
		{"hearing notice (7 working days)", addWorkdays("2026-09-28", HearingNoticeDays), "2026-10-13"},
		{"statement (3 working days)", addWorkdays("2026-09-28", 3), "2026-10-08"},
		// 行政强制法 Art. 53: served 2 March: 6 months and a day → 3
		// September, three months more → 2 December.
		{"court from", first(CourtWindow("2026-03-02", "2026-04-01")), "2026-09-03"},
		{"court to", second(CourtWindow("2026-03-02", "2026-04-01")), "2026-12-02"},
		// A reminder later than that: from the 11th day after it.
		{"court from, late reminder", first(CourtWindow("2026-03-02", "2026-08-30")), "2026-09-10"},
		// Served on 31 August: six months end on 28 February (no 31st),
		// nine on 31 May.
		{"court from, month end", first(CourtWindow("2026-08-31", "")), "2027-03-01"},
		{"court to, month end", second(CourtWindow("2026-08-31", "")), "2027-05-31"},
		{"daily ends on the re-check", DailyUntil("2026-10-09", false), "2026-10-09"},
		{"daily ends the day before", DailyUntil("2026-10-01", true), "2026-09-30"},
	} {
		if c.got != c.want {
			t.Errorf("%s: %s, want %s", c.what, c.got, c.want)
		}
	}
	for _, c := range []struct {
		what             string
		fine             int64
		payBy, on        string
		wantFee, wantDay int
	}{
		{"paid on the last day", 1000000, "2026-10-08", "2026-10-08", 0, 0},
		{"paid early", 1000000, "2026-10-08", "2026-09-30", 0, 0},
		{"one day late: 3%", 1000000, "2026-10-08", "2026-10-09", 30000, 1},
		// 33 days: 99% of the fine.
		{"33 days late", 1000000, "2026-10-08", "2026-11-10", 990000, 33},
		// 34 days: 102% — capped at the fine (Art. 72).
		{"34 days late: capped", 1000000, "2026-10-08", "2026-11-11", 1000000, 34},
		{"a year late: capped", 1000000, "2026-10-08", "2027-10-08", 1000000, 365},
		// 3% of 333.33 yuan is 9.9999 yuan: to the fen, 10.00.
		{"fen rounding", 33333, "2026-10-08", "2026-10-09", 1000, 1},
		// 0.30 yuan × 3% × 15 days = 13.5 fen: 14, to the fen.
		{"fen rounding, half up", 30, "2026-10-08", "2026-10-23", 14, 15},
	} {
		if got := LateFee(c.fine, c.payBy, c.on); got != int64(c.wantFee) {
			t.Errorf("%s: fee %d fen, want %d", c.what, got, c.wantFee)
		}
		if got := LateDays(c.payBy, c.on); got != c.wantDay {
			t.Errorf("%s: %d days late, want %d", c.what, got, c.wantDay)
		}
	}
	// Art. 112: from the day after the order to the last day counted,
	// across a month end and 国庆 (calendar days, holidays counted).
	for _, c := range []struct {
		ordered, until string
		want           int
	}{{"2026-09-28", "2026-10-09", 11}, {"2026-09-14", "2026-10-20", 36}, {"2026-09-14", "2026-09-14", 0}, {"2026-09-14", "2026-09-13", 0},
		{"2028-02-28", "2028-03-01", 2}} {
		if got := DailyDays(c.ordered, c.until); got != c.want {
			t.Errorf("daily days %s → %s: %d, want %d", c.ordered, c.until, got, c.want)
		}
	}
}

func first(a, _ string) string  { return a }
func second(_, b string) string { return b }

// TestYuanWords: amounts as a writ writes them.
func TestYuanWords(t *testing.T) {
	for fen, want := range map[int64]string{
		2000000:      "人民币贰万元整",
		2420000:      "人民币贰万肆仟贰佰元整",
		100000:       "人民币壹仟元整",
		1000500:      "人民币壹万零伍元整",
		7200000000:   "人民币柒仟贰佰万元整",
		100000000000: "人民币壹拾亿元整",
		12345:        "人民币壹佰贰拾叁元肆角伍分",
		1005:         "人民币壹拾元零伍分",
		50:           "人民币零元伍角",
	} {
		if got := yuanWords(fen); got != want {
			t.Errorf("%d fen: %s, want %s", fen, got, want)
		}
	}
}
