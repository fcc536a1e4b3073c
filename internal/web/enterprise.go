package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"anwei/internal/codes"
	"anwei/internal/enterprise"
	"anwei/internal/hazard"
	"anwei/internal/org"
	"anwei/internal/paging"
	"anwei/internal/risk"
)

// entFilter reads the list filters from the query.
func entFilter(r *http.Request, size int) enterprise.Filter {
	q := r.URL.Query()
	dept, _ := strconv.ParseInt(q.Get("dept"), 10, 64)
	return enterprise.Filter{Q: q.Get("q"), Region: q.Get("region"), Category: q.Get("category"), Class: q.Get("class"),
		Status: q.Get("status"), Major: q.Get("major") == "1", Blacklisted: q.Get("blacklisted") == "1", DeptID: dept,
		Unsupervised: q.Get("unsupervised") == "1", KeyList: q.Get("keylist") == "1", Page: pageOf(r, size)}
}

// entChoices are the pickers every enterprise page uses.
func (s *Server) entChoices(r *http.Request) (map[string]any, error) {
	a := actorOf(r)
	regions, _, err := s.Org.ListRegions(r.Context(), a, org.RegionFilter{Q: "街道", Page: paging.Page{Limit: 200}})
	if err != nil {
		return nil, err
	}
	more, _, err := s.Org.ListRegions(r.Context(), a, org.RegionFilter{Q: "镇", Page: paging.Page{Limit: 200}})
	if err != nil {
		return nil, err
	}
	depts, _, err := s.Org.ListUnits(r.Context(), a, org.UnitFilter{Kind: org.KindDepartment, Page: paging.Page{Limit: 200}})
	if err != nil {
		return nil, err
	}
	return map[string]any{"Regions": append(regions, more...), "Depts": depts, "Categories": enterprise.Categories,
		"Scales": enterprise.Scales, "Statuses": enterprise.Statuses, "StdLevels": enterprise.StdLevels}, nil
}

func (s *Server) enterprisesPage(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	f := entFilter(r, listSize)
	es, total, err := s.Ents.List(r.Context(), a, f)
	if err != nil {
		return err
	}
	d, err := s.entChoices(r)
	if err != nil {
		return err
	}
	d["Rows"], d["Pager"], d["Q"] = es, newPager(r, listSize, total), r.URL.Query()
	d["Export"] = "/enterprises.xlsx?" + r.URL.RawQuery
	s.pages.render(w, r, "enterprise/list", pageData{Title: "企业档案", Actor: a, Flash: flashOf(r), Data: d})
	return nil
}

// entForm reads the enterprise form.
func entForm(r *http.Request) enterprise.Input {
	n := func(k string) int { v, _ := strconv.Atoi(r.PostForm.Get(k)); return v }
	cats := r.PostForm["categories"]
	return enterprise.Input{Name: r.PostForm.Get("name"), CreditCode: r.PostForm.Get("credit_code"), RegionCode: r.PostForm.Get("region_code"),
		Address: r.PostForm.Get("address"), Grid: r.PostForm.Get("grid"), IndustryCode: r.PostForm.Get("industry_code"),
		Categories: strings.Join(cats, ","), Scale: r.PostForm.Get("scale"), LegalRep: r.PostForm.Get("legal_rep"),
		Principal: r.PostForm.Get("principal"), PrincipalPhone: r.PostForm.Get("principal_phone"),
		SafetyManager: r.PostForm.Get("safety_manager"), SafetyPhone: r.PostForm.Get("safety_phone"), Staff: n("staff"),
		SafetyEngineers: n("safety_engineers"), StdLevel: r.PostForm.Get("std_level"), Insurer: r.PostForm.Get("insurer"),
		PolicyNo: r.PostForm.Get("policy_no"), PolicyExpires: r.PostForm.Get("policy_expires"), Status: r.PostForm.Get("status")}
}

func (s *Server) renderEntForm(w http.ResponseWriter, r *http.Request, e enterprise.Enterprise, ferr error) error {
	d, err := s.entChoices(r)
	if err != nil {
		return err
	}
	d["E"], d["IsNew"] = e, e.UnitID == 0
	cats := map[string]bool{}
	for _, c := range e.Categories {
		cats[c] = true
	}
	if r.PostForm != nil && ferr != nil {
		cats = map[string]bool{}
		for _, c := range r.PostForm["categories"] {
			cats[c] = true
		}
	}
	d["Cats"] = cats
	title := "登记企业"
	if e.UnitID != 0 {
		title = "修改: " + e.Name
	}
	pd := pageData{Title: title, Actor: actorOf(r), Data: d}
	if ferr != nil {
		return s.formErr(w, r, "enterprise/form", pd, ferr)
	}
	s.pages.render(w, r, "enterprise/form", pd)
	return nil
}

func (s *Server) enterpriseNewPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderEntForm(w, r, enterprise.Enterprise{Status: "operating"}, nil)
}

func (s *Server) enterpriseCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	e, err := s.Ents.Create(r.Context(), actorOf(r), entForm(r))
	if err != nil {
		return s.renderEntForm(w, r, enterprise.Enterprise{}, err)
	}
	redirectOK(w, r, "/enterprises/"+strconv.FormatInt(e.UnitID, 10), "created")
	return nil
}

func (s *Server) enterpriseEditPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	e, err := s.Ents.Get(r.Context(), actorOf(r), id)
	if err != nil {
		return err
	}
	return s.renderEntForm(w, r, e, nil)
}

func (s *Server) enterpriseUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	_, change, err := s.Ents.Update(r.Context(), actorOf(r), id, entForm(r))
	if err != nil {
		old, gerr := s.Ents.Get(r.Context(), actorOf(r), id)
		if gerr != nil {
			return gerr
		}
		return s.renderEntForm(w, r, old, err)
	}
	flash := "saved"
	if change != 0 {
		flash = "change"
	}
	redirectOK(w, r, "/enterprises/"+strconv.FormatInt(id, 10), flash)
	return nil
}

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
	Posts         []codes.Choice
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
	return a.Can(org.PermEntWrite) || (a.Can(org.PermEntOwn) && a.Unit.ID == p.E.UnitID)
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
	cs, _, err := s.Ents.ListChanges(ctx, a, "pending", paging.Page{Limit: 20})
	if err != nil {
		return err
	}
	for _, c := range cs {
		if c.UnitID == id {
			d.Changes = append(d.Changes, c)
		}
	}
	if a.Can(org.PermEntWrite) {
		if d.Depts, _, err = s.Org.ListUnits(ctx, a, org.UnitFilter{Kind: org.KindDepartment, Page: paging.Page{Limit: 200}}); err != nil {
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
		if d.Hazards, d.HazardCount, err = s.Hazards.List(ctx, a, hazard.Filter{EnterpriseID: id, Page: paging.Page{Limit: 50}}); err != nil {
			return err
		}
		if _, d.OpenMajor, err = s.Hazards.List(ctx, a, hazard.Filter{EnterpriseID: id, Level: hazard.Major, Open: true, Page: paging.Page{Limit: 1}}); err != nil {
			return err
		}
		_, d.Overdue, err = s.Hazards.List(ctx, a, hazard.Filter{EnterpriseID: id, Overdue: true, Page: paging.Page{Limit: 1}})
		return err
	case "risks":
		if d.Risks, _, err = s.Risks.List(ctx, a, risk.Filter{EnterpriseID: id, Page: paging.Page{Limit: 200}}); err != nil {
			return err
		}
		d.Colours, err = s.Risks.CountColours(ctx, a, id)
	}
	return err
}
