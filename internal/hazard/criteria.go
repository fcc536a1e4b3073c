package hazard

import (
	"slices"

	"anwei/internal/rules"
)

// criteriaSectors are the sectors of the criteria library (rules.Criterion.
// Sector) that apply to an enterprise of each supervision category
// (enterprise.Categories): 危化 the 化工和危险化学品 standard, 烟花爆竹 its
// own, and the 工贸 standard (应急管理部令第10号) to the 工贸 categories —
// its management items (第三条) to every one of them, its industry items to
// the industries the category covers. 涉氨制冷 and 有限空间 have articles of
// their own in the 工贸 standard that the library does not hold yet; the
// management items stand for them. A category with no standard in the
// library (mines, gas, construction, road, fire, crowded places, 九小场所,
// 其他) gets none: the judge reads the whole library.
var criteriaSectors = map[string][]string{
	"hazchem":    {"危险化学品"},
	"fireworks":  {"烟花爆竹"},
	"metallurgy": {"管理类", "冶金", "有色"},
	"trade":      {"管理类", "冶金", "有色", "建材", "机械", "粉尘涉爆"},
	"dust":       {"管理类", "粉尘涉爆"},
	"ammonia":    {"管理类"},
	"confined":   {"管理类"},
}

// CriteriaFor splits the criteria library for an enterprise of the
// categories: the items of the standards its categories fall under, then
// the rest (always reachable: a hazard may fall under another standard,
// and an enterprise's categories may be incomplete), each in the library's
// order.
func CriteriaFor(categories []string) (own, other []rules.Criterion, err error) {
	all, err := rules.Criteria()
	if err != nil {
		return nil, nil, err
	}
	var sectors []string
	for _, c := range categories {
		sectors = append(sectors, criteriaSectors[c]...)
	}
	for _, c := range all {
		if slices.Contains(sectors, c.Sector) {
			own = append(own, c)
		} else {
			other = append(other, c)
		}
	}
	return own, other, nil
}
