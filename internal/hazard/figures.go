package hazard

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"anwei/internal/codes"
	"anwei/internal/enterprise"
	"anwei/internal/org"
	"anwei/internal/store"
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

// pct is n of d in percent, rounded to one decimal (8 of 12: 66.7). Over
// no items it is 100 — nothing left to rectify; pages show "—" there
// (web's share).
func pct(n, d int) float64 {
	if d == 0 {
		return 100
	}
	return math.Round(float64(n)*1000/float64(d)) / 10
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

// unitCount is a part of the figures: an enterprise's (unit set) or a
// source's (source set).
type unitCount struct {
	unit   int64
	region string
	source string
	Count
}

// Figures reads hazard_counts (kept with every change) for the year's
// reported and closed hazards and the open major ones, grouped once by
// enterprise and once by source, and counts the overdue (derived, never
// stored) per enterprise and per source over the open hazards' indexes.
// A year outside 2000–2100 (0: none asked for) means the current one.
func (s *Service) Figures(ctx context.Context, a *org.Actor, year int) (Figures, error) {
	if err := a.Require(org.PermOrgRead); err != nil {
		return Figures{}, err
	}
	today := s.today()
	if year < 2000 || year > 2100 {
		year, _ = strconv.Atoi(today[:4])
	}
	f := Figures{Year: year, Today: today}
	cw, cargs := a.Scope.UnitsWhere("c.region_code", "c.unit_id")
	hw, hargs := a.Scope.UnitsWhere("h.region_code", "h.unit_id")
	yearly := "SUM(c.reported), SUM(c.closed), SUM(c.major), SUM(c.major_closed), 0, 0 FROM hazard_counts c WHERE c.year = ? AND " + cw
	// Overdue: for each enterprise, and for each source, a count over a
	// range of the open hazards' index (deadline passed).
	overdue := "SELECT COUNT(*) FROM hazards h WHERE h.state <> 'closed' AND h.%s = %s AND h.deadline > '' AND h.deadline < ? AND " + hw
	uw, uargs := a.Scope.UnitsWhere("u.region_code", "u.id")
	byUnit := "SELECT u.id, u.region_code, '', 0, 0, 0, 0, 0, (" + fmt.Sprintf(overdue, "unit_id", "u.id") +
		") FROM " + org.UnitsView + " u WHERE u.kind = 'enterprise' AND " + uw
	sources := make([]string, len(Sources))
	var sargs []any
	for i, c := range Sources {
		sources[i] = "SELECT CAST(? AS TEXT) AS k"
		sargs = append(sargs, c.Key)
	}
	bySource := "SELECT 0, '', s.k, 0, 0, 0, 0, 0, (" + fmt.Sprintf(overdue, "source", "s.k") + ") FROM (" +
		strings.Join(sources, " UNION ALL ") + ") s"
	queries := []struct {
		sql  string
		args []any
	}{
		{"SELECT c.unit_id, MAX(c.region_code), '', " + yearly + " GROUP BY c.unit_id", append([]any{year}, cargs...)},
		{"SELECT 0, '', c.source, " + yearly + " GROUP BY c.source", append([]any{year}, cargs...)},
		{`SELECT c.unit_id, MAX(c.region_code), c.source, 0, 0, 0, 0, SUM(c.open_major), 0 FROM hazard_counts c
			WHERE c.open_major > 0 AND ` + cw + " GROUP BY c.unit_id, c.source", cargs},
		{byUnit, append(append([]any{f.Today}, hargs...), uargs...)},
		{bySource, append(append([]any{f.Today}, hargs...), sargs...)},
	}
	// The parts are independent reads: they run side by side on the
	// reading connections (a consistent snapshot is not needed; each
	// figure is exact as of its own read).
	found := make([][]unitCount, len(queries))
	errs := make([]error, len(queries))
	var wg sync.WaitGroup
	for i, q := range queries {
		wg.Go(func() { errs[i] = s.each(ctx, &found[i], q.sql, q.args...) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return f, err
	}
	var parts []unitCount
	for _, p := range found {
		parts = append(parts, p...)
	}
	return f, s.breakdown(ctx, parts, &f)
}

// breakdown adds parts up into the figures' total and their lines by
// street, department and category (the enterprises' parts) and source
// (the parts with a source).
func (s *Service) breakdown(ctx context.Context, parts []unitCount, f *Figures) error {
	units := map[int64]bool{}
	var ids []int64
	parts = slices.DeleteFunc(parts, func(p unitCount) bool { return p.Count == Count{} })
	for _, p := range parts {
		if p.unit != 0 && !units[p.unit] {
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
		if p.source != "" {
			bump(bySource, p.source, p.Count)
		}
		if p.unit == 0 {
			continue
		}
		f.All.add(p.Count)
		bump(byRegion, street(p.region), p.Count)
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
	f.BySource = sorted(bySource, func(k string) string { return codes.NameOf(Sources, k) })
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
	us, err := store.Collect(rows, err, func(r store.Scanner) (unitCount, error) {
		var u unitCount
		err := r.Scan(&u.unit, &u.region, &u.source, &u.Total, &u.Closed, &u.Major, &u.MajorClosed, &u.OpenMajor, &u.Overdue)
		return u, err
	})
	*out = append(*out, us...)
	return err
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
		return store.Each(rows, err, func(r store.Scanner) error {
			var k, n string
			if err := r.Scan(&k, &n); err != nil {
				return err
			}
			out[prefix+k] = n
			return nil
		})
	}
	if err := read("SELECT code, name FROM "+org.RegionsView+" r WHERE code", regions, "r", func(k string) any { return k }); err != nil {
		return nil, err
	}
	err := read("SELECT CAST(id AS TEXT), label FROM "+org.UnitsView+" u WHERE id", depts, "u",
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
