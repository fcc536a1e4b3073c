package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"anwei/internal/apperr"
	"anwei/internal/codes"
	"anwei/internal/enforce"
	"anwei/internal/enterprise"
	"anwei/internal/hazard"
	"anwei/internal/org"
	"anwei/internal/paging"
	"anwei/internal/risk"
	"anwei/internal/rules"
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
	Dept          org.UnitRef // the 监管部门 picker's choice: the actor's own department, or what was sent
	Posts         []codes.Choice
	LicenceKinds  []string
	Today         string
	Hazards       []hazard.Hazard // the 隐患 tab: the newest
	HazardCount   int
	OpenMajor     int // open major hazards (动态清零)
	Overdue       int
	Risks         []risk.Point          // the 风险 tab
	Colours       []risk.Share          // its four-colour count
	Inspections   []enforce.Inspection  // the 检查 tab: this year's and last
	EntryCode     bool                  // the 检查 tab shows its 入企码
	Cases         []enforce.PenaltyCase // the 检查 tab: its 行政处罚案件 and penalties
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
		if a.Unit.Kind == org.KindDepartment {
			d.Dept = org.UnitRef{ID: a.Unit.ID, Name: a.Unit.Name}
		}
		if ferr != nil && r.PostForm != nil && r.PostForm.Has("dept_id") {
			d.Dept.ID, _ = strconv.ParseInt(r.PostForm.Get("dept_id"), 10, 64)
			d.Dept.Name = s.unitName(r, d.Dept.ID)
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
	case "inspections":
		if !a.Can(org.PermEnforceRead) && a.Unit.ID != id {
			return nil
		}
		d.Inspections, _, err = s.Enforce.ListInspections(ctx, a, enforce.InspectionFilter{EnterpriseID: id, Page: paging.Page{Limit: 100}})
		d.EntryCode = err == nil
		if err == nil {
			d.Cases, _, err = s.Enforce.Cases(ctx, a, enforce.CaseFilter{Enterprise: id, Page: paging.Page{Limit: 100}})
		}
	}
	return err
}

// profileForm runs one of the profile's forms: do changes something and
// returns the tab to show; a mistake shows the profile again with it.
func (s *Server) profileForm(tab, flash string, do func(r *http.Request, id int64) error) pageFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		if err := r.ParseForm(); err != nil {
			return err
		}
		r.PostForm.Set("tab", tab)
		if err := do(r, id); err != nil {
			return s.renderProfile(w, r, err)
		}
		profileBack(w, r, id, tab, flash)
		return nil
	}
}

func (s *Server) installationSave(r *http.Request, id int64) error {
	var c apperr.Checks // what does not read, with the fields' other faults (issue 16.2)
	hs, err := holdings(r)
	_ = c.Take(err)
	people, err := strconv.Atoi(strings.TrimSpace(r.PostForm.Get("people")))
	c.If(err != nil || people < 0, "people", "厂外500米内常住人口应为非负整数")
	in := enterprise.InstallationInput{Name: r.PostForm.Get("name"), Kind: r.PostForm.Get("kind"), People: max(people, 0),
		RecordNo: r.PostForm.Get("record_no"), Holdings: hs}
	if len(c) > 0 {
		_, more := enterprise.CheckInstallation(in)
		for _, f := range more {
			if f.Field != "people" && (f.Field != "holdings" || apperr.On(apperr.As(c.Err()), "holdings") == "") {
				c.Add(f.Field, f.Message)
			}
		}
		return c.Err()
	}
	iid, _ := strconv.ParseInt(r.PostForm.Get("installation"), 10, 64)
	_, err = s.Ents.SaveInstallation(r.Context(), actorOf(r), id, iid, in)
	return err
}

func (s *Server) creditAdd(r *http.Request, id int64) error {
	_, err := s.Ents.AddToBlacklist(r.Context(), actorOf(r), id, enterprise.ListingInput{Reason: r.PostForm.Get("reason"),
		Basis: r.PostForm.Get("basis"), DecisionNo: r.PostForm.Get("decision_no"), ListedOn: r.PostForm.Get("listed_on")})
	return err
}

func (s *Server) creditRepair(r *http.Request, id int64) error {
	lid, _ := strconv.ParseInt(r.PostForm.Get("listing"), 10, 64)
	return s.Ents.RepairCredit(r.Context(), actorOf(r), lid, r.PostForm.Get("decision"))
}

func (s *Server) certificateAdd(r *http.Request, id int64) error {
	_, err := s.Ents.AddCertificate(r.Context(), actorOf(r), id, enterprise.CertificateInput{Person: r.PostForm.Get("person"),
		Post: r.PostForm.Get("post"), WorkType: r.PostForm.Get("work_type"), Number: r.PostForm.Get("number"),
		IssuedOn: r.PostForm.Get("issued_on"), ExpiresOn: r.PostForm.Get("expires_on"), ReviewedOn: r.PostForm.Get("reviewed_on")})
	return err
}

func (s *Server) licenceAdd(r *http.Request, id int64) error {
	_, err := s.Ents.AddLicence(r.Context(), actorOf(r), id, enterprise.Licence{Kind: r.PostForm.Get("kind"), Number: r.PostForm.Get("number"),
		Issuer: r.PostForm.Get("issuer"), IssuedOn: r.PostForm.Get("issued_on"), ExpiresOn: r.PostForm.Get("expires_on")})
	return err
}

func (s *Server) supervisorSet(r *http.Request, id int64) error {
	dept, _ := strconv.ParseInt(r.PostForm.Get("dept_id"), 10, 64)
	if dept == 0 {
		return apperr.Field("dept_id", "请选择监管部门")
	}
	officer, err := s.personOf(r, "officer_id", dept)
	if err != nil {
		return err
	}
	return s.Ents.SetSupervisor(r.Context(), actorOf(r), id, dept, officer)
}

func (s *Server) keyListSet(r *http.Request, id int64) error {
	return s.Ents.SetKeyList(r.Context(), actorOf(r), id, r.PostForm.Get("included") == "1", strings.TrimSpace(r.PostForm.Get("reason")))
}

// majorSourceCalc is the calculator fragment: the installation form posts
// here (htmx) to see Σq/Q, R and the grade before saving.
func (s *Server) majorSourceCalc(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	d := map[string]any{}
	hs, err := holdings(r)
	people, perr := strconv.Atoi(strings.TrimSpace(r.PostForm.Get("people")))
	switch {
	case err != nil:
		d["Err"] = apperr.As(err).Message
	case perr != nil || people < 0:
		d["Err"] = "厂外500米内常住人口应为非负整数"
	default:
		res, err := rules.ComputeMajorSource(hs, people)
		if err != nil {
			d["Err"] = err.Error()
		} else {
			d["R"] = res
		}
	}
	return s.pages.fragment(w, "enterprise/profile", "calc", d)
}
