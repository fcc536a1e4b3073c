package web

import (
	"net/http"
	"net/url"
	"strconv"

	"anwei/internal/enterprise"
	"anwei/internal/hazard"
	"anwei/internal/org"
	"anwei/internal/risk"
)

// profileData is the 一企一档 page.
type profileData struct {
	E             enterprise.Enterprise
	Supervisors   []enterprise.Supervisor
	Installations []enterprise.Installation
	Listings      []enterprise.Listing
	Papers        enterprise.Papers
	OnKeyList     bool
	KeyWhy        string
	Changes       []enterprise.Change
	Tab           string
	Depts         []org.Unit
	Posts         []enterprise.Choice
	LicenceKinds  []string
	Today         string
	Hazards       []hazard.Hazard // the 隐患 tab: the newest
	HazardCount   int
	OpenMajor     int // open major hazards (动态清零)
	Overdue       int
	Risks         []risk.Point // the 风险 tab
	Colours       []risk.Share // its four-colour count
}

// CanEdit reports whether the actor may change this record.
func (p profileData) CanEdit(a *org.Actor) bool {
	return enterprise.MayEdit(a, p.E.UnitID)
}

func (s *Server) enterprisePage(w http.ResponseWriter, r *http.Request) error {
	return s.renderProfile(w, r, nil)
}

func (s *Server) renderProfile(w http.ResponseWriter, r *http.Request, ferr error) error {
	a := actorOf(r)
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ctx := r.Context()
	d := profileData{Tab: r.URL.Query().Get("tab"), Posts: enterprise.Posts, LicenceKinds: enterprise.LicenceKinds, Today: s.Plans.Today()}
	if d.Tab == "" {
		d.Tab = "basic"
	}
	if ferr != nil && r.PostForm != nil && r.PostForm.Get("tab") != "" {
		d.Tab = r.PostForm.Get("tab")
	}
	if d.E, err = s.Ents.Get(ctx, a, id); err != nil {
		return err
	}
	if d.Supervisors, err = s.Ents.Supervisors(ctx, a, id); err != nil {
		return err
	}
	if d.Installations, err = s.Ents.Installations(ctx, a, id); err != nil {
		return err
	}
	if d.Listings, err = s.Ents.ListCredit(ctx, a, id); err != nil {
		return err
	}
	if d.Papers, err = s.Ents.GetPapers(ctx, a, id); err != nil {
		return err
	}
	if d.OnKeyList, d.KeyWhy, err = s.Ents.OnKeyList(ctx, a, id); err != nil {
		return err
	}
	if d.Changes, err = s.Ents.PendingChanges(ctx, a, id); err != nil {
		return err
	}
	if a.Can(org.PermEntWrite) {
		if d.Depts, _, err = s.Org.ListUnits(ctx, a, org.UnitFilter{Kind: org.KindDepartment, Page: org.Page{Limit: 200}}); err != nil {
			return err
		}
	}
	if err := s.profileHazards(r, &d); err != nil {
		return err
	}
	pd := pageData{Title: d.E.Name, Actor: a, Flash: flashOf(r), Data: d}
	if ferr != nil {
		return s.formErr(w, r, "enterprise/profile", pd, ferr)
	}
	s.pages.render(w, r, "enterprise/profile", pd)
	return nil
}

// profileBack returns to a tab of the profile after a form on it.
func profileBack(w http.ResponseWriter, r *http.Request, id int64, tab, flash string) {
	http.Redirect(w, r, "/enterprises/"+strconv.FormatInt(id, 10)+"?tab="+url.QueryEscape(tab)+"&ok="+flash, http.StatusSeeOther)
}

// profileHazards fills the 隐患 and 风险 tabs when they are shown.
func (s *Server) profileHazards(r *http.Request, d *profileData) error {
	ctx, a, id := r.Context(), actorOf(r), d.E.UnitID
	var err error
	switch d.Tab {
	case "hazards":
		if d.Hazards, d.HazardCount, err = s.Hazards.List(ctx, a, hazard.Filter{EnterpriseID: id, Page: org.Page{Limit: 50}}); err != nil {
			return err
		}
		if _, d.OpenMajor, err = s.Hazards.List(ctx, a, hazard.Filter{EnterpriseID: id, Level: hazard.Major, Open: true, Page: org.Page{Limit: 1}}); err != nil {
			return err
		}
		_, d.Overdue, err = s.Hazards.List(ctx, a, hazard.Filter{EnterpriseID: id, Overdue: true, Page: org.Page{Limit: 1}})
		return err
	case "risks":
		if d.Risks, _, err = s.Risks.List(ctx, a, risk.Filter{EnterpriseID: id, Page: org.Page{Limit: 200}}); err != nil {
			return err
		}
		d.Colours, err = s.Risks.CountColours(ctx, a, id)
	}
	return err
}
