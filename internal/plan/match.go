package plan

import (
	"sort"
	"strings"
)

// Candidate is a unit of the organisation a plan's unit name may mean.
type Candidate struct {
	ID        int64
	Name      string   // official name: 济南市天桥区应急管理局
	ShortName string   // 区应急局
	Aliases   []string // 区应急管理局 …
	Kind      string   // org.UnitKind as a string (department, street, committee_office …)
	Committee bool     // a member of the plan's committee
}

// Match is how one printed unit name resolved.
type Match struct {
	Name string `json:"name"` // as printed in the plan
	// How: exact (name, short name or alias), fuzzy (normalised form), group
	// (a group name expanded to its units), choose (a group whose members the
	// office picks: 有关成员单位), none.
	How         string  `json:"how"`
	Units       []int64 `json:"units"`                 // the resolved unit(s)
	Suggestions []int64 `json:"suggestions,omitempty"` // for none/choose: likely units, best first
}

// Matcher resolves printed unit names against the organisation.
type Matcher struct {
	units []Candidate
	exact map[string][]int64
	fuzzy map[string][]int64
}

// NewMatcher indexes the candidate units. remembered maps names a user has
// mapped before (the alias table) to units.
func NewMatcher(units []Candidate, remembered map[string][]int64) *Matcher {
	m := &Matcher{units: units, exact: map[string][]int64{}, fuzzy: map[string][]int64{}}
	add := func(idx map[string][]int64, key string, id int64) {
		for _, x := range idx[key] {
			if x == id {
				return
			}
		}
		idx[key] = append(idx[key], id)
	}
	for _, u := range units {
		for _, n := range append([]string{u.Name, u.ShortName}, u.Aliases...) {
			if n == "" {
				continue
			}
			add(m.exact, n, u.ID)
			add(m.fuzzy, normUnit(n), u.ID)
		}
	}
	for name, ids := range remembered {
		for _, id := range ids {
			add(m.exact, name, id)
		}
	}
	return m
}

// abbreviations fold the common long and short forms of department names
// into one: 发展和改革局/发展改革局/发改局, 住房和城乡建设/住房城乡建设/住建 …
var abbreviations = strings.NewReplacer(
	"发展和改革", "发改", "发展改革", "发改",
	"住房和城乡建设", "住建", "住房城乡建设", "住建",
	"工业和信息化", "工信", "文化和旅游", "文旅", "教育和体育", "教体",
	"卫生健康", "卫健", "市场监督管理", "市场监管", "人力资源和社会保障", "人社",
	"交通运输", "交通", "应急管理", "应急",
)

// normUnit is the fuzzy form of a unit name: the level words and 管理/委员会
// padding dropped, common long forms abbreviated.
func normUnit(s string) string {
	s = strings.Join(strings.Fields(s), "")
	s = abbreviations.Replace(s)
	for _, p := range []string{"中共", "自治区", "省", "市", "区", "县"} {
		if strings.HasPrefix(s, p) && runeLen(s) > runeLen(p)+1 {
			s = strings.TrimPrefix(s, p)
			break
		}
	}
	return s
}

// groups: printed group names and which units they stand for.
var groups = []struct {
	suffix string
	how    string
	pick   func(c Candidate) bool
}{
	{"安委会各成员单位", "group", func(c Candidate) bool { return c.Committee && c.Kind != "committee_office" }},
	{"各成员单位", "group", func(c Candidate) bool { return c.Committee && c.Kind != "committee_office" }},
	{"有关成员单位", "choose", func(c Candidate) bool { return c.Committee && c.Kind != "committee_office" }},
	{"各街道办事处", "group", func(c Candidate) bool { return c.Kind == "street" }},
	{"各乡镇", "group", func(c Candidate) bool { return c.Kind == "street" }},
	{"各专业委员会办公室", "group", func(c Candidate) bool { return c.Kind == "special_committee" }},
	{"专业委员会成员单位", "choose", func(c Candidate) bool { return c.Committee }},
	{"负有安全监管职责的各有关部门", "choose", func(c Candidate) bool { return c.Kind == "department" }},
	{"负有安全生产监管职责的部门", "choose", func(c Candidate) bool { return c.Kind == "department" }},
	{"各有关部门", "choose", func(c Candidate) bool { return c.Kind == "department" }},
	{"各行业主管部门", "choose", func(c Candidate) bool { return c.Kind == "department" }},
}

// Resolve resolves one printed name.
func (m *Matcher) Resolve(name string) Match {
	out := Match{Name: name, How: "none", Units: []int64{}}
	if ids := m.exact[name]; len(ids) > 0 {
		out.How, out.Units = "exact", ids
		return out
	}
	for _, g := range groups {
		if strings.HasSuffix(name, g.suffix) {
			var ids []int64
			for _, c := range m.units {
				if g.pick(c) {
					ids = append(ids, c.ID)
				}
			}
			out.How = g.how
			if g.how == "group" {
				out.Units = ids
			} else {
				out.Suggestions = ids
			}
			return out
		}
	}
	if ids := m.fuzzy[normUnit(name)]; len(ids) > 0 {
		out.How, out.Units = "fuzzy", ids
		return out
	}
	out.Suggestions = m.suggest(name, 3)
	return out
}

// suggest ranks units by the characters they share with name.
func (m *Matcher) suggest(name string, n int) []int64 {
	want := []rune(normUnit(name))
	type scored struct {
		id    int64
		score float64
	}
	var all []scored
	for _, c := range m.units {
		best := 0.0
		for _, cand := range append([]string{c.Name, c.ShortName}, c.Aliases...) {
			if s := similarity(want, []rune(normUnit(cand))); s > best {
				best = s
			}
		}
		if best >= 0.3 {
			all = append(all, scored{c.ID, best})
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].score > all[j].score })
	var out []int64
	for i := 0; i < len(all) && i < n; i++ {
		out = append(out, all[i].id)
	}
	return out
}

// similarity is the Dice coefficient over character bigrams.
func similarity(a, b []rune) float64 {
	if len(a) < 2 || len(b) < 2 {
		return 0
	}
	grams := map[[2]rune]int{}
	for i := 0; i+1 < len(a); i++ {
		grams[[2]rune{a[i], a[i+1]}]++
	}
	common := 0
	for i := 0; i+1 < len(b); i++ {
		k := [2]rune{b[i], b[i+1]}
		if grams[k] > 0 {
			grams[k]--
			common++
		}
	}
	return 2 * float64(common) / float64(len(a)-1+len(b)-1)
}
