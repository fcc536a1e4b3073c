package rules

import "sync"

// Criterion is one item of a sector's 重大事故隐患判定标准 (安全生产法 第一百
// 一十八条第二款: each sector's ministry sets them), kept verbatim. Only
// items retrieved verbatim are here; for the rest an expert's reasoned
// judgement stands in (see data/SOURCE.md).
type Criterion struct {
	Key      string `json:"key"` // gm10-11-3, hg121-5, yh121-10
	Standard string `json:"standard"`
	DocNo    string `json:"doc_no"`
	Article  string `json:"article"`
	Sector   string `json:"sector"`
	Text     string `json:"text"`
	Source   string `json:"source"`
}

// Basis is the citation of a criterion.
func (c Criterion) Basis() string { return "《" + c.Standard + "》(" + c.DocNo + ") " + c.Article }

var (
	critOnce sync.Once
	crits    []Criterion
	critBy   map[string]int
	critErr  error
)

// Criteria lists the criteria library.
func Criteria() ([]Criterion, error) {
	critOnce.Do(func() {
		rows, err := readTable("major_hazard_criteria.csv")
		if err != nil {
			critErr = err
			return
		}
		critBy = map[string]int{}
		for _, r := range rows {
			critBy[r["key"]] = len(crits)
			crits = append(crits, Criterion{Key: r["key"], Standard: r["standard"], DocNo: r["doc_no"], Article: r["article"],
				Sector: r["sector"], Text: r["text"], Source: r["source"]})
		}
	})
	return crits, critErr
}

// LookupCriterion finds a criterion by key.
func LookupCriterion(key string) (Criterion, bool) {
	if _, err := Criteria(); err != nil {
		return Criterion{}, false
	}
	i, ok := critBy[key]
	if !ok {
		return Criterion{}, false
	}
	return crits[i], true
}
