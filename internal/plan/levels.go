package plan

import (
	"strconv"
	"strings"
)

// The levels of a plan's numbering styles, read from what nests in what
// across the whole document rather than from the order they first appear:
// a document may open with plain numbered items (1. 2.) and add a middle
// level of (一)(二) headings only in later sections, while its plain
// numbers run on without restarting. Ranked by first appearance, that
// middle heading would nest under an item.
//
// The rule: the first style is the top. A style that starts again at 1
// under another (the numbered line before its start is of that style) is
// one below it. A style whose numbers never restart, though they run
// through several sections of the top, runs straight through: it is the
// lowest, below every style that restarts (several such, in the order
// they first appear).

// numberedLine is one numbered line: its style and number.
type numberedLine struct {
	style style
	value int
	top   int // which section of the top style it is in (0 before the first)
}

// levels gives each style of the numbered lines its level (the top 1).
func levels(ns []numberedLine) map[style]int {
	if len(ns) == 0 {
		return nil
	}
	var order []style // styles in first appearance
	parents := map[style][]style{}
	last := map[style]int{}
	restarts := map[style]bool{}
	sections := map[style]map[int]bool{}
	for i, n := range ns {
		if _, seen := last[n.style]; !seen {
			order = append(order, n.style)
			sections[n.style] = map[int]bool{}
		} else if n.value <= last[n.style] {
			restarts[n.style] = true
		}
		last[n.style] = n.value
		sections[n.style][n.top] = true
		if n.value == 1 && i > 0 && ns[i-1].style != n.style {
			parents[n.style] = appendStyle(parents[n.style], ns[i-1].style)
		}
	}
	top := order[0]
	straight := map[style]bool{}
	for _, s := range order[1:] {
		straight[s] = !restarts[s] && len(sections[s]) > 1
	}
	lv := map[style]int{top: 1}
	// The styles that restart, from their parents (those known so far).
	assign := func(s style) {
		l := 2
		for _, p := range parents[s] {
			if pl, ok := lv[p]; ok && pl+1 > l {
				l = pl + 1
			}
		}
		lv[s] = l
	}
	for _, s := range order[1:] {
		if !straight[s] && !hasStraightParent(parents[s], straight) {
			assign(s)
		}
	}
	// Those running straight through, below all of them.
	bottom := 0
	for _, l := range lv {
		bottom = max(bottom, l)
	}
	for _, s := range order[1:] { // several: one below the other, as they first appear
		if straight[s] {
			bottom++
			lv[s] = bottom
		}
	}
	// Those that restart under a straight one, below it.
	for _, s := range order[1:] {
		if _, ok := lv[s]; !ok {
			assign(s)
		}
	}
	return lv
}

func appendStyle(ss []style, s style) []style {
	for _, x := range ss {
		if x == s {
			return ss
		}
	}
	return append(ss, s)
}

func hasStraightParent(ps []style, straight map[style]bool) bool {
	for _, p := range ps {
		if straight[p] {
			return true
		}
	}
	return false
}

// numberValue reads a printed item number: 3, (3), 十二, (十二).
func numberValue(num string) int {
	num = strings.Trim(num, "()")
	if v, err := strconv.Atoi(num); err == nil {
		return v
	}
	digits := map[rune]int{'一': 1, '二': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}
	v, cur := 0, 0
	for _, r := range num {
		if r == '十' {
			if cur == 0 {
				cur = 1
			}
			v += cur * 10
			cur = 0
			continue
		}
		cur = digits[r]
	}
	return v + cur
}
