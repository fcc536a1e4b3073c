package web

import (
	"net/http"
	"strconv"

	"anwei/internal/enforce"
	"anwei/internal/org"
	"anwei/internal/paging"
)

// officersView is the 名录库 page's data: the entries, and for the
// department's planner the unit's users to add.
type officersView struct {
	Officers []enforce.Officer
	Users    []org.User
	MayKeep  bool
	Form     string // which form came back with an error: officer or conflict:<id>
}

func (s *Server) renderOfficers(w http.ResponseWriter, r *http.Request, which string, ferr error) error {
	a := actorOf(r)
	os, err := s.Enforce.ListOfficers(r.Context(), a)
	if err != nil {
		return err
	}
	v := officersView{Officers: os, MayKeep: a.Can(org.PermEnforcePlan) && a.Unit.Kind == org.KindDepartment, Form: which}
	if v.MayKeep {
		if v.Users, _, err = s.Org.ListUsers(r.Context(), a, org.UserFilter{UnitID: a.Unit.ID, Active: "1", Page: paging.Page{Limit: paging.Max}}); err != nil {
			return err
		}
	}
	pd := pageData{Title: "执法检查人员名录库", Actor: a, Flash: flashOf(r), Data: v}
	if ferr != nil {
		return s.formErr(w, r, "enforce/officers", pd, ferr)
	}
	s.pages.render(w, r, "enforce/officers", pd)
	return nil
}

func (s *Server) officersPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderOfficers(w, r, "", nil)
}

// officerSet puts a user of the department in its 名录库 or changes it.
func (s *Server) officerSet(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	in := enforce.OfficerInput{CertNo: r.PostForm.Get("cert_no"), CertExpires: r.PostForm.Get("cert_expires"), Active: r.PostForm.Get("active") == "1"}
	in.UserID, _ = strconv.ParseInt(r.PostForm.Get("user_id"), 10, 64)
	if err := s.Enforce.SetOfficer(r.Context(), actorOf(r), in); err != nil {
		return s.renderOfficers(w, r, "officer", err)
	}
	redirectOK(w, r, "/enforce/officers", "saved")
	return nil
}

// conflictDeclare records an officer's conflict with an enterprise.
func (s *Server) conflictDeclare(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	in := enforce.ConflictInput{Reason: r.PostForm.Get("reason")}
	in.EnterpriseID, _ = strconv.ParseInt(r.PostForm.Get("enterprise_id"), 10, 64)
	if err := s.Enforce.DeclareConflict(r.Context(), actorOf(r), id, in); err != nil {
		return s.renderOfficers(w, r, "conflict:"+strconv.FormatInt(id, 10), err)
	}
	redirectOK(w, r, "/enforce/officers", "saved")
	return nil
}

// inspectionsView is the inspection list's data.
type inspectionsView struct {
	Rows    []enforce.Inspection
	Pager   pager
	Q       map[string][]string
	MayAdd  bool
	Year    int
	Created *enforce.Inspection // the one just recorded (its flag shown)
}

func (s *Server) renderInspections(w http.ResponseWriter, r *http.Request, created *enforce.Inspection, ferr error) error {
	a := actorOf(r)
	q := r.URL.Query()
	year := s.yearOf(r)
	f := inspectionFilter(r)
	f.Year, f.Page = year, pageOf(r, listSize)
	rows, total, err := s.Enforce.ListInspections(r.Context(), a, f)
	if err != nil {
		return err
	}
	v := inspectionsView{Rows: rows, Pager: newPager(r, listSize, total), Q: q, Year: year, Created: created,
		MayAdd: a.Can(org.PermEnforcePlan) && a.Unit.Kind == org.KindDepartment}
	pd := pageData{Title: "执法检查登记", Actor: a, Flash: flashOf(r), Data: v}
	if ferr != nil {
		return s.formErr(w, r, "enforce/inspections", pd, ferr)
	}
	s.pages.render(w, r, "enforce/inspections", pd)
	return nil
}

func (s *Server) inspectionsPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderInspections(w, r, nil, nil)
}

// inspectionAdd records a 个案检查 or a 督导检查.
func (s *Server) inspectionAdd(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	in, c := inspectionInput(r)
	var err error
	var got enforce.Inspection
	if len(c) > 0 {
		err = merged(c, in.Check())
	} else {
		got, err = s.Enforce.AddInspection(r.Context(), actorOf(r), in)
	}
	if err != nil {
		return s.renderInspections(w, r, nil, err)
	}
	if got.Frequent { // the flag is the point: said with the confirmation
		redirectOK(w, r, "/enforce/inspections", "recorded-frequent")
		return nil
	}
	redirectOK(w, r, "/enforce/inspections", "recorded")
	return nil
}
