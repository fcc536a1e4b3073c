package rules

import (
	"sync"
)

// IndustryBasis cites the industry classification.
const IndustryBasis = "GB/T 4754-2017《国民经济行业分类》"

// Industry is a code of GB/T 4754-2017: a section letter (门类) or a 2–4
// digit 大类/中类/小类.
type Industry struct {
	Code    string `json:"code"`
	Name    string `json:"name"`
	Level   int    `json:"level"` // 1 门类 … 4 小类
	Parent  string `json:"parent,omitempty"`
	Section string `json:"section"`
}

var (
	indOnce sync.Once
	inds    []Industry
	indBy   map[string]int
	indErr  error
)

func loadIndustries() error {
	indOnce.Do(func() {
		rows, err := readTable("gbt4754_2017.csv")
		if err != nil {
			indErr = err
			return
		}
		indBy = map[string]int{}
		for _, r := range rows {
			l := int(num(r["level"]))
			indBy[r["code"]] = len(inds)
			inds = append(inds, Industry{Code: r["code"], Name: r["name"], Level: l, Parent: r["parent_code"], Section: r["section"]})
		}
	})
	return indErr
}

// IndustryByCode returns an industry code's entry.
func IndustryByCode(code string) (Industry, bool) {
	if loadIndustries() != nil {
		return Industry{}, false
	}
	i, ok := indBy[code]
	if !ok {
		return Industry{}, false
	}
	return inds[i], true
}

// Industries lists every code in the standard's order.
func Industries() []Industry {
	if loadIndustries() != nil {
		return nil
	}
	return inds
}
