package plan

import (
	"regexp"
	"slices"
	"strings"
)

// The names of one list of a responsibility clause (units.go's grammar,
// list and member): where 、, 和 and 及 divide it, what a 等 tail is, and
// how elided names expand — shared heads over areas, parenthesised
// alternatives, organs continuing an owner's name.

// unitEnds are the endings of a unit's name: 和 after one starts another
// unit (市交通局和各有关单位), 和 inside a name does not (工业和信息化局).
var unitEnds = []string{"局", "厅", "委", "办", "部", "院", "会", "队", "处", "站", "所", "室", "中心", "公司", "集团", "政府", "党委",
	"党工委", "单位", "部门", "街道", "园区", "镇", "乡", "社区", "银行", "署", "团"}

func hasUnitEnd(s string) bool { return endsWithAny(s, unitEnds) }

// areas are the bare kinds of area an elided list distributes over, the
// longest first (自治县 before 县).
var areas = []string{"县市区", "区县", "县区市", "自治县", "自治州", "自治旗", "民族乡", "开发区", "管理区", "高新区", "经开区", "县区", "市县", "市州", "乡镇",
	"街道", "园区", "社区", "省", "市", "州", "盟", "县", "区", "旗", "乡", "镇", "村"}

// prefixes distribute over the members of a list (各县、自治县 …).
var prefixes = []string{"各有关", "各相关", "全市各", "全县各", "全区各", "各"}

// splitPrefix cuts a distributing prefix off s.
func splitPrefix(s string) (string, string) {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) && len(s) > len(p) {
			return p, s[len(p):]
		}
	}
	return "", s
}

// leadingArea is the longest area kind s starts with ("" when none).
func leadingArea(s string) string {
	for _, a := range areas {
		if strings.HasPrefix(s, a) {
			return a
		}
	}
	return ""
}

// isArea reports whether s is an area kind and nothing else.
func isArea(s string) bool { return s != "" && slices.Contains(areas, s) }

// heads that pair with alternatives in parentheses: 政府(管委会).
var organs = []string{"人民政府", "政府", "党委", "党工委", "管委会", "工委", "办事处", "党组"}

// parseList reads a list of units into groups: each name a group of its
// own, the names an elided one stands for in the group of the name they
// continue (so they share its role).
func parseList(s string) [][]string {
	s = strings.ReplaceAll(trimMarkers(s), "党(工)委", "党委")
	var members []string
	for _, raw := range splitOutside(s, '、') {
		members = append(members, splitAnd(raw)...)
	}
	members, field := dropTail(members)
	var groups [][]string
	for i := 0; i < len(members); i++ {
		m := cleanUnit(members[i])
		if m == "" {
			continue
		}
		if field != "" {
			groups = append(groups, []string{m + field})
			continue
		}
		// 各县、自治县人民政府: a prefix and bare areas, closed by an area
		// with a head, or by bare areas alone (各镇、街道).
		if p, as, head := decompose(m); p != "" && len(as) > 0 && head == "" && i+1 < len(members) {
			if g, n := sharedHead(p, as, members[i+1:]); n > 0 {
				groups = append(groups, g)
				i += n
				continue
			}
		}
		alts := alternatives(m)
		if len(groups) > 0 && len(alts) == 1 {
			// An elided name continues every name of the group before it:
			// 各县(市、区)党委、政府 → 各县政府, 各市政府, 各区政府.
			prev := groups[len(groups)-1]
			var us []string
			shares := false
			for _, p := range prev {
				u, sh := elided(p, alts[0])
				if u == "" {
					us = nil
					break
				}
				us, shares = appendNew(us, u), sh
			}
			if len(us) > 0 {
				if shares {
					groups[len(groups)-1] = appendNew(prev, us...)
				} else {
					groups = append(groups, us)
				}
				continue
			}
		}
		groups = append(groups, alts)
	}
	return groups
}

// decompose reads a member as a prefix, the areas it names and a head:
// 各市(州) → 各, [市 州], ""; 县(市、区)人民政府 → "", [县 市 区], 人民政府. No
// areas when it does not start with one.
func decompose(m string) (p string, as []string, head string) {
	p, rest := splitPrefix(m)
	a := leadingArea(rest)
	if a == "" {
		return p, nil, rest
	}
	as, rest = []string{a}, rest[len(a):]
	if strings.HasPrefix(rest, "(") {
		end := closing(rest, 0)
		if end < 0 {
			return p, nil, m
		}
		for _, x := range strings.Split(rest[1:end], "、") {
			if !isArea(x) {
				return p, nil, m
			}
			as = append(as, x)
		}
		rest = rest[end+1:]
	}
	return p, as, rest
}

// sharedHead expands 各县、自治县人民政府 (各市(州)、县(市、区)人民政府) from
// its first member's prefix p and areas, and the members after it: the
// group and how many of rest it took.
func sharedHead(p string, first []string, rest []string) ([]string, int) {
	seen := append([]string(nil), first...)
	expand := func(head string) []string {
		var g []string
		for _, x := range seen {
			g = appendNew(g, p+x+head)
		}
		return g
	}
	for j, raw := range rest {
		q, as, head := decompose(cleanUnit(raw))
		// A head naming a group of its own (市安委会有关成员单位) is another
		// body, not the areas' shared head.
		if len(as) == 0 || (q != "" && q != p) || strings.ContainsAny(head, "()") ||
			strings.Contains(head, "有关") || strings.Contains(head, "相关") || strings.Contains(head, "成员") || strings.Contains(head, "各") {
			break
		}
		seen = append(seen, as...)
		if head != "" {
			return expand(head), j + 1
		}
		if j == len(rest)-1 { // bare areas alone: 各镇、街道
			return expand(""), j + 1
		}
	}
	return nil, 0
}

// splitAnd splits a member at 和, 及 and 以及 where what precedes ends a
// unit's name (市交通局和各有关单位), or what follows starts one (…和各…).
func splitAnd(s string) []string {
	for _, sep := range []string{"以及", "及", "和"} {
		for i := strings.Index(s, sep); i > 0; {
			left, right := s[:i], s[i+len(sep):]
			if right != "" && (hasUnitEnd(left) || strings.HasPrefix(right, "各")) {
				return append(splitAnd(left), splitAnd(right)...)
			}
			j := strings.Index(s[i+len(sep):], sep)
			if j < 0 {
				break
			}
			i += len(sep) + j
		}
	}
	return []string{s}
}

// tails that follow 等 without being a unit of their own.
var reEtc = regexp.MustCompile(`等(?:[\p{Han}]{0,10}?(?:各|其他|其它|有关|相关|成员)*(部门|单位|机构))?$`)

// dropTail cuts a 等 tail off the list's last member. When every member
// before it is a bare field (应急管理、水利等部门), the tail's head names
// them: it comes back as field, to be added to each.
func dropTail(members []string) ([]string, string) {
	if len(members) == 0 {
		return members, ""
	}
	last := strings.TrimSpace(members[len(members)-1])
	m := reEtc.FindStringSubmatchIndex(last)
	if m == nil || m[0] == 0 {
		return members, ""
	}
	head := ""
	if m[2] >= 0 {
		head = last[m[2]:m[3]]
	}
	out := append(members[:len(members)-1:len(members)-1], last[:m[0]])
	bare := head != "" && !strings.Contains(last[m[0]:], "有关") && !strings.Contains(last[m[0]:], "相关")
	for _, x := range out {
		if hasUnitEnd(cleanUnit(x)) || strings.HasPrefix(x, "各") {
			bare = false
		}
	}
	if bare {
		return out, head
	}
	return out, ""
}

// alternatives reads the parenthesised alternatives of a member:
// 各乡(镇、街道) → 各乡, 各镇, 各街道; 各县(市、区)人民政府 → each with the head;
// 各县(区)政府(管委会) → 各县政府, 各区管委会 (paired in order). A parenthesis
// that is no alternative (an alias: 市应急局(市安委办)) is left out.
func alternatives(m string) []string {
	i := strings.Index(m, "(")
	if i < 0 {
		return []string{strings.TrimSpace(strings.ReplaceAll(m, ")", ""))}
	}
	end := closing(m, i)
	if end < 0 || !balanced(m) { // unpaired: what precedes it
		return []string{strings.TrimSpace(strings.ReplaceAll(m[:i], ")", ""))}
	}
	base, inside, after := m[:i], strings.Split(m[i+1:end], "、"), m[end+1:]
	p, area := splitPrefix(base)
	if !isArea(area) {
		// base ends in an area after other words (市各县(区)): the area is its tail
		for _, a := range areas {
			if strings.HasSuffix(base, a) {
				p, area = strings.TrimSuffix(base, a), a
				break
			}
		}
	}
	allAreas := isArea(area)
	for _, x := range inside {
		allAreas = allAreas && isArea(x)
	}
	if !allAreas { // an alias or a note
		return alternatives(base + after)
	}
	kinds := append([]string{area}, inside...)
	// A second parenthesis pairs heads with the kinds: 政府(管委会).
	heads := []string{withoutParens(after)}
	if k := strings.Index(after, "("); k >= 0 && strings.HasSuffix(after, ")") && closing(after, k) == len(after)-1 {
		hs := strings.Split(after[k+1:len(after)-1], "、")
		organ := func(h string) bool { return endsWithAny(h, organs) }
		if len(hs) == len(kinds)-1 && organ(after[:k]) && !slices.ContainsFunc(hs, func(h string) bool { return !organ(h) }) {
			heads = append([]string{withoutParens(after[:k])}, hs...)
		}
	}
	var out []string
	for n, kind := range kinds {
		h := heads[0]
		if len(heads) == len(kinds) {
			h = heads[n]
		}
		out = append(out, p+kind+h)
	}
	return out
}

// elided expands a member that continues the name before it: 各市党委、政府
// → 各市政府 (sharing its role: 党政同责), 自治区党委组织部、宣传部 →
// 自治区党委宣传部 (a unit of its own), 县直各部门、各单位 → 县直各单位. "" when
// u stands on its own.
func elided(prev, u string) (string, bool) {
	switch {
	case (u == "各单位" || u == "各部门") && (strings.HasSuffix(prev, "各部门") || strings.HasSuffix(prev, "各单位")) && len(prev) > len(u):
		return strings.TrimSuffix(strings.TrimSuffix(prev, "各部门"), "各单位") + u, true
	case runeLen(u) <= 4 && !startsOwned(u):
		if o := ownerOf(prev); o != "" {
			return o + u, sharesRole(u)
		}
	}
	return "", false
}

// sharesRole tells the elided names that pair with the name they continue
// as one responsible body: the government or committee beside a party committee.
func sharesRole(u string) bool {
	return endsWithAny(u, []string{"政府", "管委会", "党委", "党工委"})
}

func startsOwned(u string) bool {
	for _, p := range []string{"各", "自治区", "省", "市", "区", "县", "州", "中央", "国家", "有关", "负有", "雄安", "新疆", "全国"} {
		if strings.HasPrefix(u, p) {
			return true
		}
	}
	return false
}

// owners are the endings of a unit name's owner part: in 自治区党委组织部、宣传部
// the second name borrows 自治区党委, in 各乡镇党委、政府 各乡镇.
var owners = []string{"党工委", "党委", "省委", "市委", "区委", "县委", "人民政府", "政府", "新区", "自治区", "乡镇", "街道", "省", "市", "州", "区", "县"}

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
	s = trimMarkers(s)
	s = strings.TrimSuffix(s, "等")
	return strings.TrimSpace(s)
}
