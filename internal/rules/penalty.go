package rules

import (
	"fmt"
	"math"
	"strings"
	"time"

	"anwei/internal/apperr"
)

// PenaltyInput is what the penalty calculator is asked (anwei rules
// penalty; the case pages of enforcement part 3 ask the same).
type PenaltyInput struct {
	Article     int     `json:"article"`               // 安全生产法 (2021) article: 94, 95, 97–109, 112, 114
	Grade       string  `json:"grade,omitempty"`       // 一般|较大|重大|特别重大: Art. 95, 114
	Aggravated  bool    `json:"aggravated,omitempty"`  // Art. 114 second paragraph: 情节特别严重、影响特别恶劣
	Income      float64 `json:"income,omitempty"`      // Art. 95: the principal's 上一年年收入, yuan
	Uncorrected bool    `json:"uncorrected,omitempty"` // Art. 94, 97–109: 逾期未改正 (拒不改正, 拒不执行)
	Fine        float64 `json:"fine,omitempty"`        // Art. 112: the original fine, yuan
	Ordered     string  `json:"ordered,omitempty"`     // Art. 112: the day the correction was ordered, YYYY-MM-DD
	Until       string  `json:"until,omitempty"`       // Art. 112: the last day counted, YYYY-MM-DD
}

// Penalty is a fine the law allows, both ends included (a fine of exactly
// Max is lawful), in yuan, with its citation.
type Penalty struct {
	Article string  `json:"article"` // 第一百一十四条
	Min     float64 `json:"min"`
	Max     float64 `json:"max"`
	// Days is Art. 112's count: from the day after the order to Until,
	// both counted.
	Days *int `json:"days,omitempty"`
	// PersonMin and PersonMax are the fine of the 直接负责的主管人员和其他
	// 直接责任人员 where the article sets one (Art. 97–109).
	PersonMin *float64 `json:"person_min,omitempty"`
	PersonMax *float64 `json:"person_max,omitempty"`
	Basis     string   `json:"basis"` // 《中华人民共和国安全生产法》第一百一十四条第一款第（一）项
	Text      string   `json:"text"`  // what the law says, in short
	Note      string   `json:"note,omitempty"`
}

// Grades of an accident (生产安全事故报告和调查处理条例 Art. 3).
var Grades = []string{"一般", "较大", "重大", "特别重大"}

// art114 are Art. 114's unit fines by grade, yuan (REGULATIONS.md §2.1 [A]).
var art114 = map[string][2]float64{"一般": {300000, 1000000}, "较大": {1000000, 2000000}, "重大": {2000000, 10000000}, "特别重大": {10000000, 20000000}}

// art95 are Art. 95's shares of the principal's last year's income by grade.
var art95 = map[string]float64{"一般": 0.4, "较大": 0.6, "重大": 0.8, "特别重大": 1.0}

const safetyLaw = "《中华人民共和国安全生产法》"

// CalcPenalty computes the fine an article allows for the input, or a
// Chinese error naming what is missing or wrong (apperr.Invalid, with the
// input's field).
func CalcPenalty(in PenaltyInput) (Penalty, error) {
	art := "第" + chineseNumber(in.Article) + "条"
	p := Penalty{Article: art}
	item := func(n int) string { return "第（" + chineseNumber(n) + "）项" }
	grade := func() (int, error) {
		for i, g := range Grades {
			if g == in.Grade {
				return i + 1, nil
			}
		}
		return 0, apperr.Field("grade", "请给出事故等级 --grade 一般、较大、重大或特别重大")
	}
	switch in.Article {
	case 114:
		n, err := grade()
		if err != nil {
			return p, err
		}
		r := art114[in.Grade]
		p.Min, p.Max = r[0], r[1]
		p.Basis = safetyLaw + art + "第一款" + item(n)
		p.Text = "发生" + in.Grade + "事故的，对负有责任的生产经营单位处" + wan(r[0]) + "以上" + wan(r[1]) + "以下的罚款"
		if in.Aggravated {
			p.Min, p.Max = 2*r[0], 5*r[1]
			p.Basis = safetyLaw + art + "第一款" + item(n) + "、第二款"
			p.Text += "；情节特别严重、影响特别恶劣的，按照前款罚款数额的二倍以上五倍以下对负有责任的生产经营单位处以罚款"
		}
		return p, nil
	case 95:
		n, err := grade()
		if err != nil {
			return p, err
		}
		if in.Income <= 0 || math.IsInf(in.Income, 0) || math.IsNaN(in.Income) {
			return p, apperr.Field("income", "请给出主要负责人上一年年收入 --income (元，大于 0)")
		}
		share := art95[in.Grade]
		p.Min = cents(in.Income * share)
		p.Max = p.Min
		p.Basis = safetyLaw + art + item(n)
		p.Text = fmt.Sprintf("生产经营单位的主要负责人未履行安全生产管理职责，导致发生%s事故的，由应急管理部门处上一年年收入百分之%s的罚款",
			in.Grade, chineseNumber(int(share*100)))
		return p, nil
	case 112:
		if in.Fine <= 0 || math.IsInf(in.Fine, 0) || math.IsNaN(in.Fine) {
			return p, apperr.Field("fine", "请给出原处罚数额 --fine (元，大于 0)")
		}
		from, err := time.Parse("2006-01-02", in.Ordered)
		if err != nil {
			return p, apperr.Field("ordered", "请给出作出责令改正的日期 --ordered YYYY-MM-DD")
		}
		to, err := time.Parse("2006-01-02", in.Until)
		if err != nil {
			return p, apperr.Field("until", "请给出计至的日期 --until YYYY-MM-DD (计入的最后一天)")
		}
		if to.Before(from) {
			return p, apperr.Field("until", fmt.Sprintf("计至日期 %s 早于责令改正之日 %s", in.Until, in.Ordered))
		}
		days := int(to.Sub(from).Hours()/24 + 0.5) // calendar days: the day after the order to Until, both counted
		p.Days = &days
		p.Min = cents(in.Fine * float64(days))
		p.Max = p.Min
		p.Basis = safetyLaw + art
		p.Text = "生产经营单位违反本法规定，被责令改正且受到罚款处罚，拒不改正的，负有安全生产监督管理职责的部门可以自作出责令改正之日的次日起，按照原处罚数额按日连续处罚"
		p.Note = "计至哪一天 (复查认定已改正之日或其前一日) 法律未明定 [U]，由 --until 给出计入的最后一天"
		return p, nil
	case 94:
		p.Basis = safetyLaw + art + "第一款"
		p.Min, p.Max = 20000, 50000
		p.Text = "生产经营单位的主要负责人未履行本法规定的安全生产管理职责的，责令限期改正，处二万元以上五万元以下的罚款"
		if in.Uncorrected {
			p.Min, p.Max = 50000, 100000
			p.Text = "逾期未改正的，处五万元以上十万元以下的罚款，责令生产经营单位停产停业整顿"
		}
		return p, nil
	}
	// The common violations (Art. 97–109): the table's ranges, the same
	// for every item of an article.
	vs, err := Violations()
	if err != nil {
		return p, err
	}
	for _, v := range vs {
		if v.Article != art {
			continue
		}
		unit, person, words := v.Fine, v.Person, v.Order+"，"+v.Fine.Words()
		if in.Uncorrected {
			unit, person, words = v.Overdue, v.OverduePerson, v.Measure
			if w := v.Overdue.Words(); w != "" {
				words += "，" + w
			}
		}
		p.Min, p.Max = float64(unit.Min), float64(unit.Max)
		if person.Max > 0 {
			pmin, pmax := float64(person.Min), float64(person.Max)
			p.PersonMin, p.PersonMax = &pmin, &pmax
		}
		p.Basis = safetyLaw + art
		p.Text = strings.Trim(words, "，")
		if unit.Max == 0 {
			p.Note = "该条对此情形未规定单位罚款"
		}
		return p, nil
	}
	return p, apperr.Field("article", fmt.Sprintf("计算器没有第 %d 条 (有: 94、95、97–102、104、105、108、109、112、114)", in.Article))
}

// cents rounds an amount in yuan to the fen.
func cents(y float64) float64 { return math.Round(y*100) / 100 }

// wan writes yuan as the law does: 三十万元, 一千万元.
func wan(y float64) string { return yuan(int(y)) }

// ArticleName writes an article number as the law does: 第一百一十二条.
func ArticleName(n int) string { return "第" + chineseNumber(n) + "条" }
