package plan

import (
	"regexp"
	"strings"
)

// A responsibility clause: a parenthetical naming units —
// (责任单位:…), (牵头单位:… 配合单位:…), (…分工负责), (…会同…负责) — or a
// trailing 责任单位:… sentence.
var (
	reParen    = regexp.MustCompile(`\(([^()]*(?:\([^()]*\)[^()]*)*)\)`)
	reTrailing = regexp.MustCompile(`责任单位:([^。()]+)`)
	rePrefix   = regexp.MustCompile(`^(?:责任单位|牵头单位|负责单位|责任部门|牵头部门)\s*:`)
)

func isClause(inner string) bool {
	inner = strings.TrimSpace(inner)
	return rePrefix.MatchString(inner) || strings.HasSuffix(inner, "负责") && runeLen(inner) > 4
}

func hasClause(text string) bool {
	for _, m := range reParen.FindAllStringSubmatch(text, -1) {
		if isClause(m[1]) {
			return true
		}
	}
	return reTrailing.MatchString(text)
}

// tasksOf splits an item's text at its responsibility clauses: each clause
// covers the text since the previous one. No clause: one task, no units.
func tasksOf(text string) []Task {
	var tasks []Task
	last := 0
	for _, m := range reParen.FindAllStringSubmatchIndex(text, -1) {
		inner := text[m[2]:m[3]]
		if !isClause(inner) {
			continue
		}
		lead, support := unitsOf(inner)
		tasks = append(tasks, Task{Text: strings.Trim(text[last:m[0]], "。 "), Lead: lead, Support: support})
		last = m[1]
	}
	if len(tasks) == 0 {
		if m := reTrailing.FindStringSubmatchIndex(text); m != nil {
			lead, support := unitsOf(text[m[0]:m[1]])
			tasks = append(tasks, Task{Text: strings.Trim(text[:m[0]], "。 "), Lead: lead, Support: support})
		}
	}
	if len(tasks) == 0 {
		tasks = []Task{{Text: strings.Trim(text, "。 "), Lead: []string{}, Support: []string{}}}
	}
	return tasks
}

// unitsOf reads one clause into its lead and support units.
func unitsOf(clause string) (lead, support []string) {
	c := strings.TrimSpace(clause)
	if i := strings.Index(c, "牵头单位:"); i >= 0 {
		rest := c[i+len("牵头单位:"):]
		sup := ""
		for _, k := range []string{"配合单位:", "参与单位:", "协办单位:"} {
			if j := strings.Index(rest, k); j >= 0 {
				rest, sup = rest[:j], rest[j+len(k):]
				break
			}
		}
		return flatten(splitUnits(rest)), flatten(splitUnits(sup))
	}
	c = rePrefix.ReplaceAllString(c, "")
	for _, suf := range []string{"分工负责", "共同负责", "按职责分工负责", "负责"} {
		c = strings.TrimSuffix(c, suf)
	}
	if i := strings.Index(c, "会同"); i >= 0 {
		return flatten(splitUnits(c[:i])), flatten(splitUnits(c[i+len("会同"):]))
	}
	groups := splitUnits(c)
	if len(groups) == 0 {
		return []string{}, []string{}
	}
	return groups[0], flatten(groups[1:])
}

func flatten(gs [][]string) []string {
	out := []string{}
	for _, g := range gs {
		out = append(out, g...)
	}
	return out
}

// owners are the endings of a unit name's owner part: in 自治区党委组织部、宣传部
// the second name borrows 自治区党委.
var owners = []string{"党工委", "党委", "省委", "市委", "区委", "县委", "人民政府", "政府", "新区", "自治区", "省", "市", "州", "区", "县"}

// splitUnits splits a list of units into groups: each name is a group of
// its own, except that the names an elision stands for share the group of
// the name they continue (各市党委、政府 → [各市党委, 各市政府]), so they share
// its role.
func splitUnits(s string) [][]string {
	var groups [][]string
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' }) {
		prev := ""
		for _, raw := range strings.Split(part, "、") {
			u := cleanUnit(raw)
			if u == "" {
				continue
			}
			elided := false
			switch {
			case prev != "" && strings.HasPrefix(prev, "各") && runeLen(prev) == 2 && runeLen(u) > 2:
				// 各州、市人民政府: 各州人民政府 and 各市人民政府
				last := groups[len(groups)-1]
				last[len(last)-1] = prev + string([]rune(u)[1:])
				u, elided = "各"+u, true
			case prev != "" && runeLen(u) <= 4 && !startsOwned(u):
				if o := ownerOf(prev); o != "" {
					// 各市党委、政府 (党政同责) share a role; 应急管理厅、财政厅
					// are two departments, each its own unit.
					u, elided = o+u, sharesRole(u)
				}
			}
			if elided {
				groups[len(groups)-1] = append(groups[len(groups)-1], u)
			} else {
				groups = append(groups, []string{u})
			}
			prev = u
		}
	}
	return groups
}

// sharesRole tells the elided names that pair with the name they continue
// as one responsible body: the government or committee beside a party committee.
func sharesRole(u string) bool {
	for _, k := range []string{"政府", "管委会", "党委", "党工委"} {
		if strings.HasSuffix(u, k) {
			return true
		}
	}
	return false
}

func startsOwned(u string) bool {
	for _, p := range []string{"各", "自治区", "省", "市", "区", "县", "州", "中央", "国家", "有关", "负有", "雄安", "新疆", "全国"} {
		if strings.HasPrefix(u, p) {
			return true
		}
	}
	return false
}

// ownerOf returns the longest proper prefix of name that ends in an owner.
func ownerOf(name string) string {
	best := ""
	for _, o := range owners {
		for i := strings.Index(name, o); i >= 0; {
			end := i + len(o)
			if end < len(name) && end > len(best) && runeLen(name[:end]) >= 2 {
				best = name[:end]
			}
			j := strings.Index(name[end:], o)
			if j < 0 {
				break
			}
			i = end + j
		}
	}
	return best
}

func cleanUnit(s string) string {
	s = strings.TrimSpace(s)
	s = strings.Trim(s, "。:")
	for _, suf := range []string{"分工负责", "负责", "牵头", "配合"} {
		s = strings.TrimSuffix(s, suf)
	}
	s = strings.TrimSuffix(s, "等")
	return strings.TrimSpace(s)
}
