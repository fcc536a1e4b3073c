package enforce

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"anwei/internal/apperr"
	"anwei/internal/enterprise"
	"anwei/internal/rules"
)

// A year's cases kept in a spreadsheet before anwei, imported as history
// (for moving off the sheet): each row a decided case, with the columns of
// the 行政处罚台账 the department exports, so an exported ledger reads back.

// CaseSheetHeader are the import's columns; the first four and 立案日期,
// 决定日期 must be there.
var CaseSheetHeader = []string{"案件编号", "当事人", "统一社会信用代码", "案件来源", "处罚条款", "事故等级", "违法事实", "承办人",
	"立案日期", "决定日期", "决定书文号", "处罚决定", "罚款 (元)", "送达日期", "缴纳日期", "缴纳金额 (元)", "结案日期"}

// caseSheetRequired are the columns a sheet must have.
var caseSheetRequired = []string{"案件编号", "当事人", "处罚条款", "违法事实", "立案日期", "决定日期"}

// CaseRow is a row as read, checked on its own (the party and the numbers
// already on file are checked against the database).
type CaseRow struct {
	Line       int
	Number     string
	Party      string
	CreditCode string
	Source     string // a CaseSources key (not daily)
	Article    int
	Grade      string
	Facts      string
	Officers   string // names, as written
	FiledOn    string
	DecidedOn  string
	DecisionNo string
	Waived     bool
	FineFen    int64
	ServedOn   string
	PaidOn     string
	PaidFen    int64
	ClosedOn   string
}

var articleDigits = regexp.MustCompile(`^\d{2,3}$`)

// ParseCaseRow reads a row of the import by its header's columns (at) as
// of today: the row, or every reason it is refused, in Chinese, each
// naming its column.
func ParseCaseRow(at map[string]int, line int, raw []string, today string) (CaseRow, []string) {
	cell := func(name string) string {
		i, ok := at[name]
		if !ok || i >= len(raw) {
			return ""
		}
		return strings.TrimSpace(raw[i])
	}
	var bad []string
	say := func(col, what string) { bad = append(bad, col+": "+what) }
	c := CaseRow{Line: line, Number: cell("案件编号"), Party: cell("当事人"), CreditCode: strings.ToUpper(cell("统一社会信用代码")), Grade: cell("事故等级"),
		Facts: cell("违法事实"), Officers: cell("承办人"), DecisionNo: cell("决定书文号")}
	for _, f := range []struct {
		col, v string
		max    int
	}{{"案件编号", c.Number, 100}, {"当事人", c.Party, 200}, {"违法事实", c.Facts, 4000}, {"承办人", c.Officers, 200}, {"决定书文号", c.DecisionNo, 100}} {
		if n := len([]rune(f.v)); n > f.max {
			say(f.col, fmt.Sprintf("不超过 %d 字 (本行 %d 字)", f.max, n))
		}
	}
	if c.Number == "" {
		say("案件编号", "请填写")
	}
	if c.Party == "" && c.CreditCode == "" {
		say("当事人", "请填写当事人名称或统一社会信用代码")
	}
	if c.Facts == "" {
		say("违法事实", "请填写")
	}
	switch src := cell("案件来源"); {
	case src == "":
		c.Source = "inspection"
	default:
		for _, ch := range CaseSources {
			if ch.Key != "daily" && (src == ch.Name || src == ch.Key || strings.HasPrefix(src, ch.Name)) {
				c.Source = ch.Key
			}
		}
		if c.Source == "" {
			say("案件来源", quoted(src)+"须为执法检查发现、举报或事故调查")
		}
	}
	art := cell("处罚条款")
	switch {
	case articleDigits.MatchString(art):
		c.Article, _ = strconv.Atoi(art)
	case art != "":
		c.Article = articleNumber(strings.TrimPrefix(art, safetyLawName))
	}
	if c.Grade != "" && !slices.Contains(rules.Grades, c.Grade) {
		say("事故等级", "须为一般、较大、重大或特别重大")
	}
	var law rules.Penalty
	if c.Article == 0 {
		say("处罚条款", quoted(art)+"须为安全生产法的条款，如 第九十九条 或 99")
	} else if c.Article != 112 && c.Article != 95 {
		var err error
		if law, err = rules.CalcPenalty(rules.PenaltyInput{Article: c.Article, Grade: c.Grade, Uncorrected: true}); err != nil {
			say("处罚条款", rules.ArticleName(c.Article)+": "+apperr.As(err).Message)
		} else if first, err := rules.CalcPenalty(rules.PenaltyInput{Article: c.Article, Grade: c.Grade}); err == nil {
			law.Min = min(law.Min, first.Min) // the first finding's range or the 逾期未改正 one: either may have been decided
		}
	}
	date := func(col string, required bool) string {
		v := cell(col)
		if v == "" {
			if required {
				say(col, "请填写")
			}
			return ""
		}
		d, err := enterprise.ParseDate(v)
		switch {
		case err != nil:
			say(col, quoted(v)+err.Error())
		case d > today:
			say(col, d+" 晚于今天")
		}
		return d
	}
	c.FiledOn, c.DecidedOn = date("立案日期", true), date("决定日期", true)
	c.ServedOn, c.PaidOn, c.ClosedOn = date("送达日期", false), date("缴纳日期", false), date("结案日期", false)
	order := []struct{ col, v string }{{"立案日期", c.FiledOn}, {"决定日期", c.DecidedOn}, {"送达日期", c.ServedOn}, {"缴纳日期", c.PaidOn}}
	for i := 1; i < len(order); i++ {
		if order[i].v != "" && order[i-1].v != "" && order[i].v < order[i-1].v {
			say(order[i].col, order[i].v+" 早于"+order[i-1].col+" "+order[i-1].v)
		}
	}
	if c.ClosedOn != "" && c.DecidedOn != "" && c.ClosedOn < c.DecidedOn {
		say("结案日期", c.ClosedOn+" 早于决定日期 "+c.DecidedOn)
	}
	if c.PaidOn != "" && c.ServedOn == "" {
		say("送达日期", "已缴纳的案件请填写送达日期")
	}
	money := func(col string) (int64, bool) {
		v := strings.ReplaceAll(cell(col), ",", "")
		if v == "" {
			return 0, false
		}
		y, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(y) || math.IsInf(y, 0) || y < 0 || y > 1e10 {
			say(col, quoted(cell(col))+"须为不小于 0 的金额")
			return 0, false
		}
		return fenOf(y), true
	}
	switch d := cell("处罚决定"); {
	case strings.Contains(d, "不予"):
		c.Waived = true
	case d != "" && !strings.Contains(d, "罚款"):
		say("处罚决定", quoted(d)+"须为罚款或不予行政处罚")
	}
	fine, given := money("罚款 (元)")
	switch {
	case c.Waived:
		if fine != 0 {
			say("罚款 (元)", "不予行政处罚的案件没有罚款")
		}
	case !given:
		say("罚款 (元)", "请填写")
	case law.Article != "" && (yuanOf(fine) < law.Min || yuanOf(fine) > law.Max):
		say("罚款 (元)", fmt.Sprintf("%.2f 超出%s的法定幅度 %.0f–%.0f 元", yuanOf(fine), law.Article, law.Min, law.Max))
	}
	c.FineFen = fine
	if c.PaidOn != "" {
		paid, given := money("缴纳金额 (元)")
		if !given || paid < c.FineFen {
			say("缴纳金额 (元)", fmt.Sprintf("已缴纳的，缴纳金额须不少于罚款 %.2f 元", yuanOf(c.FineFen)))
		}
		c.PaidFen = paid
	}
	if c.Waived && c.PaidOn != "" {
		say("缴纳日期", "不予行政处罚的案件没有缴纳")
	}
	return c, bad
}

// quoted shows a cell's value in a reason: in 「」, without control
// characters, at most 40 characters.
func quoted(v string) string {
	v = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, v)
	if r := []rune(v); len(r) > 40 {
		v = string(r[:40]) + "…"
	}
	return "「" + v + "」"
}

// state is the state an imported case is in.
func (c CaseRow) state() string {
	switch {
	case c.ClosedOn != "":
		return CaseClosed
	case c.PaidOn != "":
		return CasePaid
	case c.ServedOn != "":
		return CaseServed
	}
	return CaseDecided
}

const safetyLawName = "《中华人民共和国安全生产法》"
