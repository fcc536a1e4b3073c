package rules

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"sync"
)

// Risk grading for 双重预防 (安委办〔2016〕11号: four levels 重大/较大/一般/低
// shown 红/橙/黄/蓝). The numeric bands are not national; they follow the
// chosen method, are kept as data (risk_bands.csv) and can be replaced.

// LECBasis and LSBasis cite the methods.
const (
	LECBasis = "作业条件危险性评价法 (LEC): D = L×E×C；分级见 安委办〔2016〕11号 四色分级 (数值分界为通行做法，可配置)"
	LSBasis  = "风险矩阵法 (LS): R = L×S，L、S ∈ 1–5；分级见 安委办〔2016〕11号 四色分级 (数值分界为通行做法，可配置)"
)

// Band maps a value range (Min exclusive, Max inclusive; NaN = open) to a level.
type Band struct {
	Level   string  `json:"level"`
	Colour  string  `json:"colour"`
	Min     float64 `json:"min_exclusive"`
	Max     float64 `json:"max_inclusive"`
	Meaning string  `json:"meaning"`
}

// RiskGrade is a graded risk.
type RiskGrade struct {
	Method  string  `json:"method"` // lec | ls
	Value   float64 `json:"value"`  // D or R
	Level   string  `json:"level"`
	Colour  string  `json:"colour"`
	Meaning string  `json:"meaning"`
	Basis   string  `json:"basis"`
}

type riskTables struct {
	factors map[string]map[float64]string // L/E/C → value → meaning
	bands   map[string][]Band             // "lec/default", "ls/A", "ls/B"
}

var (
	riskOnce sync.Once
	risk     riskTables
	riskErr  error
)

func loadRisk() (riskTables, error) {
	riskOnce.Do(func() {
		risk = riskTables{factors: map[string]map[float64]string{}, bands: map[string][]Band{}}
		fs, err := readTable("lec_factors.csv")
		if err != nil {
			riskErr = err
			return
		}
		for _, r := range fs {
			if risk.factors[r["factor"]] == nil {
				risk.factors[r["factor"]] = map[float64]string{}
			}
			risk.factors[r["factor"]][num(r["value"])] = r["meaning"]
		}
		bs, err := readTable("risk_bands.csv")
		if err != nil {
			riskErr = err
			return
		}
		for _, r := range bs {
			k := r["method"] + "/" + r["variant"]
			risk.bands[k] = append(risk.bands[k], Band{Level: r["level"], Colour: r["colour"], Min: num(r["min_exclusive"]),
				Max: num(r["max_inclusive"]), Meaning: r["meaning"]})
		}
	})
	return risk, riskErr
}

// RiskBands returns a method's bands ("lec", "default"), ("ls", "A"|"B").
func RiskBands(method, variant string) ([]Band, error) {
	t, err := loadRisk()
	if err != nil {
		return nil, err
	}
	b, ok := t.bands[method+"/"+variant]
	if !ok {
		return nil, fmt.Errorf("未知的分级方案 %s/%s", method, variant)
	}
	return b, nil
}

// place finds the band of v.
func place(v float64, bands []Band) (Band, bool) {
	for _, b := range bands {
		if (math.IsNaN(b.Min) || v > b.Min) && (math.IsNaN(b.Max) || v <= b.Max) {
			return b, true
		}
	}
	return Band{}, false
}

func allowed(m map[float64]string) string {
	var vs []float64
	for v := range m {
		vs = append(vs, v)
	}
	sort.Sort(sort.Reverse(sort.Float64Slice(vs)))
	var out string
	for i, v := range vs {
		if i > 0 {
			out += "、"
		}
		out += strconv.FormatFloat(v, 'f', -1, 64)
	}
	return out
}

// GradeLEC computes D = L×E×C with the given bands (nil: the default).
// Values outside the L, E and C tables are refused.
func GradeLEC(l, e, c float64, bands []Band) (RiskGrade, error) {
	t, err := loadRisk()
	if err != nil {
		return RiskGrade{}, err
	}
	for _, f := range []struct {
		name, label string
		v           float64
	}{{"L", "事故发生的可能性 L", l}, {"E", "暴露于危险环境的频繁程度 E", e}, {"C", "发生事故可能造成的后果 C", c}} {
		if _, ok := t.factors[f.name][f.v]; !ok {
			return RiskGrade{}, fmt.Errorf("%s 取值 %s 不在表中 (可取 %s)", f.label, strconv.FormatFloat(f.v, 'f', -1, 64), allowed(t.factors[f.name]))
		}
	}
	if bands == nil {
		bands = t.bands["lec/default"]
	}
	d := math.Round(l*e*c*1000) / 1000
	b, ok := place(d, bands)
	if !ok {
		return RiskGrade{}, fmt.Errorf("D = %v 不在分级范围内", d)
	}
	return RiskGrade{Method: "lec", Value: d, Level: b.Level, Colour: b.Colour, Meaning: b.Meaning, Basis: LECBasis}, nil
}

// GradeLS computes R = L×S (each 1–5) with the given bands (nil: variant A).
func GradeLS(l, s int, bands []Band) (RiskGrade, error) {
	t, err := loadRisk()
	if err != nil {
		return RiskGrade{}, err
	}
	if l < 1 || l > 5 {
		return RiskGrade{}, fmt.Errorf("可能性 L 应为 1–5 的整数，实为 %d", l)
	}
	if s < 1 || s > 5 {
		return RiskGrade{}, fmt.Errorf("严重程度 S 应为 1–5 的整数，实为 %d", s)
	}
	if bands == nil {
		bands = t.bands["ls/A"]
	}
	r := float64(l * s)
	b, ok := place(r, bands)
	if !ok {
		return RiskGrade{}, fmt.Errorf("R = %v 不在分级范围内", r)
	}
	return RiskGrade{Method: "ls", Value: r, Level: b.Level, Colour: b.Colour, Meaning: b.Meaning, Basis: LSBasis}, nil
}

// Factor is one row of the L, E or C table: a value and what it means.
type Factor struct {
	Value   float64 `json:"value"`
	Meaning string  `json:"meaning"`
}

// LECFactors returns the L, E and C tables, highest value first.
func LECFactors() (map[string][]Factor, error) {
	t, err := loadRisk()
	if err != nil {
		return nil, err
	}
	out := map[string][]Factor{}
	for name, m := range t.factors {
		for v, meaning := range m {
			out[name] = append(out[name], Factor{Value: v, Meaning: meaning})
		}
		sort.Slice(out[name], func(i, j int) bool { return out[name][i].Value > out[name][j].Value })
	}
	return out, nil
}

// LECBandsAt returns the LEC bands with the jurisdiction's own cut-offs:
// D > red is 重大 (红), D > orange 较大 (橙), D > yellow 一般 (黄), the rest
// 低 (蓝). The cut-offs must rise strictly.
func LECBandsAt(red, orange, yellow float64) ([]Band, error) {
	if !(yellow > 0 && orange > yellow && red > orange) {
		return nil, fmt.Errorf("LEC 分级分界应满足 0 < 黄 < 橙 < 红，实为 %v、%v、%v", yellow, orange, red)
	}
	def, err := RiskBands("lec", "default")
	if err != nil {
		return nil, err
	}
	out := make([]Band, len(def))
	copy(out, def)
	cuts := []float64{red, orange, yellow, math.NaN()}
	tops := []float64{math.NaN(), red, orange, yellow}
	for i := range out {
		out[i].Min, out[i].Max = cuts[i], tops[i]
	}
	return out, nil
}
