package plan

import (
	"context"
	"math"
	"sort"
	"strconv"

	"anwei/internal/apperr"
	"anwei/internal/org"
	"anwei/internal/store"
)

// Rank is a unit's place among the responsible units of a year's plans,
// scored as its scorecard is (按时完成率 over the duties due).
type Rank struct {
	Rank   int     `json:"rank"`
	UnitID int64   `json:"unit_id"`
	Name   string  `json:"name"`
	Score  float64 `json:"score"` // 按时完成率 in percent, one decimal; 0 with nothing due
	Tally  Tally   `json:"tally"`
}

// Ranking is the year's unit ranking (考核排名) as the actor may read it.
type Ranking struct {
	Year  int    `json:"year"`
	Today string `json:"today"`
	Of    int    `json:"of"` // the units ranked, all of the plans' responsible units
	Units []Rank `json:"units"`
}

// Ranking ranks every responsible unit of the year's plans the actor may
// read by its on-time rate (then fewer overdue, then more done), units
// with nothing due yet last. The places are taken among all of them — a
// ranking is published to the units ranked — but the lines listed are
// those the plan figures show the actor (PlanFigures' scope): an office
// or a territorial government every unit of its region, a department its
// own line with its place. Year 0 is the current one.
func (s *Service) Ranking(ctx context.Context, a *org.Actor, year int) (Ranking, error) {
	if err := a.Require(org.PermOrgRead); err != nil {
		return Ranking{}, err
	}
	today, _ := s.today()
	if year == 0 {
		year, _ = strconv.Atoi(today[:4])
	}
	if year < 2000 || year > 2100 {
		return Ranking{}, apperr.Field("year", "年度无效")
	}
	rk := Ranking{Year: year, Today: today, Units: []Rank{}}
	seen, sargs := a.Scope.UnitsWhere("pi.region_code", "pi.unit_id")
	plans, pargs := planScope(a)
	args := append(append(append([]any{today, today, today}, sargs...), year), pargs...)
	rows, err := s.db.Query(ctx, `SELECT pi.unit_id, MAX(u.label), `+tallyCols+`, MAX(CASE WHEN `+seen+` THEN 1 ELSE 0 END)
		FROM plan_instances pi JOIN plans p ON p.id = pi.plan_id JOIN `+org.UnitsView+` u ON u.id = pi.unit_id
		WHERE p.year = ? AND `+plans+` GROUP BY pi.unit_id`, args...)
	type line struct {
		Rank
		shown bool
	}
	all, err := store.Collect(rows, err, func(r store.Scanner) (line, error) {
		var l line
		var shown int
		err := r.Scan(&l.UnitID, &l.Name, &l.Tally.Total, &l.Tally.Due, &l.Tally.Done, &l.Tally.OnTime, &l.Tally.Overdue, &shown)
		l.shown = shown == 1
		l.Tally.Key, l.Tally.Name = strconv.FormatInt(l.UnitID, 10), l.Name
		l.Score = math.Round(l.Tally.OnTimeRate()*1000) / 10
		return l, err
	})
	if err != nil {
		return rk, err
	}
	before := func(x, y Rank) int { // -1: x ranks above y; 0: the same place
		switch {
		case (x.Tally.Due == 0) != (y.Tally.Due == 0):
			return map[bool]int{true: 1, false: -1}[x.Tally.Due == 0]
		case x.Score != y.Score:
			return map[bool]int{true: -1, false: 1}[x.Score > y.Score]
		case x.Tally.Overdue != y.Tally.Overdue:
			return map[bool]int{true: -1, false: 1}[x.Tally.Overdue < y.Tally.Overdue]
		case x.Tally.Done != y.Tally.Done:
			return map[bool]int{true: -1, false: 1}[x.Tally.Done > y.Tally.Done]
		}
		return 0
	}
	sort.SliceStable(all, func(i, j int) bool {
		if c := before(all[i].Rank, all[j].Rank); c != 0 {
			return c < 0
		}
		return all[i].Name < all[j].Name
	})
	rk.Of = len(all)
	for i := range all {
		all[i].Rank.Rank = i + 1
		if i > 0 && before(all[i-1].Rank, all[i].Rank) == 0 {
			all[i].Rank.Rank = all[i-1].Rank.Rank
		}
		if all[i].shown {
			rk.Units = append(rk.Units, all[i].Rank)
		}
	}
	return rk, nil
}
