package enterprise

import (
	"context"
	"strings"

	"anwei/internal/org"
	"anwei/internal/paging"
	"anwei/internal/rules"
	"anwei/internal/store"
)

// Orders are the enterprise list's sort keys (?sort=, issue 16.4): each
// names the SQL it orders by; nothing a request says reaches the SQL.
var Orders = paging.Orders{
	"name":     "e.name",
	"code":     "e.credit_code",
	"street":   "e.region_code", // streets in their GB/T 2260 order
	"industry": "e.industry_code",
	"class":    "e.class",
	"major":    "e.major_grade",
	"std":      "e.std_level",
	"status":   "e.status",
	"staff":    "e.staff",
	"updated":  "e.updated_at",
}

// Oversight is what the lists officials work from show beside an
// enterprise (issue 16.4): the street it lies in, its trade (GB/T 4754
// industry and 监管类别) and the departments supervising it (三管三必须).
// Names only: the codes stay on the records that carry them.
type Oversight struct {
	StreetName    string   `json:"street_name,omitempty"`
	IndustryName  string   `json:"industry_name,omitempty"`
	CategoryNames []string `json:"category_names,omitempty"`
	DeptNames     []string `json:"dept_names,omitempty"`
}

// Depts are the supervising departments' names joined with 、.
func (o Oversight) Depts() string { return strings.Join(o.DeptNames, "、") }

// Categories are the 监管类别 joined with 、.
func (o Oversight) Categories() string { return strings.Join(o.CategoryNames, "、") }

// Oversights reads the Oversight of enterprises already read in the
// caller's scope (a page of a listing), in one query for all of them:
// a batch per page, never a query per row. The street is the township
// (the first nine digits of the region code: a community lies under its
// street); the departments come in id order, by their short names.
func (s *Service) Oversights(ctx context.Context, ids []int64) (map[int64]Oversight, error) {
	out := make(map[int64]Oversight, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	uniq := map[int64]bool{}
	args := make([]any, 0, len(ids))
	for _, id := range ids {
		if !uniq[id] {
			uniq[id] = true
			args = append(args, id)
		}
	}
	rows, err := s.db.Query(ctx, `SELECT e.unit_id, COALESCE(rs.name, ''), e.industry_code, e.categories, COALESCE(u.label, '')
		FROM enterprises e
		LEFT JOIN `+org.RegionsView+` rs ON LENGTH(e.region_code) >= 9 AND rs.code = SUBSTR(e.region_code, 1, 9)
		LEFT JOIN `+org.SupervisionsView+` sv ON sv.enterprise_id = e.unit_id
		LEFT JOIN `+org.UnitsView+` u ON u.id = sv.dept_id
		WHERE e.unit_id IN (?`+strings.Repeat(", ?", len(args)-1)+`)
		ORDER BY e.unit_id, sv.dept_id`, args...)
	err = store.Each(rows, err, func(r store.Scanner) error {
		var id int64
		var street, industry, cats, dept string
		if err := r.Scan(&id, &street, &industry, &cats, &dept); err != nil {
			return err
		}
		o, seen := out[id]
		if !seen {
			o.StreetName = street
			if i, ok := rules.IndustryByCode(industry); ok {
				o.IndustryName = i.Name
			}
			for _, c := range splitList(cats) {
				o.CategoryNames = append(o.CategoryNames, CategoryName(c))
			}
		}
		if dept != "" {
			o.DeptNames = append(o.DeptNames, dept)
		}
		out[id] = o
		return nil
	})
	return out, err
}

// oversee fills the street and departments of a page of records.
func (s *Service) oversee(ctx context.Context, es []Enterprise) error {
	ids := make([]int64, len(es))
	for i, e := range es {
		ids[i] = e.UnitID
	}
	os, err := s.Oversights(ctx, ids)
	if err != nil {
		return err
	}
	for i := range es {
		o := os[es[i].UnitID]
		es[i].StreetName, es[i].DeptNames = o.StreetName, o.DeptNames
	}
	return nil
}

// Depts are the supervising departments' names joined with 、 (filled by
// the listings).
func (e Enterprise) Depts() string { return strings.Join(e.DeptNames, "、") }
