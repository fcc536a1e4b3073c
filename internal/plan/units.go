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
