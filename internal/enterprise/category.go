package enterprise

import (
	"slices"
	"sort"
	"strings"

	"anwei/internal/codes"
)

// Category is a supervision category (监管类别).
type Category struct {
	Key      string `json:"key"`
	Name     string `json:"name"`
	HighRisk bool   `json:"high_risk"` // 高危行业: 危化、矿山、烟花爆竹、金属冶炼 (安全生产法 第二十七条)
}

// Categories are the supervision categories, in display order.
var Categories = []Category{
	{"hazchem", "危险化学品", true},
	{"mine", "非煤矿山", true},
	{"coal", "煤矿", true},
	{"fireworks", "烟花爆竹", true},
	{"metallurgy", "金属冶炼", true},
	{"trade", "工贸", false},
	{"dust", "粉尘涉爆", false},
	{"ammonia", "涉氨制冷", false},
	{"confined", "有限空间", false},
	{"gas", "城镇燃气", false},
	{"construction", "建筑施工", false},
	{"road", "道路运输", false},
	{"fire_key", "消防重点单位", false},
	{"crowded", "人员密集场所", false},
	{"small", "九小场所", false},
	{"other", "其他", false},
}

var categoryByKey, categoryByName, categoryOrder = func() (map[string]Category, map[string]Category, map[string]int) {
	k, n, o := map[string]Category{}, map[string]Category{}, map[string]int{}
	for i, c := range Categories {
		k[c.Key], n[c.Name], o[c.Key] = c, c, i
	}
	return k, n, o
}()

// CategoryName is a category key's Chinese name.
func CategoryName(key string) string { return categoryByKey[key].Name }

// ParseCategories reads categories given by key or Chinese name, separated
// by 、，, ; or spaces; it returns the keys in display order and the names
// it did not know.
func ParseCategories(s string) (keys []string, unknown []string) {
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune("、，,;；/ 　", r) }) {
		c, ok := categoryByKey[p]
		if !ok {
			c, ok = categoryByName[p]
		}
		if !ok {
			unknown = append(unknown, p)
			continue
		}
		if !slices.Contains(keys, c.Key) {
			keys = append(keys, c.Key)
		}
	}
	sort.Slice(keys, func(i, j int) bool { return categoryOrder[keys[i]] < categoryOrder[keys[j]] })
	return keys, unknown
}

// Scales, Statuses and StdLevels are the other coded fields.
var (
	Scales    = []codes.Choice{{Key: "large", Name: "大型"}, {Key: "medium", Name: "中型"}, {Key: "small", Name: "小型"}, {Key: "micro", Name: "微型"}}
	Statuses  = []codes.Choice{{Key: "operating", Name: "在营"}, {Key: "suspended", Name: "停产"}, {Key: "closed", Name: "关闭"}}
	StdLevels = []codes.Choice{{Key: "1", Name: "一级"}, {Key: "2", Name: "二级"}, {Key: "3", Name: "三级"}, {Key: "", Name: "未定级"}}
)

// choose finds a choice by key or name.
func choose(cs []codes.Choice, s string) (string, bool) {
	s = strings.TrimSpace(s)
	for _, c := range cs {
		if s == c.Key || s == c.Name {
			return c.Key, true
		}
	}
	return "", false
}
