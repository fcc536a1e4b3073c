package enforce

import (
	"fmt"
	"slices"
	"strings"

	"anwei/internal/apperr"
)

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
	// Supervisory: 督导检查 by a higher level, under a cap of its own
	// (CapTable.Supervisory), not the sector's.
	Supervisory = "supervisory"
)

// Levels are a cap row's levels in the order the form shows them: a
// mine's A–D class, or the 标准化 level ("" 未定级).
func Levels(sector string) []string {
	if sector == "coal" || sector == "mine" {
		return []string{"A", "B", "C", "D"}
	}
	return []string{"1", "2", "3", ""}
}

// LevelName is a level as people read it.
func LevelName(sector, level string) string {
	if sector == "coal" || sector == "mine" {
		return level + " 类"
	}
	return map[string]string{"1": "标准化一级", "2": "标准化二级", "3": "标准化三级", "": "未定级"}[level]
}

// summary is the table as the audit log shows it.
func (t CapTable) summary() map[string]any {
	var rows []string
	for _, r := range t.Rows {
		var caps []string
		for _, l := range Levels(r.Sector) {
			caps = append(caps, fmt.Sprintf("%s %d", LevelName(r.Sector, l), r.Caps[l]))
		}
		rows = append(rows, r.Name+": "+strings.Join(caps, "、"))
	}
	return map[string]any{"caps": rows, "supervisory": t.Supervisory, "frequent_cases": t.FrequentCases, "note": t.Note}
}

// Validate checks a table before it is stored: every sector, every level a
// figure of 0–365, naming each field (cap_<sector>_<level>).
func (t CapTable) Validate() error {
	var c apperr.Checks
	def := DefaultCaps()
	for _, d := range def.Rows {
		i := slices.IndexFunc(t.Rows, func(r CapRow) bool { return r.Sector == d.Sector })
		for _, l := range Levels(d.Sector) {
			field := "cap_" + d.Sector + "_" + l
			if i < 0 {
				c.Add(field, fmt.Sprintf("请填写%s%s的年检查次数上限", d.Name, LevelName(d.Sector, l)))
				continue
			}
			v, ok := t.Rows[i].Caps[l]
			c.If(!ok, field, fmt.Sprintf("请填写%s%s的年检查次数上限", d.Name, LevelName(d.Sector, l)))
			c.If(ok && (v < 0 || v > 365), field, fmt.Sprintf("%s%s的上限应在 0–365 之间", d.Name, LevelName(d.Sector, l)))
		}
	}
	for _, r := range t.Rows {
		c.If(!slices.ContainsFunc(def.Rows, func(d CapRow) bool { return d.Sector == r.Sector }), "cap_"+r.Sector, fmt.Sprintf("未知的行业「%s」", r.Sector))
	}
	c.If(t.FrequentCases < 0 || t.FrequentCases > 365, "frequent_cases", "个案检查提示次数应在 0–365 之间 (0 为不提示)")
	c.If(t.Supervisory < 0 || t.Supervisory > 365, "supervisory", "督导检查上限应在 0–365 之间")
	c.If(len([]rune(t.Note)) > 200, "note", "依据说明不能超过 200 字")
	return c.Err()
}

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
	// Supervisory is the 督导检查 (a higher level's inspections) an
	// enterprise may have a year, whatever its sector (山西 2025: ≤ 3).
	Supervisory int `json:"supervisory"`
}

// DefaultCaps is 山西 2025's table. Coal mines and non-coal mines go by the
// sector's own A–D class, the others by their 标准化 level (1, 2, 3, "" for
// 未定级).
func DefaultCaps() CapTable {
	return CapTable{Note: "山西省 2025 年安全生产分类分级执法检查频次上限 (默认值，请按本省规定修改)", FrequentCases: 4, Supervisory: 3,
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
// whose A is the riskiest) or its 标准化 level (others). The registry does
// not hold a mine's class yet: a mine without one gets its sector's
// lowest cap, so a routine inspection is never over the cap the mine's
// class would give. ok is false when the table has no figure for it: the
// plan must then say so and ask for one, never treat it as no cap.
func (t CapTable) Cap(categories []string, mineClass, stdLevel string) (cap int, ok bool) {
	sector := SectorOf(categories)
	level := stdLevel
	mine := sector == "coal" || sector == "mine"
	if mine {
		level = mineClass
	}
	for _, r := range t.Rows {
		if r.Sector != sector {
			continue
		}
		if mine && level == "" && len(r.Caps) > 0 {
			cap = noCap
			for _, v := range r.Caps {
				cap = min(cap, v)
			}
			return cap, true
		}
		cap, ok = r.Caps[level]
		return cap, ok
	}
	return 0, false
}

// FrequentCase reports whether an enterprise's case inspections this year
// are to be flagged.
func (t CapTable) FrequentCase(cases int) bool {
	return t.FrequentCases > 0 && cases >= t.FrequentCases
}
