package plan

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// periods maps the words of a frequency to the contract's period names.
var periods = []struct{ word, period string }{
	{"两年", "two-years"}, {"半年", "half-year"}, {"季度", "quarter"}, {"半月", "half-month"},
	{"年度", "year"}, {"年", "year"}, {"季", "quarter"}, {"月", "month"}, {"周", "week"}, {"日", "day"}, {"天", "day"},
}

var (
	reEvery    = regexp.MustCompile(`每(两年|半年|季度|半月|年度|年|季|月|周|日|天)[^,。;、:]*`)
	reHalfMon  = regexp.MustCompile(`[、,]半月[^,。;、]*`)
	reListMon  = regexp.MustCompile(`[、,]月(?:底|末)[^,。;、前]*`)
	reTimes    = regexp.MustCompile(`(?:至少|不少于)?(\d+|一|二|两|三|四)次`)
	reMonthEnd = regexp.MustCompile(`(\d{1,2})月(?:底|末)前`)
	reFullDate = regexp.MustCompile(`(\d{4})年(\d{1,2})月(\d{1,2})日(?:前|之前)`)
	reMonthDay = regexp.MustCompile(`(?:^|[^年\d])(\d{1,2})月(\d{1,2})日(?:前|之前)`)
	reYearEnd  = regexp.MustCompile(`(?:^|[^近今明当每])(年内|年底前|年末前)`)
	reByYear   = regexp.MustCompile(`到(\d{4})年底?|(\d{4})年底前`)
)

var cnNum = map[string]int{"一": 1, "二": 2, "两": 2, "三": 3, "四": 4}

// obligationsOf finds the frequencies and deadlines an item states. Each
// distinct cue counts once.
func obligationsOf(text string, year int) []Obligation {
	out := []Obligation{}
	seen := map[string]bool{}
	add := func(o Obligation) {
		key := o.Kind + o.Cue
		if !seen[key] {
			seen[key] = true
			out = append(out, o)
		}
	}
	for _, cue := range reEvery.FindAllString(text, -1) {
		word := strings.TrimPrefix(cue, "每")
		o := Obligation{Kind: "recurring", Cue: cue}
		for _, p := range periods {
			if strings.HasPrefix(word, p.word) {
				o.Period = p.period
				break
			}
		}
		if strings.HasPrefix(word, "年度") && !strings.Contains(cue, "次") {
			continue // 每年度 as an adjective ("每年度考核") states no duty on its own
		}
		if m := reTimes.FindStringSubmatch(cue); m != nil {
			n, err := strconv.Atoi(m[1])
			if err != nil {
				n = cnNum[m[1]]
			}
			o.Times = &n
		}
		add(o)
	}
	for _, cue := range reHalfMon.FindAllString(text, -1) {
		add(Obligation{Kind: "recurring", Period: "half-month", Cue: strings.TrimLeft(cue, "、,")})
	}
	// a list of duties continuing a frequency: "每日编发简报、半月分析数据、月底总结报告"
	for _, cue := range reListMon.FindAllString(text, -1) {
		add(Obligation{Kind: "recurring", Period: "month", Cue: strings.TrimLeft(cue, "、,")})
	}
	if year > 0 {
		for _, m := range reMonthEnd.FindAllStringSubmatch(text, -1) {
			mo, _ := strconv.Atoi(m[1])
			if mo >= 1 && mo <= 12 {
				last := time.Date(year, time.Month(mo)+1, 0, 0, 0, 0, 0, time.UTC)
				add(Obligation{Kind: "deadline", Due: last.Format("2006-01-02"), Cue: m[0]})
			}
		}
		for _, m := range reMonthDay.FindAllStringSubmatch(text, -1) {
			if due, ok := validDate(year, m[1], m[2]); ok {
				add(Obligation{Kind: "deadline", Due: due, Cue: strings.TrimLeft(m[0], "0123456789")})
			}
		}
		for _, m := range reYearEnd.FindAllStringSubmatch(text, -1) {
			add(Obligation{Kind: "deadline", Due: fmt.Sprintf("%d-12-31", year), Cue: m[1]})
		}
	}
	for _, m := range reFullDate.FindAllStringSubmatch(text, -1) {
		y, _ := strconv.Atoi(m[1])
		if due, ok := validDate(y, m[2], m[3]); ok {
			add(Obligation{Kind: "deadline", Due: due, Cue: m[0]})
		}
	}
	for _, m := range reByYear.FindAllStringSubmatch(text, -1) {
		y := m[1] + m[2]
		add(Obligation{Kind: "deadline", Due: y + "-12-31", Cue: m[0]})
	}
	return out
}

// validDate formats year, month and day, if they make a real date.
func validDate(year int, month, day string) (string, bool) {
	mo, err1 := strconv.Atoi(month)
	d, err2 := strconv.Atoi(day)
	if err1 != nil || err2 != nil || mo < 1 || mo > 12 || d < 1 {
		return "", false
	}
	t := time.Date(year, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
	if t.Month() != time.Month(mo) {
		return "", false
	}
	return t.Format("2006-01-02"), true
}

// garbledDate reads digits whose 年/月 were lost in copying ("2023625" or,
// with year given, "1225"): it returns the date when exactly one split into
// month and day is valid.
func garbledDate(digits string, year int) (string, bool) {
	if len(digits) > 4 {
		y, err := strconv.Atoi(digits[:4])
		if err != nil {
			return "", false
		}
		year, digits = y, digits[4:]
	}
	var found []string
	for i := 1; i < len(digits); i++ {
		if due, ok := validDate(year, digits[:i], digits[i:]); ok && len(digits[i:]) <= 2 {
			found = append(found, due)
		}
	}
	if len(found) == 1 {
		return found[0], true
	}
	return "", false
}
