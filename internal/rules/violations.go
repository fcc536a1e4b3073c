package rules

import (
	"strconv"
	"sync"
)

// Violation is a 违法行为 of a 生产经营单位 that 安全生产法 (2021) fines
// (Art. 97–109; REGULATIONS.md §2.4), its text verbatim: what an
// inspection's finding cites, and what a penalty is decided on.
type Violation struct {
	Key     string `json:"key"`     // a97-1: article and item
	Article string `json:"article"` // 第九十七条
	Item    string `json:"item"`    // 第一项, "" when the article lists none
	Text    string `json:"text"`
	// Fine is the unit's fine and Person that of its 直接负责的主管人员和
	// 其他直接责任人员 on the first decision; Overdue and OverduePerson when
	// it is not corrected in time (逾期未改正, 拒不执行, 拒不改正). A zero
	// range: the law sets none for that step.
	Fine          Range  `json:"fine"`
	Person        Range  `json:"person"`
	Overdue       Range  `json:"overdue"`
	OverduePerson Range  `json:"overdue_person"`
	Order         string `json:"order"`   // 责令限期改正 …
	Measure       string `json:"measure"` // what follows when not corrected
}

// Range is a fine in yuan; Min 0 with Max set is "Max 元以下".
type Range struct {
	Min int `json:"min"`
	Max int `json:"max"`
}

// Basis is the citation: 《中华人民共和国安全生产法》第九十七条第一项.
func (v Violation) Basis() string {
	return "《中华人民共和国安全生产法》" + v.Article + v.Item
}

var (
	violOnce sync.Once
	viols    []Violation
	violErr  error
)

// Violations is the table, in the law's order.
func Violations() ([]Violation, error) {
	violOnce.Do(func() {
		rows, err := readTable("safety_law_violations.csv")
		if err != nil {
			violErr = err
			return
		}
		num := func(r map[string]string, k string) int {
			n, err := strconv.Atoi(r[k])
			if err != nil && violErr == nil {
				violErr = err
			}
			return n
		}
		for _, r := range rows {
			viols = append(viols, Violation{Key: r["key"], Article: r["article"], Item: r["item"], Text: r["text"],
				Fine: Range{num(r, "fine_min"), num(r, "fine_max")}, Person: Range{num(r, "person_min"), num(r, "person_max")},
				Overdue: Range{num(r, "overdue_min"), num(r, "overdue_max")}, OverduePerson: Range{num(r, "overdue_person_min"), num(r, "overdue_person_max")},
				Order: r["order"], Measure: r["overdue"]})
		}
	})
	return viols, violErr
}

// ViolationOf is the violation of a key.
func ViolationOf(key string) (Violation, bool) {
	vs, err := Violations()
	if err != nil {
		return Violation{}, false
	}
	for _, v := range vs {
		if v.Key == key {
			return v, true
		}
	}
	return Violation{}, false
}

// Words is a fine as the law writes it: 处十万元以下的罚款, 处十万元以上
// 五十万元以下的罚款 ("" for none).
func (r Range) Words() string {
	switch {
	case r.Max == 0:
		return ""
	case r.Min == 0:
		return "处" + yuan(r.Max) + "以下的罚款"
	}
	return "处" + yuan(r.Min) + "以上" + yuan(r.Max) + "以下的罚款"
}

// yuan writes a whole number of 万元 (or 元) in Chinese numerals, as the
// law does: 五万元, 十万元, 二十万元, 一百万元.
func yuan(n int) string {
	if n%10000 != 0 {
		return strconv.Itoa(n) + "元"
	}
	return chineseNumber(n/10000) + "万元"
}

func chineseNumber(n int) string {
	digits := []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	switch {
	case n < 10:
		return digits[n]
	case n < 20:
		return "十" + map[bool]string{true: "", false: digits[n%10]}[n%10 == 0]
	case n < 100:
		s := digits[n/10] + "十"
		if n%10 != 0 {
			s += digits[n%10]
		}
		return s
	case n < 1000:
		s := digits[n/100] + "百"
		switch r := n % 100; {
		case r == 0:
		case r < 10:
			s += "零" + digits[r]
		case r < 20:
			s += "一" + chineseNumber(r) // 一百一十
		default:
			s += chineseNumber(r)
		}
		return s
	case n < 10000 && n%1000 == 0: // 一千, 二千 (万元): the law's round thousands
		return digits[n/1000] + "千"
	}
	return strconv.Itoa(n)
}
