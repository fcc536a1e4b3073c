package enforce

import (
	"math"
	"time"

	"anwei/internal/calendar"
)

// The clocks of a 行政处罚案件 (行政处罚法 2021, REGULATIONS.md §14.1 [A]),
// pure: dates in, dates out. Periods of 二日/三日/五日/七日 are working days
// (Art. 85: 不含法定节假日), counted after the day they start from; longer
// ones are calendar days, and one ending on a day off ends on the next
// working day (the general rule for 期间, 民法典 Art. 203 [U: 行政处罚法
// says nothing of it; it favours the party]).

const day = "2006-01-02"

// DecideDays is Art. 60's limit: a decision within 90 days of 立案.
const DecideDays = 90

// PayDays is Art. 67's limit: the fine is paid within 15 days of receiving
// the decision.
const PayDays = 15

// HearingAskDays (Art. 64 (一)): the party asks for a hearing within 5
// (working) days of the notice; HearingNoticeDays (Art. 64 (二)): it is
// told the hearing's time and place 7 (working) days before; ServeDays
// (Art. 61): a decision not handed over on the spot is served within 7
// (working) days.
const (
	HearingAskDays    = 5
	HearingNoticeDays = 7
	ServeDays         = 7
)

// LateRate is Art. 72 (一)'s 加处罚款: 3% of the fine a day, at most the fine.
const LateRate = 0.03

// parseDay reads YYYY-MM-DD.
func parseDay(s string) (time.Time, bool) {
	t, err := time.Parse(day, s)
	return t, err == nil
}

// addWorkdays is the n-th working day after date.
func addWorkdays(date string, n int) string {
	t, ok := parseDay(date)
	if !ok {
		return ""
	}
	return calendar.AddWorkdays(t, n).Format(day)
}

// addPeriod is the last day of a period of n calendar days after date: the
// n-th day, moved to the next working day when it falls on a day off.
func addPeriod(date string, n int) string {
	t, ok := parseDay(date)
	if !ok {
		return ""
	}
	t = t.AddDate(0, 0, n)
	for !calendar.IsWorkday(t) {
		t = t.AddDate(0, 0, 1)
	}
	return t.Format(day)
}

// daysBetween is to − from in days (negative when to is earlier).
func daysBetween(from, to string) int {
	a, ok1 := parseDay(from)
	b, ok2 := parseDay(to)
	if !ok1 || !ok2 {
		return 0
	}
	return int(math.Round(b.Sub(a).Hours() / 24))
}

// DecideBy is the last day a decision may be made: 90 days from 立案 (the
// day of 立案 is not counted), plus the extensions approved.
func DecideBy(filed string, extensionDays int) string {
	return addPeriod(filed, DecideDays+extensionDays)
}

// extended is the days of extension a deadline decideBy of a case filed on
// filed holds: the least n with DecideBy(filed, n) = decideBy.
func extended(filed, decideBy string) int {
	for n := 0; n < 3650; n++ {
		if DecideBy(filed, n) >= decideBy {
			return n
		}
	}
	return 0
}

// PayBy is the last day to pay a fine served on served.
func PayBy(served string) string { return addPeriod(served, PayDays) }

// LateFee is the 加处罚款 owed for paying on date a fine (fen) due by payBy:
// 3% of the fine for each day after payBy, never more than the fine.
func LateFee(fineFen int64, payBy, date string) int64 {
	n := int64(daysBetween(payBy, date))
	if n <= 0 || fineFen <= 0 {
		return 0
	}
	fee := (fineFen*3*n + 50) / 100 // 3% a day (LateRate), to the fen, in whole numbers
	return min(fee, fineFen)
}

// LateDays is the number of days a fine due by payBy is late on date.
func LateDays(payBy, date string) int { return max(0, daysBetween(payBy, date)) }

// CourtWindow is when an application to the court to enforce a decision
// served on served may be made (行政强制法 Art. 53: within 3 months after
// the period for 行政复议 (60 days) and 行政诉讼 (6 months) has run out;
// Art. 54: after the ten days the 催告书 gives).
func CourtWindow(served, reminded string) (from, to string) {
	s, ok := parseDay(served)
	if !ok {
		return "", ""
	}
	open := addMonths(s, 6).AddDate(0, 0, 1)
	// "催告书送达十日后": from the 11th day after the reminder (taken as
	// served the day it is issued on the platform).
	if r, ok := parseDay(reminded); ok && r.AddDate(0, 0, 11).After(open) {
		open = r.AddDate(0, 0, 11)
	}
	return open.Format(day), addMonths(s, 9).Format(day)
}

// addMonths is the same day n months on, or that month's last day when it
// has no such day (31 August + 6 months is 28 February, not 3 March).
func addMonths(t time.Time, n int) time.Time {
	first := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, t.Location()).AddDate(0, n, 0)
	last := first.AddDate(0, 1, -1).Day()
	return first.AddDate(0, 0, min(t.Day(), last)-1)
}

// DailyDays is Art. 112's count: from the day after the correction order
// to until, both counted (0 when until is not after the order).
func DailyDays(ordered, until string) int { return max(0, daysBetween(ordered, until)) }

// DailyUntil is the last day counted when a re-check on corrected finds it
// corrected: that day, or the day before ([U] CaseRules.DailyEnd).
func DailyUntil(corrected string, endsDayBefore bool) string {
	if !endsDayBefore {
		return corrected
	}
	t, ok := parseDay(corrected)
	if !ok {
		return ""
	}
	return t.AddDate(0, 0, -1).Format(day)
}
