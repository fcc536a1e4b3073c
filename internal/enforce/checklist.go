package enforce

import (
	"slices"

	"anwei/internal/hazard"
	"anwei/internal/rules"
)

// CheckItem is one line of an inspection's checklist (检查表): a 必查项 from
// the 重大事故隐患判定标准 of the enterprise's sector (Major: found, it is a
// major hazard by the standard), or a general item — a violation of
// 安全生产法 (2021) a unit is fined for (Violation: its key in
// rules.Violations, which a finding cites). Each is marked 合格, 不合格 or
// 不涉及 on site (part 2 of the enforcement issue records the marks).
type CheckItem struct {
	Key       string `json:"key"`
	Text      string `json:"text"`
	Basis     string `json:"basis"`
	Major     bool   `json:"major"`
	Violation string `json:"violation,omitempty"`
}

// generalItems are the violations every enterprise is checked for: the
// unit's staffing, training, records, plans and drills (Art. 97), its
// safety signs, equipment, upkeep, monitoring and protective gear (Art. 99),
// dangerous work, risk control and hazard management (Art. 101), hazards
// left unremoved (Art. 102) and exits and dormitories (Art. 105).
var generalItems = []string{"a97-1", "a97-2", "a97-3", "a97-4", "a97-5", "a97-6", "a97-7",
	"a99-1", "a99-2", "a99-3", "a99-4", "a99-5", "a99-7", "a101-3", "a101-4", "a101-5", "a102", "a105-1", "a105-2"}

// categoryItems are the violations only some categories are checked for:
// dangerous goods (Art. 101 (1)), 餐饮等 using gas (Art. 99 (8)), the
// high-risk sectors' 安全生产责任保险 (Art. 109) and their construction
// projects (Art. 98).
var categoryItems = map[string][]string{
	"hazchem":    {"a101-1", "a109", "a98-1", "a98-2", "a98-3", "a98-4", "a99-6"},
	"fireworks":  {"a101-1", "a109"},
	"mine":       {"a109", "a98-1", "a98-2", "a98-3", "a98-4", "a99-6"},
	"coal":       {"a109", "a98-1", "a98-2", "a98-3", "a98-4", "a99-6"},
	"metallurgy": {"a109", "a98-1", "a98-2", "a98-3", "a98-4"},
	"gas":        {"a99-8"},
	"crowded":    {"a99-8"},
	"small":      {"a99-8"},
}

// Checklist is the checklist of an enterprise of the categories, holding a
// major-hazard installation or not: its sectors' 重大事故隐患 items first
// (verbatim, hazard.CriteriaFor), then the general items and its
// categories' (Art. 101 (2) when it holds an installation), in the law's
// order, each once.
func Checklist(categories []string, majorInstallation bool) ([]CheckItem, error) {
	own, _, err := hazard.CriteriaFor(categories)
	if err != nil {
		return nil, err
	}
	var out []CheckItem
	for _, c := range own {
		out = append(out, CheckItem{Key: c.Key, Text: c.Text, Basis: c.Basis(), Major: true})
	}
	keys := slices.Clone(generalItems)
	for _, c := range categories {
		keys = append(keys, categoryItems[c]...)
	}
	if majorInstallation {
		keys = append(keys, "a101-2")
	}
	vs, err := rules.Violations()
	if err != nil {
		return nil, err
	}
	for _, v := range vs { // the law's order
		if slices.Contains(keys, v.Key) {
			out = append(out, CheckItem{Key: v.Key, Text: v.Text, Basis: v.Basis(), Violation: v.Key})
		}
	}
	return out, nil
}
