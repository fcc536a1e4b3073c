package calendar

import (
	_ "embed"
	"strconv"
	"strings"
	"time"
)

// The State Council's holidays and 调休 working days (data/SOURCE.md).
//
//go:embed data/holidays_cn.csv
var holidaysCSV string

// WorkdaysKnownThrough is the last day the holiday table covers; after it
// the days off are Saturdays, Sundays and the holidays fixed by date in
// 《全国年节及纪念日放假办法》 (元旦 1 January, 劳动节 1–2 May, 国庆节 1–3
// October); the lunar festivals and 调休 wait for the year's notice.
const WorkdaysKnownThrough = "2026-12-31"

// workdaysKnownFrom is the first day the holiday table covers.
const workdaysKnownFrom = "2020-01-01"

// YearKnown reports whether a year's State Council notice is in the
// holiday table (its working days are then exact).
func YearKnown(year int) bool {
	y := strconv.Itoa(year)
	return y >= workdaysKnownFrom[:4] && y <= WorkdaysKnownThrough[:4]
}

// fixedHolidays are the statutory holidays fixed by date (month-day).
var fixedHolidays = map[string]bool{"01-01": true, "05-01": true, "05-02": true, "10-01": true, "10-02": true, "10-03": true}

var offDays, extraWorkdays = readHolidays(holidaysCSV)

func readHolidays(csv string) (off, work map[string]bool) {
	off, work = map[string]bool{}, map[string]bool{}
	for _, line := range strings.Split(csv, "\n")[1:] {
		f := strings.Split(strings.TrimSpace(line), ",")
		if len(f) < 2 {
			continue
		}
		switch f[1] {
		case "holiday":
			off[f[0]] = true
		case "workday":
			work[f[0]] = true
		}
	}
	return off, work
}

// IsWorkday reports whether the date (a calendar day; its clock time and
// zone are ignored) is a working day in China: Monday to Friday except
// public holidays, and the weekend days a notice makes working days.
func IsWorkday(d time.Time) bool {
	k := d.Format("2006-01-02")
	if extraWorkdays[k] {
		return true
	}
	if offDays[k] || (k > WorkdaysKnownThrough && fixedHolidays[k[5:]]) {
		return false
	}
	return d.Weekday() != time.Saturday && d.Weekday() != time.Sunday
}

// AddWorkdays is the n-th working day after d (d itself not counted): 季后5个
// 工作日 after 31 March 2026 is 8 April (清明 falls on 4–6 April). n ≤ 0 gives d.
func AddWorkdays(d time.Time, n int) time.Time {
	for n > 0 {
		d = d.AddDate(0, 0, 1)
		if IsWorkday(d) {
			n--
		}
	}
	return d
}

// HolidaysRunOut says, from today (YYYY-MM-DD), whether the holiday table
// ends within 60 days or has ended: then the next year's 春节, 清明, 端午,
// 中秋 and 调休 are unknown and a plan's report dates (季后5个工作日) may
// fall on a holiday. The State Council's notice for a year comes out in
// its November; its rows go into data/holidays_cn.csv (review finding).
func HolidaysRunOut(today string) bool {
	end, err := time.Parse("2006-01-02", WorkdaysKnownThrough)
	if err != nil {
		return true
	}
	return today > end.AddDate(0, 0, -60).Format("2006-01-02")
}

// Deadline is the n-th working day after a date ("N 个工作日"), and how
// sure that is.
type Deadline struct {
	Date string `json:"date"`
	// Provisional: the count ran past the last year whose State Council
	// notice is loaded, where only weekends and the holidays fixed by date
	// are known; the year's notice may move it.
	Provisional bool   `json:"provisional"`
	Basis       string `json:"basis"`
}

// WorkdaysAfter is the n-th working day after from (AddWorkdays), with its
// basis.
func WorkdaysAfter(from time.Time, n int) Deadline {
	d := AddWorkdays(from, n)
	out := Deadline{Date: d.Format("2006-01-02"),
		Basis: "国务院办公厅历年部分节假日安排的通知 (节假日与调休，至 " + WorkdaysKnownThrough + ")；周六、周日休息"}
	if from.Format("2006-01-02") < workdaysKnownFrom {
		out.Provisional = true
		out.Basis += "；" + workdaysKnownFrom + " 之前不在节假日表中，只计周末和按日期固定的节日"
	}
	if out.Date > WorkdaysKnownThrough {
		out.Provisional = true
		out.Basis += "；" + WorkdaysKnownThrough + " 之后尚无通知，只计周末和《全国年节及纪念日放假办法》按日期固定的元旦、劳动节、国庆节，春节、清明、端午、中秋及调休待当年通知"
	}
	return out
}
