package hazard

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"anwei/internal/apperr"
	"anwei/internal/calendar"
	"anwei/internal/enterprise"
	"anwei/internal/org"
	"anwei/internal/org/scope"
	"anwei/internal/store"
)

// Change is a month's figure against the same month of the last year
// (同比) and against the month before (环比), in percent rounded to one
// decimal; nil where the base is 0 (pages show "—").
type Change struct {
	YoY *float64 `json:"yoy"`
	MoM *float64 `json:"mom"`
}

// MonthCount is one month of the trend: hazards reported in it, hazards
// closed (销号) in it, and of those reported in it, the major ones.
type MonthCount struct {
	Month          string `json:"month"` // 2026-03
	Reported       int    `json:"reported"`
	Closed         int    `json:"closed"`
	Major          int    `json:"major"`
	ReportedChange Change `json:"reported_change"`
	ClosedChange   Change `json:"closed_change"`
	MajorChange    Change `json:"major_change"`
}

// Trend is a year's hazards month by month in the actor's scope, with the
// last year's months beside them for 同比: the months of the year up to
// the current one (all twelve for a past year).
type Trend struct {
	Year     int          `json:"year"`
	Today    string       `json:"today"`
	Months   []MonthCount `json:"months"`
	LastYear []MonthCount `json:"last_year"`
}

// monthSpan is the instants a Shanghai calendar month ("2026-03") spans.
func monthSpan(m string) (time.Time, time.Time, bool) {
	t, err := time.ParseInLocation("2006-01", m, calendar.Shanghai)
	if err != nil || len(m) != 7 {
		return time.Time{}, time.Time{}, false
	}
	return t.UTC(), t.AddDate(0, 1, 0).UTC(), true
}

// yearSpan is the instants a Shanghai calendar year spans.
func yearSpan(y int) (time.Time, time.Time) {
	t := time.Date(y, 1, 1, 0, 0, 0, 0, calendar.Shanghai)
	return t.UTC(), t.AddDate(1, 0, 0).UTC()
}

// change is now against base, in percent (nil over no base).
func change(now, base int) *float64 {
	if base == 0 {
		return nil
	}
	v := math.Round(float64(now-base)*1000/float64(base)) / 10
	return &v
}

// Trend counts the year's hazards per month (reported and major by the
// month reported, closed by the month of 销号, as the bulletin counts
// them) and the last year's, from the month counts of the actor's scope
// (hazard_month_counts). A year outside 2000–2100 (0) means the current
// one.
func (s *Service) Trend(ctx context.Context, a *org.Actor, year int) (Trend, error) {
	if err := a.Require(org.PermOrgRead); err != nil {
		return Trend{}, err
	}
	today := s.today()
	if year < 2000 || year > 2100 {
		year, _ = strconv.Atoi(today[:4])
	}
	tr := Trend{Year: year, Today: today}
	// The 24 months from January of the last year, read from the month
	// counts (kept with every change, monthcounts.go) of the enterprises in
	// scope, and, for an office or an expert, from the hazards it sees
	// beyond them (listed, escalated, asked to judge: a few), each counted
	// once — the hazards scopeWhere lets the actor see, as the listing
	// behind each month has them.
	var months []string
	index := map[string]int{}
	for y := year - 1; y <= year; y++ {
		for m := 1; m <= 12; m++ {
			k := fmt.Sprintf("%04d-%02d", y, m)
			index[k] = len(months)
			months = append(months, k)
		}
	}
	counts := make([]MonthCount, len(months))
	for i := range counts {
		counts[i].Month = months[i]
	}
	cw, cargs := a.Scope.UnitsWhere("c.region_code", "c.unit_id")
	type part struct {
		month           string
		n, major, close int
	}
	rows, err := s.db.Query(ctx, "SELECT c.month, SUM(c.reported), SUM(c.major), SUM(c.closed) FROM hazard_month_counts c WHERE c.month >= ? AND c.month <= ? AND "+
		cw+" GROUP BY c.month", append([]any{months[0], months[len(months)-1]}, cargs...)...)
	found, err := store.Collect(rows, err, func(r store.Scanner) (part, error) {
		var p part
		err := r.Scan(&p.month, &p.n, &p.major, &p.close)
		return p, err
	})
	if err != nil {
		return tr, err
	}
	for _, p := range found {
		if i, ok := index[p.month]; ok {
			counts[i].Reported, counts[i].Major, counts[i].Closed = p.n, p.major, p.close
		}
	}
	if bs := beyondUnits(a); len(bs) > 0 {
		var ids []string
		var args []any
		for _, b := range bs {
			ids, args = append(ids, b.ids...), append(args, b.args...)
		}
		hw, hargs := a.Scope.UnitsWhere("h.region_code", "h.unit_id")
		lo, _ := yearSpan(year - 1)
		_, hi := yearSpan(year)
		type seen struct {
			created time.Time
			closed  *time.Time
			level   string
		}
		rows, err := s.db.Query(ctx, "SELECT h.created_at, h.closed_at, h.level FROM hazards h WHERE h.id IN ("+strings.Join(ids, " UNION ")+
			") AND NOT "+hw+" AND ((h.created_at >= ? AND h.created_at < ?) OR (h.closed_at >= ? AND h.closed_at < ?))",
			append(append(args, hargs...), lo, hi, lo, hi)...)
		more, err := store.Collect(rows, err, func(r store.Scanner) (seen, error) {
			var x seen
			err := r.Scan(&x.created, &x.closed, &x.level)
			return x, err
		})
		if err != nil {
			return tr, err
		}
		for _, x := range more {
			if i, ok := index[monthOf(x.created)]; ok {
				counts[i].Reported++
				if x.level == Major {
					counts[i].Major++
				}
			}
			if x.closed != nil {
				if i, ok := index[monthOf(*x.closed)]; ok {
					counts[i].Closed++
				}
			}
		}
	}
	last := 12
	if strconv.Itoa(year) == today[:4] {
		last, _ = strconv.Atoi(today[5:7])
	} else if strconv.Itoa(year) > today[:4] {
		last = 0
	}
	for i := 12; i < 12+last; i++ {
		c, ly, prev := counts[i], counts[i-12], counts[i-1]
		c.ReportedChange = Change{change(c.Reported, ly.Reported), change(c.Reported, prev.Reported)}
		c.ClosedChange = Change{change(c.Closed, ly.Closed), change(c.Closed, prev.Closed)}
		c.MajorChange = Change{change(c.Major, ly.Major), change(c.Major, prev.Major)}
		tr.Months = append(tr.Months, c)
	}
	tr.LastYear = counts[:12]
	return tr, nil
}

// drillWhere adds the figures' drill-down filters to a listing's
// condition: the street (or the county, for a figure's key above a
// street), the supervising department, the category, the year and month
// reported and the month closed — each the line or bar of the figures
// the list is opened from, counted the same way.
func drillWhere(f Filter, add func(string, ...any)) error {
	if f.Region != "" {
		if len(f.Region) >= 9 {
			c, args := scope.InRegion("h.region_code", f.Region)
			add(c, args...)
		} else {
			add("h.region_code = ?", f.Region)
		}
	}
	if f.Dept != 0 {
		add("h.unit_id IN (SELECT sv.enterprise_id FROM "+org.SupervisionsView+" sv WHERE sv.dept_id = ?)", f.Dept)
	}
	if f.Category != "" {
		add("h.unit_id IN (SELECT ec.unit_id FROM "+enterprise.CategoriesView+" ec WHERE ec.category = ?)", f.Category)
	}
	if f.Year != 0 {
		if f.Year < 2000 || f.Year > 2100 {
			return apperr.Field("year", fmt.Sprintf("年度「%d」应在 2000–2100 之间", f.Year))
		}
		lo, hi := yearSpan(f.Year)
		add("h.created_at >= ? AND h.created_at < ?", lo, hi)
	}
	if f.Month != "" {
		lo, hi, ok := monthSpan(f.Month)
		if !ok {
			return apperr.Field("month", "月份应写作 年-月，如 2026-03")
		}
		add("h.created_at >= ? AND h.created_at < ?", lo, hi)
	}
	if f.ClosedMonth != "" {
		lo, hi, ok := monthSpan(f.ClosedMonth)
		if !ok {
			return apperr.Field("closed_month", "销号月份应写作 年-月，如 2026-03")
		}
		add("h.closed_at >= ? AND h.closed_at < ?", lo, hi)
	}
	return nil
}
