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
	rePrefix   = regexp.MustCompile(`^(?:责任单位|牵头单位|牵头责任单位|主责单位|负责单位|责任部门|牵头部门)\s*:`)
)

func isClause(inner string) bool {
	inner = strings.TrimSpace(inner)
	return rePrefix.MatchString(inner) || endsWithAny(inner, []string{"负责", "牵头", "配合", "协同"}) && runeLen(inner) > 4
}

// reBracket is a clause some plans print in 〔〕 (a 文号's 〔2024〕 holds a
// year, no clause).
var reBracket = regexp.MustCompile(`〔([^〔〕]*)〕`)

// bracketsAsParens reads 〔…〕 around a clause as (…).
func bracketsAsParens(text string) string {
	return reBracket.ReplaceAllStringFunc(text, func(m string) string {
		inner := strings.TrimSuffix(strings.TrimPrefix(m, "〔"), "〕")
		if isClause(inner) {
			return "(" + inner + ")"
		}
		return m
	})
}

func hasClause(text string) bool {
	text = bracketsAsParens(text)
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
	text = bracketsAsParens(text)
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
