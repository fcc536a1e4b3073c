package plan

import (
	"regexp"
	"slices"
	"strings"
)

// The units of one responsibility clause, read by a small grammar rather
// than a list of special sentences (SPEC.md's units; issue 21's families):
//
//	clause  = segment { "," | ";" | "。" segment } [ 完成时限:… ]
//	segment = [ label ":" ] list [ marker ]     牵头单位: → lead, 配合单位: → support
//	        | list "会同" list [ marker ]        lead before, support after
//	list    = member { "、" | 和 | 及 | 以及 member } [ 等 tail ]
//	member  = [ 各 | 各有关 … ] name [ (alternatives) ] [ head [ (alternatives) ] ]
//	marker  = 牵头 | 配合 | 协同 | 协助 | 参与 | 负责 | 分工负责 …
//
// Elisions are expanded (各县、自治县人民政府 → 各县人民政府, 各自治县人民政府;
// 各乡镇党委、政府 → 各乡镇党委, 各乡镇政府; 各乡(镇、街道) → 各乡, 各镇, 各街道),
// and the names one elided name stands for share its role. Without a lead
// marker the first name (with what it expands to) leads and the rest
// support. A 等 tail (等有关部门) is no unit, unless the names before it are
// bare fields (应急管理、水利等部门 → 应急管理部门, 水利部门).

// clauseLabel is a segment's label and the role it gives.
var reLabel = regexp.MustCompile(`(牵头责任单位|牵头单位|牵头部门|主责单位|协同责任单位|配合责任单位|配合单位|配合部门|协同单位|协同部门|协办单位|参与单位|责任单位|责任部门|负责单位)\s*:`)

// reTail is where a clause stops naming units: a deadline or a note.
var reTail = regexp.MustCompile(`(完成时限|完成时间|时间节点|时限要求|完成期限)\s*:?`)

type role int

const (
	roleByPlace role = iota // lead when first and no lead is marked, else support
	roleLead
	roleSupport
)

func labelRole(label string) role {
	switch {
	case strings.HasPrefix(label, "牵头"), label == "主责单位":
		return roleLead
	case strings.HasPrefix(label, "配合"), strings.HasPrefix(label, "协"), label == "参与单位":
		return roleSupport
	}
	return roleByPlace
}

// part is a piece of a clause naming units of one role.
type part struct {
	text string
	role role
}

// unitsOf reads one clause into its lead and support units.
func unitsOf(clause string) (lead, support []string) {
	c := strings.TrimSpace(strings.ToValidUTF8(clause, " "))
	if m := reTail.FindStringIndex(c); m != nil {
		c = c[:m[0]]
	}
	var parts []part
	var add func(text string, r role)
	add = func(text string, r role) {
		// 会同 divides its whole segment, across commas: what precedes it
		// leads, what follows supports.
		if i := strings.Index(text, "会同"); i > 0 && r != roleSupport && !strings.HasPrefix(text[i+len("会同"):], "县") {
			// After a lead already marked (A牵头,B会同C), B is one more support.
			lr := roleLead
			if slices.ContainsFunc(parts, func(p part) bool { return p.role == roleLead }) {
				lr = roleSupport
			} else if strings.Contains(text[:i], "牵头") {
				lr = roleByPlace // its own markers decide; the rest supports
			}
			add(text[:i], lr)
			add(text[i+len("会同"):], roleSupport)
			return
		}
		for _, p := range splitTop(text) {
			parts = append(parts, inlineRoles(p, r)...)
		}
	}
	labels := reLabel.FindAllStringSubmatchIndex(c, -1)
	if len(labels) == 0 {
		add(c, roleByPlace)
	} else {
		add(c[:labels[0][0]], roleByPlace)
		for i, m := range labels {
			end := len(c)
			if i+1 < len(labels) {
				end = labels[i+1][0]
			}
			add(c[m[1]:end], labelRole(c[m[2]:m[3]]))
		}
	}
	marked := slices.ContainsFunc(parts, func(p part) bool { return p.role == roleLead })
	lead, support = []string{}, []string{}
	first := true
	for _, p := range parts {
		for _, g := range parseList(p.text) {
			switch {
			case p.role == roleLead, p.role == roleByPlace && !marked && first:
				lead = appendNew(lead, g...)
			default:
				support = appendNew(support, g...)
			}
			first = false
		}
	}
	// A unit that leads somewhere in the clause is not also support.
	support = slices.DeleteFunc(support, func(u string) bool { return slices.Contains(lead, u) })
	return lead, support
}

func appendNew(list []string, us ...string) []string {
	for _, u := range us {
		if u != "" && !slices.Contains(list, u) {
			list = append(list, u)
		}
	}
	return list
}

// splitTop splits at the clause's top-level separators (outside
// parentheses): , ; 。
func splitTop(s string) []string { return splitOutside(s, ',', ';', '。') }

// splitOutside splits s at the separators that stand outside parentheses
// (at all of them when the parentheses do not pair up).
func splitOutside(s string, seps ...rune) []string {
	if !balanced(s) {
		return strings.FieldsFunc(s, func(r rune) bool { return slices.Contains(seps, r) })
	}
	var out []string
	depth, start := 0, 0
	for i, r := range s {
		switch {
		case r == '(':
			depth++
		case r == ')':
			depth = max(depth-1, 0)
		case depth == 0 && slices.Contains(seps, r):
			out = append(out, s[start:i])
			start = i + len(string(r))
		}
	}
	return append(out, s[start:])
}

// balanced reports whether s's parentheses pair up, each closing one
// after its opening.
func balanced(s string) bool {
	depth := 0
	for _, r := range s {
		switch r {
		case '(':
			depth++
		case ')':
			if depth--; depth < 0 {
				return false
			}
		}
	}
	return depth == 0
}

// withoutParens is s without its parenthesised parts (notes, aliases).
func withoutParens(s string) string {
	for {
		i := strings.Index(s, "(")
		if i < 0 {
			return strings.ReplaceAll(s, ")", "")
		}
		end := closing(s, i)
		if end < 0 {
			return strings.ReplaceAll(s[:i], ")", "")
		}
		s = s[:i] + s[end+1:]
	}
}

// closing is the index in s of the parenthesis closing the one at open,
// or -1.
func closing(s string, open int) int {
	depth := 0
	for i := open; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			if depth--; depth == 0 {
				return i
			}
		}
	}
	return -1
}

// Markers that end a segment and the role they give.
var (
	leadMarkers    = []string{"牵头负责", "牵头"}
	supportMarkers = []string{"配合落实", "积极配合", "协助配合", "配合", "协同", "协助", "参与"}
	doneMarkers    = []string{"分别负责", "分别牵头", "分别落实", "按职责分工负责", "按职责分工落实", "按照职责分工负责", "根据职责分工负责", "分工负责", "共同负责", "按职责负责", "负责落实", "抓好落实", "具体落实", "落实", "负责"}
)

// inlineRoles reads a segment's own markers: "A会同B" (A leads, B
// supports), "A牵头", "B配合", "C分工负责".
func inlineRoles(s string, r role) []part {
	s = strings.TrimSpace(s)
	if i := strings.Index(s, "会同"); i > 0 && !strings.HasPrefix(s[i+len("会同"):], "县") {
		before, after := s[:i], s[i+len("会同"):]
		lr := roleLead
		if r == roleSupport {
			lr = roleSupport
		}
		return append(inlineRoles(before, lr), part{text: trimMarkers(after), role: roleSupport})
	}
	t := trimMarkers(s)
	switch {
	case r != roleByPlace:
	case endsWithAny(s, leadMarkers):
		r = roleLead
	case endsWithAny(strings.TrimSuffix(s, "负责"), supportMarkers):
		r = roleSupport
	}
	return []part{{text: t, role: r}}
}

func endsWithAny(s string, sufs []string) bool {
	for _, x := range sufs {
		if strings.HasSuffix(s, x) {
			return true
		}
	}
	return false
}

// trimMarkers takes the role and duty words off a segment's end (and a
// leading 由).
func trimMarkers(s string) string {
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "由"))
	for changed := true; changed; {
		changed = false
		for _, group := range [][]string{doneMarkers, leadMarkers, supportMarkers} {
			for _, x := range group {
				if strings.HasSuffix(s, x) && len(s) > len(x) {
					s, changed = strings.TrimSpace(strings.TrimSuffix(s, x)), true
				}
			}
		}
	}
	return s
}

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
