package enforce

import (
	"context"
	"sort"
	"time"

	"anwei/internal/org"
	"anwei/internal/rules"
	"anwei/internal/store"
)

// CaseFigures are a year's 行政处罚 in the actor's scope, for the office
// and for assessment (考核): cases opened, decided and waived, fines by
// article and department, the days from 立案 to decision, 按日连续处罚,
// and how much of what had to be published was published on time.
type CaseFigures struct {
	Year    int     `json:"year"`
	Cases   int     `json:"cases"`   // opened in the year (立案, 当场 included)
	Decided int     `json:"decided"` // of them, a fine decided (not revoked)
	Waived  int     `json:"waived"`  // 不予处罚
	Revoked int     `json:"revoked"` // decisions revoked
	Fines   float64 `json:"fines"`   // decided, yuan
	Paid    float64 `json:"paid"`    // paid, late fees included
	// AvgDays is the mean days from 立案 to decision of the ordinary
	// procedure's decided cases (当场 ones take none).
	AvgDays      float64      `json:"avg_days"`
	Daily        int          `json:"daily"` // 按日连续处罚 cases
	ByArticle    []ArticleFig `json:"by_article"`
	ByDepartment []DeptFig    `json:"by_department"`
	// Publication of the year's decisions and 双随机 results: published
	// by their day, published late, and past their day and not yet.
	OnTime      int     `json:"on_time"`
	Late        int     `json:"late"`
	Overdue     int     `json:"overdue"`
	OnTimeRate  float64 `json:"on_time_rate"` // on time / (published + overdue), per cent
	Escalations int     `json:"escalations"`  // flags raised (提请关闭, 移送, 失信)
	Flagged     int     `json:"flagged"`      // of them, still to deal with
}

// ArticleFig is the cases under one article of 安全生产法.
type ArticleFig struct {
	Article int     `json:"article"`
	Name    string  `json:"name"`
	Cases   int     `json:"cases"`
	Fines   float64 `json:"fines"`
}

// DeptFig is one department's cases.
type DeptFig struct {
	UnitID  int64   `json:"unit_id"`
	Unit    string  `json:"unit"`
	Cases   int     `json:"cases"`
	Decided int     `json:"decided"`
	Fines   float64 `json:"fines"`
}

// CaseFigures sums up the year's cases the actor may see (the list's own
// condition: a figure opens the cases it counts, /enforce/cases?year=&
// article= or &unit=).
func (s *Service) CaseFigures(ctx context.Context, a *org.Actor, year int) (CaseFigures, error) {
	w, args, err := caseWhere(a)
	if err != nil {
		return CaseFigures{}, err
	}
	out := CaseFigures{Year: year}
	type row struct {
		article                 int
		unit                    int64
		unitName                string
		filed, decided, revoked string
		state, source           string
		fine, paid              int64
		waived, simple          bool
	}
	rows, err := s.db.Query(ctx, `SELECT c.article, c.unit_id, du.name, c.filed_on, c.decided_on, c.revoked_on, c.state, c.source, c.fine_fen, c.paid_fen,
		c.waived, c.simple FROM enforce_cases c JOIN `+org.UnitsView+` du ON du.id = c.unit_id WHERE c.year = ? AND `+w, append([]any{year}, args...)...)
	rs, err := store.Collect(rows, err, func(r store.Scanner) (row, error) {
		var x row
		return x, r.Scan(&x.article, &x.unit, &x.unitName, &x.filed, &x.decided, &x.revoked, &x.state, &x.source, &x.fine, &x.paid, &x.waived, &x.simple)
	})
	if err != nil {
		return out, err
	}
	arts, depts := map[int]*ArticleFig{}, map[int64]*DeptFig{}
	var days, timed int
	var fines, paid int64
	for _, x := range rs {
		out.Cases++
		af := arts[x.article]
		if af == nil {
			af = &ArticleFig{Article: x.article, Name: rules.ArticleName(x.article)}
			arts[x.article] = af
		}
		d := depts[x.unit]
		if d == nil {
			d = &DeptFig{UnitID: x.unit, Unit: x.unitName}
			depts[x.unit] = d
		}
		af.Cases++
		d.Cases++
		if x.source == "daily" {
			out.Daily++
		}
		switch {
		case x.state == CaseRevoked:
			out.Revoked++
		case x.waived:
			out.Waived++
		case x.decided != "":
			out.Decided++
			d.Decided++
			fines += x.fine
			paid += x.paid
			af.Fines += yuanOf(x.fine)
			d.Fines += yuanOf(x.fine)
			if !x.simple {
				f, err1 := time.Parse(day, x.filed)
				t, err2 := time.Parse(day, x.decided)
				if err1 == nil && err2 == nil {
					days += int(t.Sub(f).Hours() / 24)
					timed++
				}
			}
		}
	}
	out.Fines, out.Paid = yuanOf(fines), yuanOf(paid)
	if timed > 0 {
		out.AvgDays = float64(days*10/timed) / 10
	}
	for _, af := range arts {
		out.ByArticle = append(out.ByArticle, *af)
	}
	sort.Slice(out.ByArticle, func(i, j int) bool {
		if out.ByArticle[i].Cases != out.ByArticle[j].Cases {
			return out.ByArticle[i].Cases > out.ByArticle[j].Cases
		}
		return out.ByArticle[i].Article < out.ByArticle[j].Article
	})
	for _, d := range depts {
		out.ByDepartment = append(out.ByDepartment, *d)
	}
	sort.Slice(out.ByDepartment, func(i, j int) bool {
		if out.ByDepartment[i].Cases != out.ByDepartment[j].Cases {
			return out.ByDepartment[i].Cases > out.ByDepartment[j].Cases
		}
		return out.ByDepartment[i].UnitID < out.ByDepartment[j].UnitID
	})
	if err := s.publicationFigures(ctx, a, year, &out); err != nil {
		return out, err
	}
	return out, nil
}

// publicationFigures counts the year's publications (by the day their
// clock started) and escalations in the actor's scope; an enterprise has
// none to see.
func (s *Service) publicationFigures(ctx context.Context, a *org.Actor, year int, out *CaseFigures) error {
	if a.Unit.Kind == org.KindEnterprise {
		return nil
	}
	w, args, err := governmentWhere(a, "p")
	if err != nil {
		return err
	}
	today := s.today()
	from, to := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC).Format(day), time.Date(year+1, 1, 1, 0, 0, 0, 0, time.UTC).Format(day)
	err = s.db.QueryRow(ctx, `SELECT COALESCE(SUM(CASE WHEN p.published_on <> '' AND p.published_on <= p.due_on THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN p.published_on > p.due_on THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN p.state = 'due' AND p.due_on < ? THEN 1 ELSE 0 END), 0)
		FROM enforce_publications p WHERE p.basis_on >= ? AND p.basis_on < ? AND `+w, append([]any{today, from, to}, args...)...).Scan(&out.OnTime, &out.Late, &out.Overdue)
	if err != nil {
		return err
	}
	if n := out.OnTime + out.Late + out.Overdue; n > 0 {
		out.OnTimeRate = float64(out.OnTime*1000/n) / 10
	}
	xw, xargs, err := governmentWhere(a, "x")
	if err != nil {
		return err
	}
	return s.db.QueryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN x.state = 'flagged' THEN 1 ELSE 0 END), 0) FROM enforce_escalations x
		WHERE x.raised_on >= ? AND x.raised_on < ? AND `+xw, append([]any{from, to}, xargs...)...).Scan(&out.Escalations, &out.Flagged)
}
