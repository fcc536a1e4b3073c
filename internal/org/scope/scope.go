// Package scope turns an actor's jurisdiction into SQL. A Scope is the union
// of region subtrees (territorial governments and the committee office of a
// level see their region), the actor's own unit, the enterprises its unit
// supervises (三管三必须: 管行业必须管安全) and explicit grants (an object
// listed by a higher office is visible to that office; a development zone
// without a region code is reached by a grant).
//
// Region codes are prefixes of their children (省2位/市4位/县6位/乡镇9位), so
// a subtree is the half-open range [prefix, next(prefix)), which both
// SQLite and PostgreSQL answer from a B-tree index.
//
// Every list, get and count in anwei renders its actor's Scope with one of the
// methods here; a zero Scope sees nothing.
package scope

import (
	"strings"
)

// Scope is what an actor may see.
type Scope struct {
	All     bool     `json:"all"`               // system admin: everything
	Regions []string `json:"regions,omitempty"` // region subtrees seen in full
	Units   []int64  `json:"units,omitempty"`   // units seen as themselves (the actor's own)
	Grantee int64    `json:"grantee,omitempty"` // unit whose grants and supervisions apply
	Area    string   `json:"area,omitempty"`    // region of the actor's unit: the geography it may browse
}

// Empty reports whether the scope sees nothing at all.
func (s Scope) Empty() bool {
	return !s.All && len(s.Regions) == 0 && len(s.Units) == 0 && s.Grantee == 0 && s.Area == ""
}

// next returns the smallest string greater than every string with prefix p.
func next(p string) string {
	b := []byte(p)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] < 0xff {
			b[i]++
			return string(b[:i+1])
		}
	}
	return p + "\xff"
}

// InRegion renders "col lies in the subtree of prefix".
func InRegion(col, prefix string) (string, []any) {
	return "(" + col + " >= ? AND " + col + " < ?)", []any{prefix, next(prefix)}
}

type cond struct {
	parts []string
	args  []any
}

func (c *cond) add(sql string, args ...any) {
	c.parts = append(c.parts, sql)
	c.args = append(c.args, args...)
}

func (c *cond) regions(col string, prefixes []string) {
	for _, p := range prefixes {
		s, a := InRegion(col, p)
		c.add(s, a...)
	}
}

func (c *cond) units(col string, ids []int64) {
	if len(ids) == 0 {
		return
	}
	ph := strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",")
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	c.add(col+" IN ("+ph+")", args...)
}

func (c *cond) sql() (string, []any) {
	if len(c.parts) == 0 {
		return "1=0", nil
	}
	return "(" + strings.Join(c.parts, " OR ") + ")", c.args
}

// Units renders the condition for rows that belong to a unit: regionCol is
// the unit's region code, idCol the unit's id.
func (s Scope) UnitsWhere(regionCol, idCol string) (string, []any) {
	if s.All {
		return "1=1", nil
	}
	var c cond
	c.regions(regionCol, s.Regions)
	c.units(idCol, s.Units)
	if s.Grantee != 0 {
		c.add(idCol+" IN (SELECT object_id FROM scope_grants WHERE unit_id = ? AND object_kind = 'unit')", s.Grantee)
		c.add(idCol+" IN (SELECT enterprise_id FROM supervisions WHERE dept_id = ?)", s.Grantee)
	}
	return c.sql()
}

// RegionsWhere renders the condition for region rows: the scope's regions and
// the area of the actor's unit.
func (s Scope) RegionsWhere(codeCol string) (string, []any) {
	if s.All {
		return "1=1", nil
	}
	var c cond
	c.regions(codeCol, s.Regions)
	if s.Area != "" {
		c.regions(codeCol, []string{s.Area})
	}
	return c.sql()
}

// EventsWhere renders the condition for audit events: those about the
// scope's regions and those made by its own units.
func (s Scope) EventsWhere(regionCol, unitCol string) (string, []any) {
	if s.All {
		return "1=1", nil
	}
	var c cond
	c.regions(regionCol, s.Regions)
	c.units(unitCol, s.Units)
	return c.sql()
}

// Union returns a scope that sees what either sees.
func (s Scope) Union(o Scope) Scope {
	u := Scope{All: s.All || o.All, Grantee: s.Grantee, Area: s.Area}
	if u.Grantee == 0 {
		u.Grantee = o.Grantee
	}
	if u.Area == "" {
		u.Area = o.Area
	}
	u.Regions = appendNew(append([]string(nil), s.Regions...), o.Regions...)
	u.Units = append([]int64(nil), s.Units...)
	for _, id := range o.Units {
		found := false
		for _, x := range u.Units {
			found = found || x == id
		}
		if !found {
			u.Units = append(u.Units, id)
		}
	}
	return u
}

func appendNew(dst []string, src ...string) []string {
	for _, s := range src {
		found := false
		for _, d := range dst {
			found = found || d == s
		}
		if !found {
			dst = append(dst, s)
		}
	}
	return dst
}
