package plan

import (
	"context"
	"strconv"

	"anwei/internal/apperr"
	"anwei/internal/org"
	"anwei/internal/store"
)

// Tally counts a group's dated duties. Due counts those whose deadline has
// come (today included); rates are over Due, so a duty not yet due neither
// helps nor hurts.
type Tally struct {
	Key     string `json:"key"`  // unit id or section
	Name    string `json:"name"` // unit name or section
	Total   int    `json:"total"`
	Due     int    `json:"due"`
	Done    int    `json:"done"`
	OnTime  int    `json:"on_time"`
	Overdue int    `json:"overdue"`
}

func rate(n, d int) float64 {
	if d == 0 {
		return 0
	}
	return float64(n) / float64(d)
}

// DoneRate is 完成率: done among those due.
func (t Tally) DoneRate() float64 { return rate(min(t.Done, t.Due), t.Due) }

// OverdueRate is 逾期率: overdue among those due.
func (t Tally) OverdueRate() float64 { return rate(t.Overdue, t.Due) }

// OnTimeRate is 按时完成率: done by the deadline among those due.
func (t Tally) OnTimeRate() float64 { return rate(t.OnTime, t.Due) }

// Figures are a plan's dashboard: all duties, by unit and by section.
type Figures struct {
	PlanID    int64   `json:"plan_id"`
	Today     string  `json:"today"`
	All       Tally   `json:"all"`
	ByUnit    []Tally `json:"by_unit"`
	BySection []Tally `json:"by_section"`
}

// tallyCols sums a group's duties (args: today three times). A duty is on
// time when the Shanghai day it was done (done_on) is not after its deadline.
const tallyCols = `COUNT(*),
	COALESCE(SUM(CASE WHEN pi.due_on <= ? THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN pi.done_at IS NOT NULL THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN pi.done_at IS NOT NULL AND pi.due_on <= ? AND pi.done_on <= pi.due_on THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN pi.done_at IS NULL AND pi.due_on < ? THEN 1 ELSE 0 END), 0)`

// PlanFigures computes a plan's completion and overdue figures over the
// duties the actor may see.
func (s *Service) PlanFigures(ctx context.Context, a *org.Actor, planID int64) (Figures, error) {
	if _, err := s.GetPlan(ctx, a, planID); err != nil {
		return Figures{}, err
	}
	today, _ := s.today()
	f := Figures{PlanID: planID, Today: today}
	where, args := a.Scope.UnitsWhere("pi.region_code", "pi.unit_id")
	args = append([]any{planID}, args...)
	var err error
	if f.ByUnit, err = s.tallies(ctx, "CAST(pi.unit_id AS TEXT)", "u.label", where, args); err != nil {
		return f, err
	}
	if f.BySection, err = s.tallies(ctx, "COALESCE(i.section, '')", "COALESCE(i.section, '')", where, args); err != nil {
		return f, err
	}
	for _, t := range f.ByUnit {
		f.All.Total += t.Total
		f.All.Due += t.Due
		f.All.Done += t.Done
		f.All.OnTime += t.OnTime
		f.All.Overdue += t.Overdue
	}
	for i := range f.BySection {
		if f.BySection[i].Name == "" {
			f.BySection[i].Name = "报送工作情况"
		}
	}
	return f, nil
}

func (s *Service) tallies(ctx context.Context, key, name, where string, args []any) ([]Tally, error) {
	today, _ := s.today()
	q := `SELECT ` + key + `, ` + name + `, ` + tallyCols + ` FROM plan_instances pi JOIN ` + org.UnitsView + ` u ON u.id = pi.unit_id
		LEFT JOIN plan_obligations o ON o.id = pi.obligation_id LEFT JOIN plan_items i ON i.id = o.item_id
		WHERE pi.plan_id = ? AND ` + where + ` GROUP BY ` + key + `, ` + name + ` ORDER BY 1`
	rows, err := s.db.Query(ctx, q, append([]any{today, today, today}, args...)...)
	return store.Collect(rows, err, func(r store.Scanner) (Tally, error) {
		var t Tally
		err := r.Scan(&t.Key, &t.Name, &t.Total, &t.Due, &t.Done, &t.OnTime, &t.Overdue)
		return t, err
	})
}

// Scorecard is a unit's record on its dated duties in a year: what the
// assessment mechanism (考核) reads as the task-completion indicator.
type Scorecard struct {
	UnitID     int64  `json:"unit_id"`
	Year       int    `json:"year"`
	Today      string `json:"today"`
	Tally      Tally  `json:"tally"`
	Late       int    `json:"done_late"`
	Returned   int    `json:"reports_returned"`
	Accepted   int    `json:"reports_accepted"`
	Notices    int    `json:"notices_received"`
	Unanswered int    `json:"notices_unanswered"`
}

// OnTimeRate is the share of due duties done by their deadline.
func (c Scorecard) OnTimeRate() float64 { return c.Tally.OnTimeRate() }

// UnitScorecard computes a unit's scorecard for the plans of a year (unit 0:
// the actor's own; year 0: the current one). The unit must be one the actor
// may see.
func (s *Service) UnitScorecard(ctx context.Context, a *org.Actor, unitID int64, year int) (Scorecard, error) {
	if unitID == 0 {
		unitID = a.Unit.ID
	}
	if _, err := s.org.GetUnit(ctx, a, unitID); err != nil {
		return Scorecard{}, err
	}
	today, _ := s.today()
	if year == 0 {
		year, _ = strconv.Atoi(today[:4])
	}
	if year < 2000 || year > 2100 {
		return Scorecard{}, apperr.Field("year", "年度无效")
	}
	c := Scorecard{UnitID: unitID, Year: year, Today: today}
	err := s.db.QueryRow(ctx, `SELECT `+tallyCols+` FROM plan_instances pi JOIN plans p ON p.id = pi.plan_id
		WHERE pi.unit_id = ? AND p.year = ?`, today, today, today, unitID, year).
		Scan(&c.Tally.Total, &c.Tally.Due, &c.Tally.Done, &c.Tally.OnTime, &c.Tally.Overdue)
	if err != nil {
		return c, err
	}
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM plan_instances pi JOIN plans p ON p.id = pi.plan_id
		WHERE pi.unit_id = ? AND p.year = ? AND pi.done_on > pi.due_on`, unitID, year).Scan(&c.Late); err != nil {
		return c, err
	}
	if err := s.db.QueryRow(ctx, `SELECT COALESCE(SUM(CASE WHEN r.status = 'accepted' THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN r.status = 'returned' THEN 1 ELSE 0 END), 0) FROM plan_reports r JOIN plans p ON p.id = r.plan_id
		WHERE r.unit_id = ? AND p.year = ? AND r.kind = 'consolidated'`, unitID, year).Scan(&c.Accepted, &c.Returned); err != nil {
		return c, err
	}
	err = s.db.QueryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN answered_at IS NULL THEN 1 ELSE 0 END), 0) FROM plan_notices
		WHERE unit_id = ? AND year = ?`, unitID, year).Scan(&c.Notices, &c.Unanswered)
	return c, err
}
