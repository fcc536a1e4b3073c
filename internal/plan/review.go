package plan

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"anwei/internal/apperr"
	"anwei/internal/org"
	"anwei/internal/paging"
)

// Hash is the identity of an uploaded plan text (the same text imports once).
func Hash(text string) string {
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:])
}

// Review resolves every printed unit name of a parsed plan against the
// units the actor sees, its committee's membership and the names its office
// mapped before. Matches come sorted by printed name.
func (s *Service) Review(ctx context.Context, a *org.Actor, p *Parsed) ([]Match, []Candidate, error) {
	if err := a.Require(org.PermPlanImport); err != nil {
		return nil, nil, err
	}
	units, _, err := s.org.ListUnits(ctx, a, org.UnitFilter{Active: "1", Page: paging.Page{Limit: 500}})
	if err != nil {
		return nil, nil, err
	}
	members := map[int64]bool{}
	for _, u := range units {
		if u.Kind != org.KindCommittee {
			continue
		}
		ms, err := s.org.ListMembers(ctx, a, u.ID)
		if err != nil {
			return nil, nil, err
		}
		for _, m := range ms {
			members[m.Unit.ID] = true
		}
	}
	var cands []Candidate
	for _, u := range units {
		if u.Kind == org.KindEnterprise {
			continue
		}
		cands = append(cands, Candidate{ID: u.ID, Name: u.Name, ShortName: u.ShortName, Aliases: u.Aliases,
			Kind: string(u.Kind), Committee: members[u.ID]})
	}
	remembered, err := s.RememberedNames(ctx, a)
	if err != nil {
		return nil, nil, err
	}
	// Only the units the office may choose now: one gone from its scope
	// or closed since it was remembered is proposed no more.
	for name, ids := range remembered {
		remembered[name] = slices.DeleteFunc(ids, func(id int64) bool {
			return !slices.ContainsFunc(cands, func(c Candidate) bool { return c.ID == id })
		})
	}
	m := NewMatcher(cands, remembered)
	seen := map[string]bool{}
	var out []Match
	for _, it := range p.Items {
		for _, t := range it.Tasks {
			for _, n := range append(append([]string{}, t.Lead...), t.Support...) {
				if !seen[n] {
					seen[n] = true
					out = append(out, m.Resolve(n))
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, cands, nil
}

// Proposed turns matches into the resolution an import takes: resolved
// names to their units, and — for groups the office picks from — all the
// suggested units, which the office may narrow on the review page.
func Proposed(ms []Match) map[string][]int64 {
	out := map[string][]int64{}
	for _, m := range ms {
		switch m.How {
		case "choose":
			out[m.Name] = m.Suggestions
		case "none":
		default:
			out[m.Name] = m.Units
		}
	}
	return out
}

// CreateUnitFor creates the department a printed name means when the
// organisation lacks it ("区综合行政执法局" → 济南市天桥区综合行政执法局 in the
// office's region, the printed form kept as its short name), so the office
// can confirm a plan that names a unit nobody has entered yet. It needs the
// unit-management permission and is audited as unit.create.
func (s *Service) CreateUnitFor(ctx context.Context, a *org.Actor, printed string) (org.Unit, error) {
	if err := a.Require(org.PermPlanImport); err != nil {
		return org.Unit{}, err
	}
	printed = strings.TrimSpace(printed)
	if err := apperr.Lengths(text("printed", "单位名称", printed)); err != nil {
		return org.Unit{}, err
	}
	name := printed
	for _, level := range []string{"省", "市", "区", "县"} {
		if rest, ok := strings.CutPrefix(printed, level); ok && a.Unit.Region != "" {
			name = org.OfficialName(a.Unit.Region) + rest
			break
		}
	}
	return s.org.CreateUnit(ctx, a, org.UnitInput{Name: name, ShortName: printed, Kind: org.KindDepartment, RegionCode: a.Unit.Region})
}

// Suspect says why a printed name wants the office's eye on the review
// page, "" when it needs none: it matched no unit, or it holds 等, 和, 及 or a
// parenthesis (a tail, two units run together, alternatives) and matched
// none exactly.
func Suspect(m Match) string {
	if m.How == "none" {
		return "未对应到单位"
	}
	if m.How == "exact" {
		return ""
	}
	for _, c := range []struct{ s, why string }{{"等", "含“等”"}, {"(", "含括号"}, {"（", "含括号"}} {
		if strings.Contains(m.Name, c.s) {
			return c.why + "，请核对是否应拆分"
		}
	}
	// 和 and 及 after a unit's name (区交通局和城管局), not inside one
	// (住房和城乡建设局, 工业和信息化局).
	for _, sep := range []string{"和", "及"} {
		for i := strings.Index(m.Name, sep); i > 0; {
			if hasUnitEnd(m.Name[:i]) {
				return "含“" + sep + "”，请核对是否应拆分"
			}
			j := strings.Index(m.Name[i+len(sep):], sep)
			if j < 0 {
				break
			}
			i += len(sep) + j
		}
	}
	return ""
}

// Split puts the names a printed name splits into (市住建局等有关部门 →
// 市住建局, 市交通局) in its place in every task of p, in the same role.
func Split(p *Parsed, name string, parts []string) {
	swap := func(list []string) []string {
		var out []string
		for _, n := range list {
			if n != name {
				out = appendNew(out, n)
				continue
			}
			out = appendNew(out, parts...)
		}
		if out == nil {
			out = []string{}
		}
		return out
	}
	for i := range p.Items {
		for k := range p.Items[i].Tasks {
			t := &p.Items[i].Tasks[k]
			t.Lead, t.Support = swap(t.Lead), swap(t.Support)
		}
	}
}

// SplitNames reads what the office typed to split a name: names separated
// by 、 , ， ; or spaces.
func SplitNames(s string) []string {
	var out []string
	for _, n := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune("、,，;； \t", r) }) {
		out = appendNew(out, n)
	}
	return out
}

// remembering is what an import remembers of the office's mapping: each
// printed name of the plan with its units, and each name the office split
// (not itself still printed in the plan) with the units of the names it
// split into, followed through splits of splits in a fixed order. A split
// name is refused past the names' length limit.
func remembering(p *Parsed, resolved map[string][]int64, splits map[string][]string) (map[string][]int64, error) {
	printed := map[string]bool{}
	for _, it := range p.Items {
		for _, t := range it.Tasks {
			for _, n := range append(append([]string{}, t.Lead...), t.Support...) {
				printed[n] = true
			}
		}
	}
	out := map[string][]int64{}
	for n := range printed {
		if ids := resolved[n]; len(ids) > 0 {
			out[n] = ids
		}
	}
	var units func(name string, depth int) []int64
	units = func(name string, depth int) []int64 {
		if printed[name] || depth > 8 {
			return resolved[name]
		}
		var ids []int64
		for _, part := range splits[name] {
			for _, id := range units(part, depth+1) {
				if !slices.Contains(ids, id) {
					ids = append(ids, id)
				}
			}
		}
		return ids
	}
	for _, name := range slices.Sorted(maps.Keys(splits)) {
		if runeLen(name) > Limits["names"] || runeLen(strings.Join(splits[name], "、")) > Limits["names"] {
			return nil, apperr.Field("splits", fmt.Sprintf("拆分的单位名称不能超过 %d 字", Limits["names"]))
		}
		if printed[name] {
			continue // split into itself and more: what it maps to is what the office chose for it
		}
		if ids := units(name, 0); len(ids) > 0 {
			out[name] = ids
		}
	}
	return out, nil
}
