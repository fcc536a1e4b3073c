// Package plan turns a year's 安全生产工作要点 into tracked work. This file
// is the pure parser: text in, the anwei.plan/v1 structure out (items with
// their responsibility clauses — 责任单位, 牵头/会同, 分工负责 — and their
// time obligations — 每季度至少1次, 6月底前 …), following the labelling rules
// of shared/plans/SPEC.md. It knows no particular document: the levels of
// the numbering styles are read from what nests in what (levels.go), so
// 一、/(一)/1./(1) in any combination give the item tree.
package plan

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Schema names the output contract.
const Schema = "anwei.plan/v1"

// Parsed is a parsed plan (contract anwei.plan/v1).
type Parsed struct {
	Schema    string   `json:"schema"`
	Title     string   `json:"title"`
	Year      *int     `json:"year"`
	Issuer    *string  `json:"issuer"`
	DocNumber *string  `json:"doc_number"`
	Date      *string  `json:"date"`
	Reports   []Report `json:"reports"`
	Items     []Item   `json:"items"`
}

// Report is a report-back duty of the notice.
type Report struct {
	Due  string `json:"due"`
	What string `json:"what"`
}

// Item is one numbered item of work.
type Item struct {
	Ref         string       `json:"ref"`
	Heading     string       `json:"heading"`
	Section     string       `json:"section"`
	Text        string       `json:"text"`
	Tasks       []Task       `json:"tasks"`
	Obligations []Obligation `json:"obligations"`
}

// Task is the text a responsibility clause covers and its units.
type Task struct {
	Text    string   `json:"text"`
	Lead    []string `json:"lead"`
	Support []string `json:"support"`
}

// Obligation is a frequency or a deadline stated in an item.
type Obligation struct {
	Kind   string `json:"kind"` // recurring | deadline
	Period string `json:"period,omitempty"`
	Times  *int   `json:"times,omitempty"`
	Due    string `json:"due,omitempty"`
	Cue    string `json:"cue"`
}

// ErrNotAPlan is returned for text with no numbered items.
var ErrNotAPlan = errors.New("不是工作要点: 文中没有找到编号的工作事项 (一、/(一)/1.)")

// numbering styles, in the order they are tried on a line.
type style int

const (
	styleCN       style = iota // 一、
	styleParenCN               // (一)
	styleNum                   // 1. 1、
	styleParenNum              // (1)
)

var (
	reCN       = regexp.MustCompile(`^([一二三四五六七八九十]{1,3})[、.．]\s*(.*)$`)
	reParenCN  = regexp.MustCompile(`^\(([一二三四五六七八九十]{1,3})\)\s*(.*)$`)
	reNum      = regexp.MustCompile(`^(\d{1,3})(?:[、．.])\s*(.*)$`) // "2023.5" is no number: checked in numbered
	reParenNum = regexp.MustCompile(`^\((\d{1,3})\)\s*(.*)$`)
)

// normalize folds full-width punctuation the parser cares about.
var normalizer = strings.NewReplacer("（", "(", "）", ")", "：", ":", "，", ",", "；", ";", "\u00a0", " ", "\u3000", " ", "\r", "")

func numbered(line string) (style, string, string, bool) {
	for _, c := range []struct {
		s  style
		re *regexp.Regexp
	}{{styleCN, reCN}, {styleParenCN, reParenCN}, {styleNum, reNum}, {styleParenNum, reParenNum}} {
		if m := c.re.FindStringSubmatch(line); m != nil {
			if c.s == styleNum && m[2] != "" && m[2][0] >= '0' && m[2][0] <= '9' {
				continue // a decimal such as 1.5, not an item number
			}
			num := m[1]
			if c.s == styleParenCN || c.s == styleParenNum {
				num = "(" + num + ")"
			}
			return c.s, num, m[2], true
		}
	}
	return 0, "", "", false
}

type node struct {
	level    int
	num      string
	text     []string
	children []*node
	parent   *node
}

// Parse parses a plan's plain text. year, when not zero, overrides the year
// the text states (for obligations' dates).
func Parse(text string, year int) (*Parsed, error) {
	if n := runeLen(text); n > Limits["plan_text"] {
		return nil, fmt.Errorf("全文不能超过 %d 字 (现 %d 字)", Limits["plan_text"], n)
	}
	text = normalizer.Replace(text)
	var lines []string
	for _, l := range strings.Split(text, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	p := &Parsed{Schema: Schema, Reports: []Report{}, Items: []Item{}}
	// The body starts at the first numbered line; what precedes it is the
	// notice. The styles' levels come from the whole body (levels.go).
	bodyStart := -1
	var ns []numberedLine
	for i, l := range lines {
		if st, num, _, ok := numbered(l); ok {
			if bodyStart < 0 {
				bodyStart = i
			}
			n := numberedLine{style: st, value: numberValue(num)}
			if len(ns) > 0 {
				n.top = ns[len(ns)-1].top
			}
			if st == ns0style(ns, st) {
				n.top++
			}
			ns = append(ns, n)
		}
	}
	lv := levels(ns)
	root := &node{level: 0}
	cur := root
	for i, l := range lines {
		st, num, rest, ok := numbered(l)
		if !ok || i < bodyStart || bodyStart < 0 {
			if cur != root {
				cur.text = append(cur.text, l)
			}
			continue
		}
		lvl := lv[st]
		for cur.level >= lvl {
			cur = cur.parent
		}
		n := &node{level: lvl, num: num, text: []string{rest}, parent: cur}
		cur.children = append(cur.children, n)
		cur = n
	}
	if bodyStart < 0 {
		return nil, ErrNotAPlan
	}
	notice := strings.Join(lines[:bodyStart], "\n")
	parseMeta(p, lines[:bodyStart], notice, strings.Join(lines, "\n"), year)
	planYear := 0
	if p.Year != nil {
		planYear = *p.Year
	}
	var walk func(n *node, refs []string, section string)
	walk = func(n *node, refs []string, section string) {
		for _, c := range n.children {
			r := append(append([]string(nil), refs...), c.num)
			sec := section
			if c.level == 1 {
				sec = firstSentence(c.text[0])
			}
			if len(c.children) > 0 {
				walk(c, r, sec)
				continue
			}
			if c.level == 1 && len(c.text) < 2 && !hasClause(c.text[0]) {
				continue // a bare section heading with nothing under it
			}
			p.Items = append(p.Items, makeItem(c, strings.Join(r, "."), sec, planYear))
		}
	}
	walk(root, nil, "")
	if len(p.Items) == 0 {
		return nil, ErrNotAPlan
	}
	return p, nil
}

// ns0style is the top style: that of the first numbered line (st itself
// when there is none yet).
func ns0style(ns []numberedLine, st style) style {
	if len(ns) == 0 {
		return st
	}
	return ns[0].style
}

func firstSentence(s string) string {
	if i := strings.IndexAny(s, "。"); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}

func makeItem(n *node, ref, section string, year int) Item {
	text := strings.Join(n.text, "")
	it := Item{Ref: ref, Heading: firstSentence(text), Section: section, Text: text}
	it.Tasks = tasksOf(text)
	it.Obligations = obligationsOf(text, year)
	return it
}

func runeLen(s string) int { return utf8.RuneCountInString(s) }
