package web

import (
	"net/http"
	"net/url"
	"strconv"

	"anwei/internal/org"
	"anwei/internal/paging"
)

type unitsData struct {
	Units  []org.Unit
	Pager  pager
	Filter url.Values
}

func (s *Server) unitsPage(w http.ResponseWriter, r *http.Request) error {
	a, q := actorOf(r), r.URL.Query()
	f := org.UnitFilter{Kind: org.UnitKind(q.Get("kind")), Region: q.Get("region"), Q: q.Get("q"), Active: q.Get("active"),
		Sort: sortOf(r), Page: pageOf(r, listSize)}
	units, total, err := s.Org.ListUnits(r.Context(), a, f)
	if err != nil {
		return err
	}
	s.pages.render(w, r, "org/units", pageData{Title: "单位", Actor: a, Flash: flashOf(r),
		Data: unitsData{Units: units, Pager: newPager(r, listSize, total), Filter: q}})
	return nil
}

type unitData struct {
	Unit     org.Unit
	Parent   *org.Unit
	Users    []org.User
	Members  []org.Member
	IsCommit bool
	// MemberName is the unit the member form chose, kept when it came back with an error.
	MemberName string
}

func (s *Server) unitPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderUnit(w, r, nil)
}

// renderUnit renders a unit's page; ferr, when not nil, is the committee
// member form's mistake, said next to its field with what was chosen kept.
func (s *Server) renderUnit(w http.ResponseWriter, r *http.Request, ferr error) error {
	a, ctx := actorOf(r), r.Context()
	uid, err := pathID(r, "id")
	if err != nil {
		return err
	}
	u, err := s.Org.GetUnit(ctx, a, uid)
	if err != nil {
		return err
	}
	d := unitData{Unit: u, IsCommit: u.Kind == org.KindCommittee}
	if u.ParentID != 0 {
		if p, err := s.Org.GetUnit(ctx, a, u.ParentID); err == nil {
			d.Parent = &p
		}
	}
	if d.Users, _, err = s.Org.ListUsers(ctx, a, org.UserFilter{UnitID: uid, Page: paging.Page{Limit: 100}}); err != nil {
		return err
	}
	if d.IsCommit {
		if d.Members, err = s.Org.ListMembers(ctx, a, uid); err != nil {
			return err
		}
	}
	pd := pageData{Title: u.Name, Actor: a, Flash: flashOf(r), Data: d}
	if ferr != nil {
		mid, _ := strconv.ParseInt(r.PostFormValue("member_id"), 10, 64)
		d.MemberName = s.unitName(r, mid)
		pd.Data = d
		return s.formErr(w, r, "org/unit", pd, ferr)
	}
	s.pages.render(w, r, "org/unit", pd)
	return nil
}

// unitForm is the data of the unit create/edit form.
type unitForm struct {
	Unit       org.Unit
	IsNew      bool
	Regions    []org.Region
	ParentName string // the chosen parent's, shown in its picker
}

// unitFormPage renders the unit form; err, when not nil, is the input's
// mistake to show with what was typed.
func (s *Server) unitFormPage(w http.ResponseWriter, r *http.Request, u org.Unit, isNew bool, err error) error {
	a, ctx := actorOf(r), r.Context()
	if aerr := a.Require(org.PermUnitWrite); aerr != nil {
		return aerr
	}
	d := unitForm{Unit: u, IsNew: isNew}
	root, _, rerr := s.Org.RootRegion(ctx)
	if rerr != nil {
		return rerr
	}
	// The root region and its children: enough to pick from in a county
	// deployment; elsewhere the code is typed.
	if reg, gerr := s.Org.GetRegion(ctx, a, root); gerr == nil {
		d.Regions = append(d.Regions, reg)
	}
	kids, _, lerr := s.Org.ListRegions(ctx, a, org.RegionFilter{Parent: root, Page: paging.Page{Limit: 500}})
	if lerr != nil {
		return lerr
	}
	d.Regions = append(d.Regions, kids...)
	parent := u.ParentID
	if err != nil {
		parent, _ = strconv.ParseInt(r.PostFormValue("parent_id"), 10, 64)
	}
	d.ParentName = s.unitName(r, parent)
	title := "编辑单位"
	if isNew {
		title = "新建单位"
	}
	p := pageData{Title: title, Actor: a, Data: d}
	if err != nil {
		return s.formErr(w, r, "org/unit_form", p, err)
	}
	s.pages.render(w, r, "org/unit_form", p)
	return nil
}

func (s *Server) unitNewPage(w http.ResponseWriter, r *http.Request) error {
	return s.unitFormPage(w, r, org.Unit{Kind: org.KindDepartment, RegionCode: actorOf(r).Unit.Region}, true, nil)
}

func (s *Server) unitCreate(w http.ResponseWriter, r *http.Request) error {
	in, err := unitInputOf(r)
	if err == nil {
		var u org.Unit
		if u, err = s.Org.CreateUnit(r.Context(), actorOf(r), in); err == nil {
			redirectOK(w, r, unitPath(u.ID), "created")
			return nil
		}
	}
	return s.unitFormPage(w, r, org.Unit{}, true, err)
}

func unitPath(id int64) string { return "/org/units/" + strconv.FormatInt(id, 10) }

func (s *Server) unitEditPage(w http.ResponseWriter, r *http.Request) error {
	uid, err := pathID(r, "id")
	if err != nil {
		return err
	}
	u, err := s.Org.GetUnit(r.Context(), actorOf(r), uid)
	if err != nil {
		return err
	}
	return s.unitFormPage(w, r, u, false, nil)
}

func (s *Server) unitUpdate(w http.ResponseWriter, r *http.Request) error {
	uid, err := pathID(r, "id")
	if err != nil {
		return err
	}
	in, err := unitInputOf(r)
	if err == nil {
		if _, err = s.Org.UpdateUnit(r.Context(), actorOf(r), uid, in); err == nil {
			redirectOK(w, r, unitPath(uid), "saved")
			return nil
		}
	}
	return s.unitFormPage(w, r, org.Unit{ID: uid}, false, err)
}

func (s *Server) unitSetActive(w http.ResponseWriter, r *http.Request) error {
	uid, err := pathID(r, "id")
	if err != nil {
		return err
	}
	active, flash := setActive(r)
	if err := s.Org.SetUnitActive(r.Context(), actorOf(r), uid, active); err != nil {
		return err
	}
	redirectOK(w, r, unitPath(uid), flash)
	return nil
}

func (s *Server) memberSet(w http.ResponseWriter, r *http.Request) error {
	cid, err := pathID(r, "id")
	if err != nil {
		return err
	}
	mid, _ := strconv.ParseInt(r.FormValue("member_id"), 10, 64)
	if err := s.Org.SetMember(r.Context(), actorOf(r), cid, mid, org.CommitteeRole(r.FormValue("role"))); err != nil {
		return s.renderUnit(w, r, err)
	}
	redirectOK(w, r, unitPath(cid), "member")
	return nil
}

func (s *Server) memberRemove(w http.ResponseWriter, r *http.Request) error {
	cid, mid, err := committeeMember(r)
	if err != nil {
		return err
	}
	if err := s.Org.RemoveMember(r.Context(), actorOf(r), cid, mid); err != nil {
		return err
	}
	redirectOK(w, r, unitPath(cid), "member")
	return nil
}

type committeesData struct {
	Committees []org.Unit
	Counts     map[int64]int
}

func (s *Server) committeesPage(w http.ResponseWriter, r *http.Request) error {
	a, ctx := actorOf(r), r.Context()
	cs, _, err := s.Org.ListUnits(ctx, a, org.UnitFilter{Kind: org.KindCommittee, Page: paging.Page{Limit: 200}})
	if err != nil {
		return err
	}
	d := committeesData{Committees: cs, Counts: map[int64]int{}}
	for _, c := range cs {
		ms, err := s.Org.ListMembers(ctx, a, c.ID)
		if err != nil {
			return err
		}
		d.Counts[c.ID] = len(ms)
	}
	s.pages.render(w, r, "org/committees", pageData{Title: "安委会", Actor: a, Data: d})
	return nil
}
