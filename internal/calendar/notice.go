package calendar

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"anwei/internal/apperr"
)

// A Notice is one year's State Council notice on holidays (国务院办公厅关于
// YYYY年部分节假日安排的通知) as rows date,kind,name: "holiday" a day off in
// one of its ranges (weekends inside included), "workday" a Saturday or
// Sunday it makes a working day (调休). Only ParseNotice makes one, so every
// Notice has passed its checks.
type Notice struct {
	year int
	days []entry // by date
}

// entry is one row of a notice.
type entry struct {
	Date string // YYYY-MM-DD
	Kind string // kindHoliday or kindWorkday
	Name string // the festival: 春节, 国庆节 …
}

// The kinds of a notice's rows.
const (
	kindHoliday = "holiday" // 放假
	kindWorkday = "workday" // 调休上班
)

// MaxNoticeBytes bounds a notice's file: a year has at most 366 rows of
// some 30 bytes, so a larger file is not a notice.
const MaxNoticeBytes = 64 << 10

// noticeHeader is the first row of every notice (and of data/holidays_cn.csv).
var noticeHeader = []string{"date", "kind", "name"}

// maxNameRunes is the longest festival name (春节, 中秋节、国庆节 …).
const maxNameRunes = 20

// maxComplaints is how many wrong rows an error lists before counting the rest.
const maxComplaints = 20

// statutory are the holidays 《全国年节及纪念日放假办法》 fixes by date
// (month-day): every year's notice gives them off (劳动节's second day is
// the law's since its 2024 revision; every notice since 2020 had it off).
var statutory = map[string]string{"01-01": "元旦", "05-01": "劳动节", "05-02": "劳动节", "10-01": "国庆节", "10-02": "国庆节", "10-03": "国庆节"}

// Year is the year the notice arranges.
func (n Notice) Year() int { return n.year }

// Text is the notice as CSV in one spelling (the header, the rows by date,
// LF line ends): what is stored, and what ParseNotice reads back to the
// same notice.
func (n Notice) Text() string {
	var b strings.Builder
	w := csv.NewWriter(&b)
	_ = w.Write(noticeHeader)
	for _, d := range n.days {
		_ = w.Write([]string{d.Date, d.Kind, d.Name})
	}
	w.Flush()
	return b.String()
}

// Info is the notice's year as the holiday table lists it, imported.
func (n Notice) Info() YearInfo {
	return yearInfo(n, true)
}

// ParseNotice reads one year's notice: the header date,kind,name, then one
// row per day. Every row is checked — a valid date (YYYY-MM-DD), all of the
// notice's year (that of most rows; the 元旦 holiday alone may begin
// in the last week of the year before, as the 2023 notice's did on
// 2022-12-31) and not before the built-in table's first, kind holiday or
// workday, a workday only on a Saturday or Sunday (a holiday may fall on a
// weekend: a notice's ranges include them), no date twice, a name of 1 to 20
// characters — and the holidays 《全国年节及纪念日放假办法》 fixes by date
// must be among the holidays. The error names every wrong row by its line
// in the file (the header is 第1行) and its column, in Chinese, as the field
// "file".
func ParseNotice(text []byte) (Notice, error) {
	if len(text) > MaxNoticeBytes {
		return Notice{}, apperr.Field("file", fmt.Sprintf("文件超过 %d KB：一年的节假日安排只有几十行，请检查是否选错了文件", MaxNoticeBytes>>10))
	}
	if !utf8.Valid(text) {
		return Notice{}, apperr.Field("file", "文件不是 UTF-8 编码的文本：请另存为 UTF-8 编码的 CSV")
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(text, []byte("\ufeff"))))
	r.FieldsPerRecord = -1
	head, err := r.Read()
	switch {
	case errors.Is(err, io.EOF):
		return Notice{}, apperr.Field("file", "文件是空的：第1行应为表头 date,kind,name")
	case err != nil:
		return Notice{}, apperr.Field("file", csvProblem(err))
	case !slices.Equal(trimmed(head), noticeHeader):
		return Notice{}, apperr.Field("file", "第1行: 表头应为 date,kind,name (日期,类型,名称)，实为 "+clip(strings.Join(head, ",")))
	}
	var c complaints
	var rows []row
	seen := map[string]int{} // date → line
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			c.add(0, csvProblem(err))
			break
		}
		line, _ := r.FieldPos(0)
		if rw, ok := readRow(&c, line, trimmed(rec), seen); ok {
			rows = append(rows, rw)
		}
	}
	n := Notice{year: yearOf(rows)}
	for _, rw := range rows {
		if rw.day.IsZero() {
			continue
		}
		switch y := rw.day.Year(); {
		case n.year < firstYear:
			c.add(rw.line, fmt.Sprintf("第%d行「日期」%s 早于节假日表的首年 %d 年", rw.line, rw.Date, firstYear))
		case y != n.year && !(y == n.year-1 && rw.Date[5:] >= newYearFrom):
			c.add(rw.line, fmt.Sprintf("第%d行「日期」%s 不在 %d 年：一份通知只含一年的安排 (只有元旦假期可从上一年 12 月下旬开始)", rw.line, rw.Date, n.year))
		}
		n.days = append(n.days, rw.entry)
	}
	if len(rows) == 0 && c.empty() {
		c.add(0, "文件中只有表头，没有节假日安排的行")
	}
	if c.empty() {
		for _, md := range slices.Sorted(maps.Keys(statutory)) {
			date := fmt.Sprintf("%04d-%s", n.year, md)
			if i, ok := n.find(date); !ok || n.days[i].Kind != kindHoliday {
				c.add(0, fmt.Sprintf("缺少 %s (%s) 的放假 (holiday) 行：《全国年节及纪念日放假办法》按日期规定的节日，通知中必然放假，请检查文件是否完整", date, statutory[md]))
			}
		}
	}
	if err := c.err(); err != nil {
		return Notice{}, err
	}
	slices.SortFunc(n.days, func(a, b entry) int { return strings.Compare(a.Date, b.Date) })
	return n, nil
}

// yearOf is the year of most of the rows (the later of two as many): a
// row mistyped into another year is that row's mistake.
func yearOf(rows []row) int {
	count := map[int]int{}
	year := 0
	for _, rw := range rows {
		if rw.day.IsZero() {
			continue
		}
		y := rw.day.Year()
		count[y]++
		if count[y] > count[year] || (count[y] == count[year] && y > year) {
			year = y
		}
	}
	return year
}

// newYearFrom is the first day (month-day) of the year before a notice's
// on which its 元旦 holiday may begin.
const newYearFrom = "12-25"

// row is a row read, at line of the file; day is its date, zero when the
// date is invalid.
type row struct {
	entry
	line int
	day  time.Time
}

// readRow checks what of one row (at line of the file) needs no other row,
// and notes what is wrong in c.
func readRow(c *complaints, line int, f []string, seen map[string]int) (row, bool) {
	at := fmt.Sprintf("第%d行", line)
	if len(f) != 3 {
		c.add(line, fmt.Sprintf("%s: 应有 3 列 (date,kind,name)，实有 %d 列", at, len(f)))
		return row{}, false
	}
	rw := row{entry: entry{Date: f[0], Kind: f[1], Name: f[2]}, line: line}
	ok := true
	bad := func(col, msg string) {
		c.add(line, at+"「"+col+"」"+msg)
		ok = false
	}
	day, err := time.Parse("2006-01-02", rw.Date)
	if err != nil {
		bad("日期", fmt.Sprintf("“%s”无效，应为 YYYY-MM-DD (如 2027-01-01)", clip(rw.Date)))
	} else if first, dup := seen[rw.Date]; dup {
		bad("日期", fmt.Sprintf("%s 与第%d行重复", rw.Date, first))
	} else {
		seen[rw.Date], rw.day = line, day
	}
	switch rw.Kind {
	case kindHoliday:
	case kindWorkday:
		if err == nil && day.Weekday() != time.Saturday && day.Weekday() != time.Sunday {
			bad("类型", fmt.Sprintf("%s 是%s，调休上班日 (workday) 只能是星期六或星期日", rw.Date, weekdayNames[day.Weekday()]))
		}
	default:
		bad("类型", fmt.Sprintf("“%s”无效，应为 holiday (放假) 或 workday (调休上班)", clip(rw.Kind)))
	}
	switch {
	case rw.Name == "":
		bad("名称", "不能为空，应为节日名称 (如 春节)")
	case utf8.RuneCountInString(rw.Name) > maxNameRunes:
		bad("名称", fmt.Sprintf("超过 %d 个字", maxNameRunes))
	case strings.IndexFunc(rw.Name, unicode.IsControl) >= 0:
		bad("名称", "含有控制字符")
	}
	return rw, ok
}

// find is the index of date among the notice's days.
func (n Notice) find(date string) (int, bool) {
	for i, d := range n.days {
		if d.Date == date {
			return i, true
		}
	}
	return 0, false
}

var weekdayNames = [...]string{"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"}

// complaints are a file's wrong rows, told at once in the order of their
// lines (up to maxComplaints; what concerns the whole file last).
type complaints struct {
	list []complaint
}

type complaint struct {
	line int // 0: the whole file
	msg  string
}

func (c *complaints) add(line int, msg string) { c.list = append(c.list, complaint{line, msg}) }

func (c *complaints) empty() bool { return len(c.list) == 0 }

func (c *complaints) err() error {
	slices.SortStableFunc(c.list, func(a, b complaint) int {
		return cmp.Compare(cmp.Or(a.line, math.MaxInt), cmp.Or(b.line, math.MaxInt))
	})
	var ch apperr.Checks
	for i, m := range c.list {
		if i == maxComplaints {
			ch.Add("file", fmt.Sprintf("另有 %d 处有误，未逐一列出", len(c.list)-i))
			break
		}
		ch.Add("file", m.msg)
	}
	return ch.Err()
}

// csvProblem is a malformed CSV's error, in Chinese, with its line.
func csvProblem(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Sprintf("第%d行: CSV 格式有误 (引号不成对或多余)", pe.Line)
	}
	return "文件无法按 CSV 读取"
}

// trimmed is rec with each field's surrounding spaces removed.
func trimmed(rec []string) []string {
	out := make([]string, len(rec))
	for i, f := range rec {
		out[i] = strings.TrimSpace(f)
	}
	return out
}

// clip shortens a quoted value in a message, and shows a control
// character or a byte that is not UTF-8 as "?" (a message carries no NUL).
func clip(s string) string {
	r := []rune(s)
	for i, c := range r {
		if unicode.IsControl(c) || c == utf8.RuneError {
			r[i] = '?'
		}
	}
	if len(r) > 20 {
		return string(r[:20]) + "…"
	}
	return string(r)
}
