package enforce

import "slices"

// The per-enterprise annual cap on routine inspections (日常检查: planned
// and drawn), by sector and level. No national figure exists for 应急管理
// (REGULATIONS.md §7.3): provinces set theirs. The default is 山西 2025's
// [C: aqsx.sxkjnews.com/news/show.php?itemid=5199] — configuration, to be
// replaced by the deployment's own. Inspections of a specific case (个案检查:
// tips, complaints, referrals, accidents, re-checks of an order) are exempt
// from the cap (国办发〔2024〕54号, 应急〔2025〕11号), recorded as such and
// flagged when frequent.

// Inspection kinds.
const (
	Routine = "routine" // 日常检查: by the plan or a draw; counts against the cap
	Case    = "case"    // 个案检查: exempt from the cap
)

// CapRow is a sector's caps by level.
type CapRow struct {
	Sector string         `json:"sector"`
	Name   string         `json:"name"`
	Caps   map[string]int `json:"caps"` // level → routine inspections a year
}

// CapTable is a deployment's caps, with where they come from.
type CapTable struct {
	Rows []CapRow `json:"rows"`
	Note string   `json:"note"`
	// FrequentCases is how many case inspections of one enterprise in a
	// year are flagged as frequent: [U] a local figure.
	FrequentCases int `json:"frequent_cases"`
}

// DefaultCaps is 山西 2025's table. Coal mines and non-coal mines go by the
// sector's own A–D class, the others by their 标准化 level (1, 2, 3, "" for
// 未定级).
func DefaultCaps() CapTable {
	return CapTable{Note: "山西省 2025 年安全生产分类分级执法检查频次上限 (REGULATIONS.md §7.3 [C])；请按本省规定修改", FrequentCases: 4,
		Rows: []CapRow{
			{Sector: "coal", Name: "煤矿", Caps: map[string]int{"A": 2, "B": 4, "C": 6, "D": 4}},
			{Sector: "mine", Name: "非煤矿山", Caps: map[string]int{"A": 1, "B": 1, "C": 2, "D": 4}},
			{Sector: "hazchem", Name: "危险化学品和金属冶炼", Caps: map[string]int{"1": 2, "2": 4, "3": 8, "": 12}},
			{Sector: "other", Name: "非高危行业", Caps: map[string]int{"1": 1, "2": 2, "3": 4, "": 6}},
		}}
}

// SectorOf is the cap table's sector of an enterprise by its supervision
// categories (the strictest first).
func SectorOf(categories []string) string {
	switch {
	case slices.Contains(categories, "coal"):
		return "coal"
	case slices.Contains(categories, "mine"):
		return "mine"
	case slices.Contains(categories, "hazchem"), slices.Contains(categories, "metallurgy"):
		return "hazchem"
	}
	return "other"
}

// Cap is the routine inspections an enterprise may have a year: sector
// from its categories, level the mine's own safety class (mineClass, for
// coal and non-coal mines: the sector's A–D, not anwei's supervision class,
// whose A is the riskiest) or its 标准化 level (others). ok is false when
// the table has no figure for it: the plan must then say so and ask for
// one, never treat it as no cap.
func (t CapTable) Cap(categories []string, mineClass, stdLevel string) (cap int, ok bool) {
	sector := SectorOf(categories)
	level := stdLevel
	if sector == "coal" || sector == "mine" {
		level = mineClass
	}
	for _, r := range t.Rows {
		if r.Sector == sector {
			cap, ok = r.Caps[level]
			return cap, ok
		}
	}
	return 0, false
}

// Allowed reports whether one more inspection of the kind may be planned
// or drawn for an enterprise that had routine ones this year: a case
// inspection always, a routine one while under the cap.
func Allowed(kind string, routine, cap int, capped bool) bool {
	return kind == Case || !capped || routine < cap
}

// FrequentCase reports whether an enterprise's case inspections this year
// are to be flagged.
func (t CapTable) FrequentCase(cases int) bool {
	return t.FrequentCases > 0 && cases >= t.FrequentCases
}
