package enterprise

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"anwei/internal/apperr"
	"anwei/internal/codes"
)

// 分级分类: the supervision class. There is no national A/B/C/D scheme
// (REGULATIONS.md §7.3: only provincial examples exist, such as 江西 2025 and
// 山西 2025, which grade by industry, risk, credit and 标准化 level). anwei's
// default rule scores the same inputs and is configurable per deployment:
//
//	score = the highest category points of the enterprise (高危 3 …)
//	      + points for its highest major-installation grade (一级 4 … 四级 1)
//	      + points for its 安全生产标准化 level (未定级 +1, 三级 0, 二级 −1, 一级 −2)
//	      + points when it has open major hazards (重大事故隐患未销号)
//	      + points for violations recorded in the last 12 months
//	      + points while it is on the blacklist
//
// Class A (≥ 7) is 重点监管 with quarterly inspection, B (≥ 4) twice a year,
// C (≥ 2) once a year, D the rest: no fixed inspection, drawn by 双随机.
// Frequencies are what the enforcement mechanism plans with. The reasoning:
// inherent hazard (category, installations) sets the floor; management
// quality (标准化) lowers it; present danger (open major hazards, violations,
// blacklist) raises it — the same three families the provincial schemes use.

// Inputs are what the class is computed from. Those the enterprise registry
// does not own (open major hazards, violations) come through Hooks.
type Inputs struct {
	Categories       []string
	MajorGrade       string // 一级 … 四级, or ""
	StdLevel         string // "1", "2", "3" or "" (未定级)
	OpenMajorHazards int
	Violations12m    int
	Blacklisted      bool
}

// ClassRule is the configurable rule.
type ClassRule struct {
	CategoryPoints  map[string]int `json:"category_points"`
	GradePoints     map[string]int `json:"grade_points"`
	StdLevelPoints  map[string]int `json:"std_level_points"`
	OpenMajorPoints int            `json:"open_major_hazard_points"`
	ViolationPoints []Step         `json:"violation_points"` // the highest step reached counts
	BlacklistPoints int            `json:"blacklist_points"`
	Classes         []ClassBand    `json:"classes"` // highest minimum first; the last has Min ignored
}

// Step gives Points when a count reaches AtLeast.
type Step struct {
	AtLeast int `json:"at_least"`
	Points  int `json:"points"`
}

// ClassBand is a class with its minimum score and inspections per year.
type ClassBand struct {
	Class       string `json:"class"`
	Name        string `json:"name"`
	Min         int    `json:"min"`
	Inspections int    `json:"inspections_per_year"` // 0: 双随机抽查, no fixed frequency
}

// DefaultClassRule is the rule described above.
func DefaultClassRule() ClassRule {
	return ClassRule{
		CategoryPoints: map[string]int{"hazchem": 3, "mine": 3, "coal": 3, "fireworks": 3, "metallurgy": 3,
			"gas": 2, "dust": 2, "ammonia": 2, "construction": 2, "road": 2,
			"confined": 1, "trade": 1, "fire_key": 1, "crowded": 1, "small": 0, "other": 0},
		GradePoints:     map[string]int{"一级": 4, "二级": 3, "三级": 2, "四级": 1},
		StdLevelPoints:  map[string]int{"1": -2, "2": -1, "3": 0, "": 1},
		OpenMajorPoints: 2,
		ViolationPoints: []Step{{1, 1}, {3, 2}},
		BlacklistPoints: 3,
		Classes: []ClassBand{{"A", "重点监管", 7, 4}, {"B", "较高", 4, 2}, {"C", "一般", 2, 1},
			{"D", "较低 (双随机抽查)", 0, 0}},
	}
}

// Validate checks a rule before it is stored, naming every fault at once
// (issue 16.2) by the field of the class rule form that holds it: cat_<key>
// for a category's points, class_<i>, class_min_<i> and class_insp_<i> for
// the i-th class (from 0, highest first).
func (r ClassRule) Validate() error {
	var c apperr.Checks
	for _, k := range slices.Sorted(maps.Keys(r.CategoryPoints)) {
		c.If(CategoryName(k) == "", "cat_"+k, fmt.Sprintf("未知的监管类别 %q", k))
	}
	c.If(len(r.Classes) < 2, fmt.Sprintf("class_%d", len(r.Classes)), "至少要有两个类别")
	for i, b := range r.Classes {
		c.If(b.Class == "", fmt.Sprintf("class_%d", i), fmt.Sprintf("请填写第 %d 类的分类 (如 A)", i+1))
		if i > 0 && i < len(r.Classes)-1 && b.Min >= r.Classes[i-1].Min {
			c.Add(fmt.Sprintf("class_min_%d", i), fmt.Sprintf("类别 %s 的分数下限应低于 %s", b.Class, r.Classes[i-1].Class))
		}
		_ = c.Take(apperr.Lengths(apperr.Text{Field: fmt.Sprintf("class_%d", i), Label: "分类", Max: 2, Value: b.Class},
			apperr.Text{Field: fmt.Sprintf("class_name_%d", i), Label: "类别 " + b.Class + " 的含义", Max: 20, Value: b.Name}))
		c.If(b.Inspections < 0 || b.Inspections > 365, fmt.Sprintf("class_insp_%d", i), fmt.Sprintf("类别 %s 的年检查频次应在 0–365 之间", b.Class))
	}
	return c.Err()
}

// Classification is a computed class with its reason.
type Classification struct {
	Class       string `json:"class"`
	Name        string `json:"name"`
	Score       int    `json:"score"`
	Inspections int    `json:"inspections_per_year"`
	Reason      string `json:"reason"`
}

// Classify applies the rule.
func (r ClassRule) Classify(in Inputs) Classification {
	var parts []string
	score := 0
	best, bestKey := 0, ""
	for _, c := range in.Categories {
		if p, ok := r.CategoryPoints[c]; ok && (bestKey == "" || p > best) {
			best, bestKey = p, c
		}
	}
	if bestKey != "" {
		score += best
		parts = append(parts, fmt.Sprintf("%s %+d", CategoryName(bestKey), best))
	}
	if p, ok := r.GradePoints[in.MajorGrade]; ok && in.MajorGrade != "" {
		score += p
		parts = append(parts, fmt.Sprintf("%s重大危险源 %+d", in.MajorGrade, p))
	}
	if p, ok := r.StdLevelPoints[in.StdLevel]; ok && p != 0 {
		score += p
		parts = append(parts, fmt.Sprintf("标准化%s %+d", codes.NameOf(StdLevels, in.StdLevel), p))
	}
	if in.OpenMajorHazards > 0 && r.OpenMajorPoints != 0 {
		score += r.OpenMajorPoints
		parts = append(parts, fmt.Sprintf("未销号重大隐患 %d 项 %+d", in.OpenMajorHazards, r.OpenMajorPoints))
	}
	step := 0
	for _, s := range r.ViolationPoints {
		if in.Violations12m >= s.AtLeast && s.Points > step {
			step = s.Points
		}
	}
	if step != 0 {
		score += step
		parts = append(parts, fmt.Sprintf("近12个月违法行为 %d 次 %+d", in.Violations12m, step))
	}
	if in.Blacklisted && r.BlacklistPoints != 0 {
		score += r.BlacklistPoints
		parts = append(parts, fmt.Sprintf("严重失信主体 %+d", r.BlacklistPoints))
	}
	band := r.Classes[len(r.Classes)-1]
	for _, b := range r.Classes[:len(r.Classes)-1] {
		if score >= b.Min {
			band = b
			break
		}
	}
	if len(parts) == 0 {
		parts = append(parts, "无加分项")
	}
	freq := "双随机抽查"
	if band.Inspections > 0 {
		freq = fmt.Sprintf("每年检查 %d 次", band.Inspections)
	}
	return Classification{Class: band.Class, Name: band.Name, Score: score, Inspections: band.Inspections,
		Reason: fmt.Sprintf("%s = %d 分 → %s类 (%s，%s)", strings.Join(parts, "；"), score, band.Class, band.Name, freq)}
}
