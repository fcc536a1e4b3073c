package calendar

import (
	"strconv"
	"strings"
	"time"
)

// The working days of China: Monday to Friday, except the public holidays
// of the year's State Council notice (国务院办公厅关于YYYY年部分节假日安排的
// 通知), and the weekend days it makes working days (调休). The notices are
// the holiday table (table.go): built in for 2020–2026, loaded for later
// years. In a year whose notice is not in, the days off are Saturdays,
// Sundays and the holidays fixed by date in 《全国年节及纪念日放假办法》
// (元旦 1 January, 劳动节 1–2 May, 国庆节 1–3 October); the lunar festivals
// and 调休 wait for the year's notice.

// workdaysKnownFrom is the first day the holiday table covers.
var workdaysKnownFrom = strconv.Itoa(firstYear) + "-01-01"

// IsWorkday reports whether the date (a calendar day; its clock time and
// zone are ignored) is a working day in China: Monday to Friday except
// public holidays, and the weekend days a notice makes working days.
func IsWorkday(d time.Time) bool { return current.Load().isWorkday(d) }

func (t *table) isWorkday(d time.Time) bool {
	k := d.Format("2006-01-02")
	switch t.kind[k] {
	case kindWorkday:
		return true
	case kindHoliday:
		return false
	}
	if y := d.Year(); y > firstYear && !t.years[y] && statutory[k[5:]] != "" {
		return false
	}
	return d.Weekday() != time.Saturday && d.Weekday() != time.Sunday
}

// AddWorkdays is the n-th working day after d (d itself not counted): 季后5个
// 工作日 after 31 March 2026 is 8 April (清明 falls on 4–6 April). n ≤ 0 gives d.
func AddWorkdays(d time.Time, n int) time.Time { return current.Load().addWorkdays(d, n) }

func (t *table) addWorkdays(d time.Time, n int) time.Time {
	for n > 0 {
		d = d.AddDate(0, 0, 1)
		if t.isWorkday(d) {
			n--
		}
	}
	return d
}

// HolidaysRunOut says, from today (YYYY-MM-DD), whether the holiday table's
// known years end within 60 days or have ended: then the next year's 春节,
// 清明, 端午, 中秋 and 调休 are unknown and a plan's report dates (季后5个工作日)
// may fall on a holiday. The State Council's notice for a year comes out in
// its November or December; an administrator loads it (组织机构 › 节假日安排,
// or anwei calendar import FILE).
func HolidaysRunOut(today string) bool { return current.Load().known.RunsOut(today) }

// addDays is the date (YYYY-MM-DD) n days after date.
func addDays(date string, n int) string {
	d, err := time.Parse("2006-01-02", date)
	if err != nil {
		return date
	}
	return d.AddDate(0, 0, n).Format("2006-01-02")
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
	t := current.Load()
	d := t.addWorkdays(from, n)
	through := t.known.KnownThrough
	out := Deadline{Date: d.Format("2006-01-02"),
		Basis: "国务院办公厅历年部分节假日安排的通知 (节假日与调休，至 " + through + ")；周六、周日休息"}
	var loaded []string
	for _, y := range t.known.Years {
		if y.Imported && y.Year >= from.Year() && y.Year <= d.Year() {
			loaded = append(loaded, strconv.Itoa(y.Year))
		}
	}
	if len(loaded) > 0 {
		out.Basis += "；" + strings.Join(loaded, "、") + " 年据管理员载入的通知"
	}
	if from.Format("2006-01-02") < workdaysKnownFrom {
		out.Provisional = true
		out.Basis += "；" + workdaysKnownFrom + " 之前不在节假日表中，只计周末和按日期固定的节日"
	}
	if out.Date > through {
		out.Provisional = true
		out.Basis += "；" + through + " 之后尚无通知，只计周末和《全国年节及纪念日放假办法》按日期固定的元旦、劳动节、国庆节，春节、清明、端午、中秋及调休待当年通知"
	}
	return out
}
