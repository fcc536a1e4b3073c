package web

import (
	"encoding/json"
	"html/template"
	"net/http"
	"strconv"

	"anwei/internal/org"
	"anwei/internal/plan"
)

// chartData is what the figures page hands ECharts: names and three series.
type chartData struct {
	Names   []string  `json:"names"`
	Links   []string  `json:"links,omitempty"` // a unit's bar opens its overdue duties (督办, for those who chase them)
	Done    []float64 `json:"done"`
	Overdue []float64 `json:"overdue"`
	OnTime  []float64 `json:"on_time"`
}

func chartOf(ts []plan.Tally) chartData {
	c := chartData{Names: []string{}, Done: []float64{}, Overdue: []float64{}, OnTime: []float64{}}
	pct := func(x float64) float64 { return float64(int(x*1000+0.5)) / 10 }
	for _, t := range ts {
		if t.Due == 0 {
			continue
		}
		c.Names = append(c.Names, t.Name)
		c.Done = append(c.Done, pct(t.DoneRate()))
		c.Overdue = append(c.Overdue, pct(t.OverdueRate()))
		c.OnTime = append(c.OnTime, pct(t.OnTimeRate()))
	}
	return c
}

func (s *Server) planFiguresPage(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.Plans.GetPlan(r.Context(), a, id)
	if err != nil {
		return err
	}
	f, err := s.Plans.PlanFigures(r.Context(), a, id)
	if err != nil {
		return err
	}
	units := chartOf(f.ByUnit)
	if a.Can(org.PermPlanSupervise) {
		for _, t := range f.ByUnit {
			if t.Due > 0 {
				units.Links = append(units.Links, "/supervise?status=overdue&plan="+strconv.FormatInt(id, 10)+"&unit="+t.Key)
			}
		}
	}
	charts, err := json.Marshal(map[string]chartData{"unit": units, "section": chartOf(f.BySection)})
	if err != nil {
		return err
	}
	s.pages.render(w, r, "plan/figures", pageData{Title: "统计: " + p.Title, Actor: a,
		Data: map[string]any{"Plan": p, "F": f, "Charts": template.JS(charts), "Chase": a.Can(org.PermPlanSupervise)}})
	return nil
}

func (s *Server) scorecardPage(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	q := r.URL.Query()
	unit, _ := strconv.ParseInt(q.Get("unit"), 10, 64) // 0: the actor's own
	year, _ := strconv.Atoi(q.Get("year"))             // 0: this year
	c, err := s.Plans.UnitScorecard(r.Context(), a, unit, year)
	if err != nil {
		return err
	}
	u, err := s.Org.GetUnit(r.Context(), a, c.UnitID)
	if err != nil {
		return err
	}
	rk, err := s.Plans.Ranking(r.Context(), a, c.Year)
	if err != nil {
		return err
	}
	chart, err := rankingChart(rk)
	if err != nil {
		return err
	}
	s.pages.render(w, r, "plan/scorecard", pageData{Title: "任务完成得分卡", Actor: a,
		Data: map[string]any{"C": c, "Unit": u, "Ranking": rk, "RankingChart": chart}})
	return nil
}

// rankingChart is the ranking as the scorecard page's bar chart takes it:
// the units with something due, best first, each bar opening the unit's
// scorecard.
func rankingChart(rk plan.Ranking) (template.JS, error) {
	c := struct {
		Names  []string  `json:"names"`
		Scores []float64 `json:"scores"`
		Links  []string  `json:"links"`
	}{[]string{}, []float64{}, []string{}}
	for _, u := range rk.Units {
		if u.Tally.Due == 0 {
			continue
		}
		c.Names = append(c.Names, strconv.Itoa(u.Rank)+". "+u.Name)
		c.Scores = append(c.Scores, u.Score)
		c.Links = append(c.Links, "/scorecard?unit="+strconv.FormatInt(u.UnitID, 10)+"&year="+strconv.Itoa(rk.Year))
	}
	b, err := json.Marshal(c)
	return template.JS(b), err
}
