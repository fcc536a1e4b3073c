package web

import (
	"encoding/json"
	"html/template"
	"net/http"

	"anwei/internal/audit"
	"anwei/internal/enforce"
	"anwei/internal/hazard"
	"anwei/internal/inbox"
	"anwei/internal/org"
	"anwei/internal/paging"
)

type kindCount struct {
	Kind  org.UnitKind
	Count int
}

type homeData struct {
	Side        string // sideOf the actor: what the page offers
	Units       int
	Users       int
	ByKind      []kindCount
	Events      []eventView
	EventsShown bool
	Hazards     hazard.Figures // 隐患治理 this year in scope
	Charts      template.JS
	Todo        []inbox.Todo // the first items of the unit's 待办, which the page leads with
	Todos       int
	HasUnit     bool
	// Enforcement this year (the government side with the right to see it).
	Inspections   *enforce.InspectionFigures
	Cases         *enforce.CaseFigures
	EnforceCharts template.JS
}

// homePage is the dashboard: the year's hazard figures (动态清零 of major
// hazards first) and the organisation in the actor's scope.
func (s *Server) homePage(w http.ResponseWriter, r *http.Request) error {
	a, ctx := actorOf(r), r.Context()
	d := homeData{Side: sideOf(a), HasUnit: a.Unit.ID != 0}
	var err error
	if d.Todo, d.Todos, err = s.todoOf(r, paging.Page{Limit: 5}); err != nil {
		return err
	}
	if _, d.Units, err = s.Org.ListUnits(ctx, a, org.UnitFilter{Page: paging.Page{Limit: 1}}); err != nil {
		return err
	}
	if _, d.Users, err = s.Org.ListUsers(ctx, a, org.UserFilter{Page: paging.Page{Limit: 1}}); err != nil {
		return err
	}
	for _, k := range org.UnitKinds {
		_, n, err := s.Org.ListUnits(ctx, a, org.UnitFilter{Kind: k, Page: paging.Page{Limit: 1}})
		if err != nil {
			return err
		}
		if n > 0 {
			d.ByKind = append(d.ByKind, kindCount{k, n})
		}
	}
	if d.Hazards, err = s.Hazards.Figures(ctx, a, figuresYear(r)); err != nil {
		return err
	}
	if d.Charts, err = hazardCharts(d.Hazards); err != nil {
		return err
	}
	if d.Side == sideGovernment && a.Can(org.PermEnforceRead) {
		if err := s.homeEnforce(r, &d); err != nil {
			return err
		}
	}
	if a.Can(org.PermAuditRead) {
		d.EventsShown = true
		events, _, err := s.Org.AuditEvents(ctx, a, audit.Filter{Page: paging.Page{Limit: 8}})
		if err != nil {
			return err
		}
		d.Events = s.eventViews(ctx, a, events)
	}
	s.pages.render(w, r, "home", pageData{Title: "首页", Actor: a, Data: d})
	return nil
}

// homeEnforce fills the dashboard's enforcement: the year's inspections
// and cases, and their charts' data.
func (s *Server) homeEnforce(r *http.Request, d *homeData) error {
	a, ctx, year := actorOf(r), r.Context(), s.yearOf(r)
	in, err := s.Enforce.Figures(ctx, a, year)
	if err != nil {
		return err
	}
	cs, err := s.Enforce.CaseFigures(ctx, a, year)
	if err != nil {
		return err
	}
	d.Inspections, d.Cases = &in, &cs
	depts := map[string]any{"names": []string{}, "keys": []int64{}, "cases": []int{}}
	for _, x := range cs.ByDepartment {
		depts["names"] = append(depts["names"].([]string), x.Unit)
		depts["keys"] = append(depts["keys"].([]int64), x.UnitID)
		depts["cases"] = append(depts["cases"].([]int), x.Cases)
	}
	b, err := json.Marshal(map[string]any{"year": year, "months": in.Months, "depts": depts})
	d.EnforceCharts = template.JS(b)
	return err
}
