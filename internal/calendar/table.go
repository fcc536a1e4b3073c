package calendar

import (
	_ "embed"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync/atomic"
)

// The State Council's holidays and 调休 working days of the years before
// anwei could load a notice (data/SOURCE.md), one notice a year.
//
//go:embed data/holidays_cn.csv
var holidaysCSV string

// firstYear is the first year of the built-in table: no notice of an
// earlier year is loaded.
const firstYear = 2020

// builtin are the built-in table's notices by year, each checked as an
// imported one is (ParseNotice): a row that would be refused in a file is
// a panic at start.
var builtin = builtinNotices(holidaysCSV)

// builtinNotices splits the table into its years' notices: a row belongs
// to its date's year, but a 元旦 holiday in the last week of December to
// the next year's notice (the 2023 notice's 2022-12-31).
func builtinNotices(text string) map[int]Notice {
	lines := map[int][]string{}
	for _, line := range strings.Split(strings.TrimSpace(text), "\n")[1:] {
		line = strings.TrimSpace(line)
		var y int
		if _, err := fmt.Sscanf(line, "%4d-", &y); err != nil {
			panic("calendar: data/holidays_cn.csv: " + line)
		}
		if line[5:10] >= newYearFrom && strings.HasSuffix(line, ",元旦") {
			y++
		}
		lines[y] = append(lines[y], line)
	}
	out := map[int]Notice{}
	for y, ls := range lines {
		n, err := ParseNotice([]byte(strings.Join(noticeHeader, ",") + "\n" + strings.Join(ls, "\n") + "\n"))
		if err != nil || n.Year() != y {
			panic(fmt.Sprintf("calendar: data/holidays_cn.csv, %d: %v", y, err))
		}
		out[y] = n
	}
	return out
}

// YearInfo is one year of the holiday table, for the page that lists it.
type YearInfo struct {
	Year     int    `json:"year"`
	Source   string `json:"source"`   // 内置 (data/holidays_cn.csv) or 导入 (a loaded notice)
	Imported bool   `json:"imported"` // Source is 导入
	Holidays int    `json:"holidays"` // days off in its ranges, weekends included
	Workdays int    `json:"workdays"` // weekend days worked (调休)
}

func yearInfo(n Notice, imported bool) YearInfo {
	in := YearInfo{Year: n.year, Source: "内置", Imported: imported}
	if imported {
		in.Source = "导入"
	}
	for _, d := range n.days {
		if d.Kind == kindHoliday {
			in.Holidays++
		} else {
			in.Workdays++
		}
	}
	return in
}

// Known is what the holiday table holds: its years, and the last day up
// to which every year is known (the end of the last of the consecutive
// years from the first).
type Known struct {
	KnownThrough string     `json:"known_through"`
	Years        []YearInfo `json:"years"`
}

// RunsOut says, from today (YYYY-MM-DD), whether the known years end
// within 60 days or have ended (HolidaysRunOut).
func (k Known) RunsOut(today string) bool {
	return today > addDays(k.KnownThrough, -60)
}

// table is the holiday table in use: the built-in notices with the loaded
// ones in place of their years'. It is never changed once built; Load
// builds a new one.
type table struct {
	kind  map[string]string // date → kindHoliday or kindWorkday
	years map[int]bool      // the years whose notice is in
	known Known
}

// current is the table the working days are counted by.
var current atomic.Pointer[table]

func init() { Load() }

// Load makes the table the built-in notices with notices in place of their
// years' (the 2027 notice loaded the day it is published; a loaded year
// replaces the built-in rows of that year entirely; of two notices of one
// year the last counts), and returns what it now holds. It replaces what
// an earlier Load loaded, at once: a count running meanwhile counts by the
// table it started with. The deployment's stored notices are loaded by
// org.Service.LoadHolidays, at start and every few minutes.
func Load(notices ...Notice) Known {
	byYear := maps.Clone(builtin)
	imported := map[int]bool{}
	for _, n := range notices {
		if n.year != 0 { // the zero Notice, which ParseNotice never gives
			byYear[n.year], imported[n.year] = n, true
		}
	}
	t := &table{kind: map[string]string{}, years: map[int]bool{}}
	for _, y := range slices.Sorted(maps.Keys(byYear)) { // a later year's 元旦 row over an earlier's
		t.years[y] = true
		for _, d := range byYear[y].days {
			t.kind[d.Date] = d.Kind
		}
		t.known.Years = append(t.known.Years, yearInfo(byYear[y], imported[y]))
	}
	last := firstYear - 1
	for t.years[last+1] {
		last++
	}
	t.known.KnownThrough = fmt.Sprintf("%04d-12-31", last)
	current.Store(t)
	return t.known
}

// Years are the years of the holiday table, in order.
func Years() []YearInfo { return slices.Clone(current.Load().known.Years) }

// KnownThrough is the last day up to which every day's kind is known: the
// end of the last of the consecutive years with a notice from the first
// (2020). Beyond it only weekends and the holidays fixed by date are days
// off.
func KnownThrough() string { return current.Load().known.KnownThrough }

// YearKnown reports whether a year's State Council notice is in the
// holiday table (its working days are then exact).
func YearKnown(year int) bool { return current.Load().years[year] }
