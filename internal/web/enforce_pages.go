package web

import (
	"context"
	"net/http"
	"strconv"

	"anwei/internal/calendar"
	"anwei/internal/enforce"
	"anwei/internal/org"
)

// yearOf is the year a page asks for (?year=), else this year.
func (s *Server) yearOf(r *http.Request) int {
	if y, err := strconv.Atoi(r.URL.Query().Get("year")); err == nil && y >= 2000 && y <= 2100 {
		return y
	}
	return s.Clock.Now().In(calendar.Shanghai).Year()
}

// enforcePage is 执法's front page: the year per department (the office
// sees its region's, a department its own), the plans and the draws.
func (s *Server) enforcePage(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	year := s.yearOf(r)
	rows, err := s.Enforce.Overview(r.Context(), a, year)
	if err != nil {
		return err
	}
	plans, err := s.Enforce.ListPlans(r.Context(), a, enforce.PlanFilter{Year: year})
	if err != nil {
		return err
	}
	draws, err := s.Enforce.ListDraws(r.Context(), a, enforce.DrawFilter{Year: year})
	if err != nil {
		return err
	}
	figs, err := s.Enforce.Figures(r.Context(), a, year)
	if err != nil {
		return err
	}
	cases, err := s.Enforce.CaseFigures(r.Context(), a, year)
	if err != nil {
		return err
	}
	d := map[string]any{"Year": year, "Prev": year - 1, "Next": year + 1, "Rows": rows, "Plans": plans, "Draws": draws, "Dept": a.Unit.Kind == org.KindDepartment,
		"Figures": figs, "Cases": cases}
	s.pages.render(w, r, "enforce/index", pageData{Title: "执法检查", Actor: a, Flash: flashOf(r), Data: d})
	return nil
}

// capsErrKey carries the cap form's mistake to the page that shows it.
type capsErrKey struct{}

func (s *Server) capsPage(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	t, where, err := s.Enforce.Caps(r.Context(), a)
	if err != nil {
		return err
	}
	pd := pageData{Title: "检查频次上限", Actor: a, Flash: flashOf(r), Data: map[string]any{"Caps": t, "Where": where, "WhereName": org.OfficialName(where)}}
	if ferr, _ := r.Context().Value(capsErrKey{}).(error); ferr != nil {
		return s.formErr(w, r, "enforce/caps", pd, ferr)
	}
	s.pages.render(w, r, "enforce/caps", pd)
	return nil
}

func (s *Server) capsSet(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	t, c := capsInput(r)
	var err error
	if len(c) > 0 {
		err = merged(c, t.Validate())
	} else {
		err = s.Enforce.SetCaps(r.Context(), actorOf(r), t)
	}
	if err != nil {
		return s.capsPage(w, r.WithContext(context.WithValue(r.Context(), capsErrKey{}, err)))
	}
	redirectOK(w, r, "/enforce/caps", "saved")
	return nil
}
