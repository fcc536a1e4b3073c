package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"anwei/internal/apperr"
	"anwei/internal/org"
)

const listSize = 20

type unitsData struct {
	Units  []org.Unit
	Pager  pager
	Filter url.Values
}

func (s *Server) unitsPage(w http.ResponseWriter, r *http.Request) {
	a, q := actorOf(r), r.URL.Query()
	f := org.UnitFilter{Kind: org.UnitKind(q.Get("kind")), Region: q.Get("region"), Q: q.Get("q"), Active: q.Get("active"),
		Page: pageOf(r, listSize)}
	units, total, err := s.Org.ListUnits(r.Context(), a, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.pages.render(w, r, "org/units", pageData{Title: "单位", Actor: a, Flash: flashOf(r),
		Data: unitsData{Units: units, Pager: newPager(r, listSize, total), Filter: q}})
}

type unitData struct {
	Unit     org.Unit
	Parent   *org.Unit
	Users    []org.User
	Members  []org.Member
	Choices  []org.Unit // units that may join the committee
	IsCommit bool
}

func (s *Server) unitPage(w http.ResponseWriter, r *http.Request) {
	a, ctx := actorOf(r), r.Context()
	uid, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	u, err := s.Org.GetUnit(ctx, a, uid)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := unitData{Unit: u, IsCommit: u.Kind == org.KindCommittee}
	if u.ParentID != 0 {
		if p, err := s.Org.GetUnit(ctx, a, u.ParentID); err == nil {
			d.Parent = &p
		}
	}
	if d.Users, _, err = s.Org.ListUsers(ctx, a, org.UserFilter{UnitID: uid, Page: org.Page{Limit: 100}}); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.IsCommit {
		if d.Members, err = s.Org.ListMembers(ctx, a, uid); err != nil {
			s.fail(w, r, err)
			return
		}
		if a.Can(org.PermCommitteeWrite) {
			in := map[int64]bool{}
			for _, m := range d.Members {
				in[m.Unit.ID] = true
			}
			for _, k := range []org.UnitKind{org.KindDepartment, org.KindCommitteeOffice, org.KindSpecialCommittee, org.KindStreet, org.KindZone} {
				us, _, err := s.Org.ListUnits(ctx, a, org.UnitFilter{Kind: k, Active: "1", Page: org.Page{Limit: 500}})
				if err != nil {
					s.fail(w, r, err)
					return
				}
				for _, x := range us {
					if !in[x.ID] {
						d.Choices = append(d.Choices, x)
					}
				}
			}
		}
	}
	s.pages.render(w, r, "org/unit", pageData{Title: u.Name, Actor: a, Flash: flashOf(r), Data: d})
}

// unitForm is the data of the unit create/edit form.
type unitForm struct {
	Unit    org.Unit
	IsNew   bool
	Regions []org.Region
	Parents []org.Unit
}

func (s *Server) unitFormData(r *http.Request, u org.Unit, isNew bool) (unitForm, error) {
	a, ctx := actorOf(r), r.Context()
	d := unitForm{Unit: u, IsNew: isNew}
	root, _, err := s.Org.RootRegion(ctx)
	if err != nil {
		return d, err
	}
	// The root region and its children, then each child's children: enough
	// for a county deployment; others type the code.
	for _, parent := range []string{root} {
		if reg, err := s.Org.GetRegion(ctx, a, parent); err == nil {
			d.Regions = append(d.Regions, reg)
		}
		kids, _, err := s.Org.ListRegions(ctx, a, org.RegionFilter{Parent: parent, Page: org.Page{Limit: 500}})
		if err != nil {
			return d, err
		}
		d.Regions = append(d.Regions, kids...)
	}
	for _, k := range []org.UnitKind{org.KindGovernment, org.KindCommittee, org.KindCommitteeOffice, org.KindDepartment} {
		us, _, err := s.Org.ListUnits(ctx, a, org.UnitFilter{Kind: k, Active: "1", Page: org.Page{Limit: 500}})
		if err != nil {
			return d, err
		}
		d.Parents = append(d.Parents, us...)
	}
	return d, nil
}

func (s *Server) unitNewPage(w http.ResponseWriter, r *http.Request) {
	a := actorOf(r)
	if err := a.Require(org.PermUnitWrite); err != nil {
		s.fail(w, r, err)
		return
	}
	d, err := s.unitFormData(r, org.Unit{Kind: org.KindDepartment, RegionCode: a.Unit.Region}, true)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.pages.render(w, r, "org/unit_form", pageData{Title: "新建单位", Actor: a, Data: d})
}

// unitInputOf reads the unit form.
func unitInputOf(r *http.Request) (org.UnitInput, error) {
	if err := r.ParseForm(); err != nil {
		return org.UnitInput{}, apperr.New(apperr.Invalid, "表单无效")
	}
	f := r.PostForm
	in := org.UnitInput{Name: f.Get("name"), ShortName: f.Get("short_name"), Kind: org.UnitKind(f.Get("kind")),
		RegionCode: f.Get("region_code")}
	if p := f.Get("parent_id"); p != "" {
		v, err := strconv.ParseInt(p, 10, 64)
		if err != nil {
			return in, apperr.Field("parent_id", "上级单位无效")
		}
		in.ParentID = v
	}
	if in.RegionCode == "" {
		in.Level = org.LevelCounty
	}
	in.Aliases = splitList(f.Get("aliases"))
	return in, nil
}

// splitList splits a list typed one per line or separated by 、，, or ;.
func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return r == '\n' || r == '\r' || r == '、' || r == ',' || r == '，' || r == ';' || r == '；'
	})
}

func (s *Server) unitCreate(w http.ResponseWriter, r *http.Request) {
	a := actorOf(r)
	in, err := unitInputOf(r)
	if err == nil {
		var u org.Unit
		if u, err = s.Org.CreateUnit(r.Context(), a, in); err == nil {
			redirectOK(w, r, "/org/units/"+strconv.FormatInt(u.ID, 10), "created")
			return
		}
	}
	d, ferr := s.unitFormData(r, org.Unit{}, true)
	if ferr != nil {
		s.fail(w, r, ferr)
		return
	}
	s.formErr(w, r, "org/unit_form", pageData{Title: "新建单位", Data: d}, err)
}

func (s *Server) unitEditPage(w http.ResponseWriter, r *http.Request) {
	a := actorOf(r)
	if err := a.Require(org.PermUnitWrite); err != nil {
		s.fail(w, r, err)
		return
	}
	uid, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	u, err := s.Org.GetUnit(r.Context(), a, uid)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d, err := s.unitFormData(r, u, false)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.pages.render(w, r, "org/unit_form", pageData{Title: "编辑单位", Actor: a, Data: d})
}

func (s *Server) unitUpdate(w http.ResponseWriter, r *http.Request) {
	a := actorOf(r)
	uid, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	in, err := unitInputOf(r)
	if err == nil {
		if _, err = s.Org.UpdateUnit(r.Context(), a, uid, in); err == nil {
			redirectOK(w, r, "/org/units/"+strconv.FormatInt(uid, 10), "saved")
			return
		}
	}
	d, ferr := s.unitFormData(r, org.Unit{ID: uid}, false)
	if ferr != nil {
		s.fail(w, r, ferr)
		return
	}
	s.formErr(w, r, "org/unit_form", pageData{Title: "编辑单位", Data: d}, err)
}

func (s *Server) unitSetActive(w http.ResponseWriter, r *http.Request) {
	uid, err := pathID(r, "id")
	if err == nil {
		active := r.FormValue("active") == "1"
		if err = s.Org.SetUnitActive(r.Context(), actorOf(r), uid, active); err == nil {
			redirectOK(w, r, "/org/units/"+strconv.FormatInt(uid, 10), map[bool]string{true: "enabled", false: "disabled"}[active])
			return
		}
	}
	s.fail(w, r, err)
}

func (s *Server) memberSet(w http.ResponseWriter, r *http.Request) {
	cid, err := pathID(r, "id")
	if err == nil {
		var mid int64
		mid, err = strconv.ParseInt(r.FormValue("member_id"), 10, 64)
		if err != nil {
			err = apperr.Field("member_id", "请选择要加入的单位")
		} else if err = s.Org.SetMember(r.Context(), actorOf(r), cid, mid, org.CommitteeRole(r.FormValue("role"))); err == nil {
			redirectOK(w, r, "/org/units/"+strconv.FormatInt(cid, 10), "member")
			return
		}
	}
	s.fail(w, r, err)
}

func (s *Server) memberRemove(w http.ResponseWriter, r *http.Request) {
	cid, err := pathID(r, "id")
	if err == nil {
		var mid int64
		if mid, err = pathID(r, "member"); err == nil {
			if err = s.Org.RemoveMember(r.Context(), actorOf(r), cid, mid); err == nil {
				redirectOK(w, r, "/org/units/"+strconv.FormatInt(cid, 10), "member")
				return
			}
		}
	}
	s.fail(w, r, err)
}

type committeesData struct {
	Committees []org.Unit
	Counts     map[int64]int
}

func (s *Server) committeesPage(w http.ResponseWriter, r *http.Request) {
	a, ctx := actorOf(r), r.Context()
	cs, _, err := s.Org.ListUnits(ctx, a, org.UnitFilter{Kind: org.KindCommittee, Page: org.Page{Limit: 200}})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := committeesData{Committees: cs, Counts: map[int64]int{}}
	for _, c := range cs {
		ms, err := s.Org.ListMembers(ctx, a, c.ID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		d.Counts[c.ID] = len(ms)
	}
	s.pages.render(w, r, "org/committees", pageData{Title: "安委会", Actor: a, Data: d})
}
