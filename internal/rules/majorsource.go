package rules

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
)

// MajorSourceBasis cites the identification and grading method.
const MajorSourceBasis = "GB 18218-2018《危险化学品重大危险源辨识》4.2 (辨识: S = Σq/Q ≥ 1)、4.3 (分级: R = α·Σβq/Q，表3–表6)"

// Chemical is a row of table 1 (named chemicals) or table 2 (hazard categories).
type Chemical struct {
	Key      string   `json:"key"`  // "T1-12" (表1 row) or "T2-W5.1" (表2 symbol)
	Name     string   `json:"name"` // 氯, or the category: 易燃液体 类别1…
	Aliases  []string `json:"aliases,omitempty"`
	CAS      []string `json:"cas,omitempty"`
	Q        float64  `json:"q"`              // 临界量, tonnes
	Beta     float64  `json:"beta"`           // 校正系数 β (0: depends on the hazard category, give it)
	BetaFrom string   `json:"beta_from"`      // 表3, 表4, or "" when a category must be given
	Category string   `json:"category"`       // the table-2 symbol for categories
	Source   string   `json:"source"`         // 表1 第12项, 表2 W5.1
	Note     string   `json:"note,omitempty"` // the seed's note (rows to verify)
}

type gb18218 struct {
	chemicals []Chemical
	byName    map[string]int
	byCAS     map[string]int
	byKey     map[string]int
	ambiguous map[string]bool // short names and CAS shared by several rows (硝化纤维素: six grades)
	alpha     []alphaBand
	grades    []gradeBand
}

type alphaBand struct {
	min, max int // max < 0: no upper bound
	alpha    float64
}

type gradeBand struct {
	grade    string
	min, max float64 // NaN: open
}

var (
	gbOnce sync.Once
	gb     *gb18218
	gbErr  error
)

func num(s string) float64 {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return math.NaN()
	}
	return f
}

func loadGB18218() (*gb18218, error) {
	gbOnce.Do(func() {
		g := &gb18218{byName: map[string]int{}, byCAS: map[string]int{}, byKey: map[string]int{}, ambiguous: map[string]bool{}}
		t3, err := readTable("gb18218_table3_beta_toxic_gas.csv")
		if err != nil {
			gbErr = err
			return
		}
		toxic := map[string]float64{}
		for _, r := range t3 {
			toxic[r["toxic_gas_name_cn"]] = num(r["beta"])
		}
		t1, err := readTable("gb18218_table1.csv")
		if err != nil {
			gbErr = err
			return
		}
		for _, r := range t1 {
			c := Chemical{Key: "T1-" + r["seq"], Name: r["name_cn"], Q: num(r["critical_quantity_t"]),
				Source: "表1 第" + r["seq"] + "项", Note: r["note"]}
			for _, a := range strings.Split(r["alias_cn"], ";") {
				if a = strings.TrimSpace(a); a != "" {
					c.Aliases = append(c.Aliases, a)
				}
			}
			for _, cas := range strings.Split(r["cas_no"], ";") {
				if i := strings.IndexByte(cas, '('); i > 0 {
					cas = cas[:i]
				}
				if cas = strings.TrimSpace(cas); cas != "" {
					c.CAS = append(c.CAS, cas)
				}
			}
			// 表3 names the gas by its base name: 氯化氢 for 表1's 氯化氢(无水).
			for _, n := range append(nameForms(c.Name), c.Aliases...) {
				if b, ok := toxic[n]; ok {
					c.Beta, c.BetaFrom = b, "表3"
				}
			}
			g.add(c)
		}
		t2, err := readTable("gb18218_table2.csv")
		if err != nil {
			gbErr = err
			return
		}
		for _, r := range t2 {
			g.add(Chemical{Key: "T2-" + r["symbol"], Name: r["hazard_class"] + " " + r["category_description"], Q: num(r["critical_quantity_t"]),
				Beta: num(r["beta_table4"]), BetaFrom: "表4", Category: r["symbol"], Source: "表2 " + r["symbol"], Note: r["note"]})
		}
		t5, err := readTable("gb18218_table5_alpha.csv")
		if err != nil {
			gbErr = err
			return
		}
		for _, r := range t5 {
			b := alphaBand{min: int(num(r["population_min"])), max: -1, alpha: num(r["alpha"])}
			if r["population_max"] != "" {
				b.max = int(num(r["population_max"]))
			}
			g.alpha = append(g.alpha, b)
		}
		t6, err := readTable("gb18218_table6_grades.csv")
		if err != nil {
			gbErr = err
			return
		}
		for _, r := range t6 {
			g.grades = append(g.grades, gradeBand{grade: r["grade"], min: num(r["r_min_inclusive"]), max: num(r["r_max_exclusive"])})
		}
		gb = g
	})
	return gb, gbErr
}

func (g *gb18218) add(c Chemical) {
	i := len(g.chemicals)
	g.chemicals = append(g.chemicals, c)
	g.byKey[c.Key] = i
	if c.Category != "" {
		g.byName[c.Category] = i
		return
	}
	for _, n := range append(nameForms(c.Name), c.Aliases...) {
		if j, dup := g.byName[n]; dup && j != i {
			g.ambiguous[n] = true
			delete(g.byName, n)
		} else if !g.ambiguous[n] {
			g.byName[n] = i
		}
	}
	for _, cas := range c.CAS {
		if _, dup := g.byCAS[cas]; dup {
			g.ambiguous[cas] = true
			delete(g.byCAS, cas)
		} else if !g.ambiguous[cas] {
			g.byCAS[cas] = i
		}
	}
}

// nameForms are the ways a table-1 name is written: in full, before its
// parenthesis ("汽油(乙醇汽油、甲醇汽油)" → 汽油) and each of a comma list
// ("甲烷,天然气" → 甲烷, 天然气).
func nameForms(name string) []string {
	out := []string{name}
	base := name
	if i := strings.IndexAny(base, "(（["); i > 0 {
		base = base[:i]
		out = append(out, base)
	}
	if strings.ContainsAny(base, ",，") {
		for _, p := range strings.FieldsFunc(base, func(r rune) bool { return r == ',' || r == '，' }) {
			out = append(out, strings.TrimSpace(p))
		}
	}
	return out
}

// Chemicals lists tables 1 and 2, for pickers.
func Chemicals() ([]Chemical, error) {
	g, err := loadGB18218()
	if err != nil {
		return nil, err
	}
	return g.chemicals, nil
}

// LookupChemical finds a chemical by table-1 name, alias or CAS, by table-2
// symbol (W5.1), or by key (T1-12, T2-W5.1).
func LookupChemical(s string) (Chemical, bool) {
	g, err := loadGB18218()
	if err != nil {
		return Chemical{}, false
	}
	s = strings.TrimSpace(s)
	for _, m := range []map[string]int{g.byKey, g.byName, g.byCAS} {
		if i, ok := m[s]; ok {
			return g.chemicals[i], true
		}
	}
	if i, ok := g.byName[strings.ToUpper(s)]; ok {
		return g.chemicals[i], true
	}
	return Chemical{}, false
}

// Holding is a chemical held in an installation at its design maximum.
type Holding struct {
	Chemical string  `json:"chemical"` // name, alias, CAS, W-symbol or key
	Category string  `json:"category"` // for a table-1 chemical outside 表3: its hazard category (W5.1 …), which sets β by 表4
	Tonnes   float64 `json:"tonnes"`
}

// SourceLine is one holding's part of the sums.
type SourceLine struct {
	Chemical Chemical `json:"chemical"`
	Tonnes   float64  `json:"tonnes"`
	QRatio   float64  `json:"q_ratio"` // q/Q
	Beta     float64  `json:"beta"`
	BetaFrom string   `json:"beta_from"`
}

// MajorSource is the identification and grade of one unit (生产单元/储存单元).
type MajorSource struct {
	Lines  []SourceLine `json:"lines"`
	Sum    float64      `json:"sum"`   // S = Σq/Q
	Major  bool         `json:"major"` // S ≥ 1
	People int          `json:"people"`
	Alpha  float64      `json:"alpha"`
	R      float64      `json:"r"`               // α·Σβq/Q
	Grade  string       `json:"grade,omitempty"` // 一级 … 四级, when major
	Basis  string       `json:"basis"`
}

// round keeps 4 decimals, so 20/5 + 30/10 prints 7, not 6.999….
func round(x float64) float64 { return math.Round(x*1e4) / 1e4 }

// ComputeMajorSource identifies and grades a unit's holdings with people
// exposed outside the plant (常住人口 within 500 m of the boundary). A
// table-1 chemical outside 表3 needs its hazard category for β (表4); a
// holding it cannot place is an error naming it.
func ComputeMajorSource(holdings []Holding, people int) (MajorSource, error) {
	g, err := loadGB18218()
	if err != nil {
		return MajorSource{}, err
	}
	if people < 0 {
		return MajorSource{}, fmt.Errorf("暴露人数不能为负数")
	}
	if len(holdings) == 0 {
		return MajorSource{}, fmt.Errorf("请至少填写一种危险化学品及其最大量")
	}
	res := MajorSource{People: people, Basis: MajorSourceBasis}
	weighted := 0.0
	for i, h := range holdings {
		c, ok := LookupChemical(h.Chemical)
		if !ok && g.ambiguous[strings.TrimSpace(h.Chemical)] {
			return res, fmt.Errorf("第%d项: “%s”在表1中有多项 (不同含量或规格)，请用表1的全称", i+1, h.Chemical)
		}
		if !ok {
			return res, fmt.Errorf("第%d项: “%s”不在GB 18218-2018 表1中，也不是表2的类别代号 (如 W5.1)", i+1, h.Chemical)
		}
		if !(h.Tonnes > 0) || math.IsInf(h.Tonnes, 0) {
			return res, fmt.Errorf("第%d项 %s: 最大量应为正数 (吨)", i+1, c.Name)
		}
		l := SourceLine{Chemical: c, Tonnes: h.Tonnes, QRatio: h.Tonnes / c.Q, Beta: c.Beta, BetaFrom: c.BetaFrom}
		if l.Beta == 0 {
			cat, ok := g.byName[strings.ToUpper(strings.TrimSpace(h.Category))]
			if !ok || g.chemicals[cat].Category == "" {
				return res, fmt.Errorf("第%d项 %s: 不在表3中，请给出其危险性类别 (如 W5.1) 以按表4确定β", i+1, c.Name)
			}
			l.Beta, l.BetaFrom = g.chemicals[cat].Beta, "表4 "+g.chemicals[cat].Category
		}
		res.Lines = append(res.Lines, l)
		res.Sum += l.QRatio
		weighted += l.Beta * l.QRatio
	}
	res.Sum = round(res.Sum)
	res.Major = res.Sum >= 1
	for _, b := range g.alpha {
		if people >= b.min && (b.max < 0 || people <= b.max) {
			res.Alpha = b.alpha
		}
	}
	res.R = round(res.Alpha * weighted)
	if res.Major {
		for _, b := range g.grades {
			if (math.IsNaN(b.min) || res.R >= b.min) && (math.IsNaN(b.max) || res.R < b.max) {
				res.Grade = b.grade
			}
		}
	}
	return res, nil
}
