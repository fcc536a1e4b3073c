package hazard

import (
	"context"
	"sort"
	"strconv"
	"strings"

	"anwei/internal/enterprise"
	"anwei/internal/org"
)

// Count is one line of the hazard figures.
type Count struct {
	Key         string `json:"key"`
	Name        string `json:"name"`
	Total       int    `json:"total"`        // reported in the year
	Closed      int    `json:"closed"`       // of those, closed
	Major       int    `json:"major"`        // reported in the year and judged 重大
	MajorClosed int    `json:"major_closed"` // of those, closed
	OpenMajor   int    `json:"open_major"`   // open major hazards now, any year (动态清零: 0)
	Overdue     int    `json:"overdue"`      // open and past the deadline now, any year
}

// Rate is 整改率: closed of reported, in percent.
func (c Count) Rate() float64 { return pct(c.Closed, c.Total) }

// MajorRate is 重大隐患整改率.
func (c Count) MajorRate() float64 { return pct(c.MajorClosed, c.Major) }

func pct(n, d int) float64 {
	if d == 0 {
		return 100
	}
	return float64(n*1000/d) / 10
}

func (c *Count) add(o Count) {
	c.Total += o.Total
	c.Closed += o.Closed
	c.Major += o.Major
	c.MajorClosed += o.MajorClosed
	c.OpenMajor += o.OpenMajor
	c.Overdue += o.Overdue
}

// Figures are the hazard figures of a year in the actor's scope, broken
// down by street (or county), supervising department, category and source.
// An enterprise in several categories or under several departments counts
// under each.
type Figures struct {
	Year       int     `json:"year"`
	Today      string  `json:"today"`
	All        Count   `json:"all"`
	ByRegion   []Count `json:"by_region"`
	ByDept     []Count `json:"by_dept"`
	ByCategory []Count `json:"by_category"`
	BySource   []Count `json:"by_source"`
}

type unitCount struct {
	unit   int64
	region string
	source string
	Count
}

// Figures reads the tally (kept with every change) for the year's
// reported and closed hazards and the open major ones, and the hazards
// themselves, through the open-hazards index, for the overdue.
func (s *Service) Figures(ctx context.Context, a *org.Actor, year int) (Figures, error) {
	if err := a.Require(org.PermOrgRead); err != nil {
		return Figures{}, err
	}
	f := Figures{Year: year, Today: s.today()}
	var parts []unitCount
	tw, targs := a.Scope.UnitsWhere("t.region_code", "t.unit_id")
	err := s.each(ctx, &parts, `SELECT t.unit_id, t.region_code, t.source,
		SUM(CASE WHEN t.year = ? THEN t.n ELSE 0 END), SUM(CASE WHEN t.year = ? AND t.open = 0 THEN t.n ELSE 0 END),
		SUM(CASE WHEN t.year = ? AND t.level = 'major' THEN t.n ELSE 0 END), SUM(CASE WHEN t.year = ? AND t.level = 'major' AND t.open = 0 THEN t.n ELSE 0 END),
		SUM(CASE WHEN t.level = 'major' AND t.open = 1 THEN t.n ELSE 0 END), 0
		FROM hazard_tally t WHERE (t.year = ? OR (t.level = 'major' AND t.open = 1)) AND `+tw+` GROUP BY t.unit_id, t.region_code, t.source`,
		append([]any{year, year, year, year, year}, targs...)...)
	if err != nil {
		return f, err
	}
	hw, hargs := a.Scope.UnitsWhere("h.region_code", "h.unit_id")
	if err := s.each(ctx, &parts, `SELECT h.unit_id, h.region_code, h.source, 0, 0, 0, 0, 0, COUNT(*) FROM hazards h
		WHERE h.state <> 'closed' AND h.deadline > '' AND h.deadline < ? AND `+hw+` GROUP BY h.unit_id, h.region_code, h.source`,
		append([]any{f.Today}, hargs...)...); err != nil {
		return f, err
	}
	return f, s.breakdown(ctx, parts, &f)
}

// breakdown adds parts up into the figures' total and their lines by
// street, department, category and source.
func (s *Service) breakdown(ctx context.Context, parts []unitCount, f *Figures) error {
	units := map[int64]bool{}
	var ids []int64
	for _, p := range parts {
		if !units[p.unit] {
			units[p.unit] = true
			ids = append(ids, p.unit)
		}
	}
	cats, err := s.ents.CategoriesOf(ctx, ids)
	if err != nil {
		return err
	}
	depts, err := s.ents.SupervisingDepts(ctx, ids)
	if err != nil {
		return err
	}
	byRegion, byDept, byCat, bySource := map[string]*Count{}, map[string]*Count{}, map[string]*Count{}, map[string]*Count{}
	bump := func(m map[string]*Count, key string, c Count) {
		if m[key] == nil {
			m[key] = &Count{Key: key}
		}
		m[key].add(c)
	}
	for _, p := range parts {
		f.All.add(p.Count)
		bump(byRegion, street(p.region), p.Count)
		bump(bySource, p.source, p.Count)
		for _, c := range cats[p.unit] {
			bump(byCat, c, p.Count)
		}
		for _, d := range depts[p.unit] {
			bump(byDept, strconv.FormatInt(d, 10), p.Count)
		}
	}
	names, err := s.names(ctx, byRegion, byDept)
	if err != nil {
		return err
	}
	f.ByRegion = sorted(byRegion, func(k string) string { return names["r"+k] })
	f.ByDept = sorted(byDept, func(k string) string { return names["u"+k] })
	f.ByCategory = sorted(byCat, enterprise.CategoryName)
	f.BySource = sorted(bySource, func(k string) string { return enterprise.NameOf(Sources, k) })
	return nil
}

// street is the street (township) a region code lies in, or the code
// itself above that level.
func street(region string) string {
	if len(region) > 9 {
		return region[:9]
	}
	return region
}

func (s *Service) each(ctx context.Context, out *[]unitCount, q string, args ...any) error {
	rows, err := s.db.Query(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var u unitCount
		if err := rows.Scan(&u.unit, &u.region, &u.source, &u.Total, &u.Closed, &u.Major, &u.MajorClosed, &u.OpenMajor, &u.Overdue); err != nil {
			return err
		}
		*out = append(*out, u)
	}
	return rows.Err()
}

// names reads the names of the regions and departments in the figures,
// keyed "r"+code and "u"+id.
func (s *Service) names(ctx context.Context, regions, depts map[string]*Count) (map[string]string, error) {
	out := map[string]string{}
	read := func(q string, keys map[string]*Count, prefix string, arg func(string) any) error {
		if len(keys) == 0 {
			return nil
		}
		var args []any
		for k := range keys {
			args = append(args, arg(k))
		}
		rows, err := s.db.Query(ctx, q+" IN (?"+strings.Repeat(", ?", len(args)-1)+")", args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var k, n string
			if err := rows.Scan(&k, &n); err != nil {
				return err
			}
			out[prefix+k] = n
		}
		return rows.Err()
	}
	if err := read("SELECT code, name FROM regions WHERE code", regions, "r", func(k string) any { return k }); err != nil {
		return nil, err
	}
	err := read("SELECT CAST(id AS TEXT), COALESCE(NULLIF(short_name, ''), name) FROM units WHERE id", depts, "u",
		func(k string) any { id, _ := strconv.ParseInt(k, 10, 64); return id })
	return out, err
}

// sorted lists m by open major hazards, then reported, naming each key.
func sorted(m map[string]*Count, name func(string) string) []Count {
	out := make([]Count, 0, len(m))
	for k, c := range m {
		c.Name = name(k)
		if c.Name == "" {
			c.Name = k
		}
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].OpenMajor != out[j].OpenMajor {
			return out[i].OpenMajor > out[j].OpenMajor
		}
		if out[i].Total != out[j].Total {
			return out[i].Total > out[j].Total
		}
		return out[i].Key < out[j].Key
	})
	return out
}
