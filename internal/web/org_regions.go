package web

import (
	"net/http"
	"net/url"

	"anwei/internal/apperr"
	"anwei/internal/org"
)

type regionsData struct {
	Regions []org.Region
	Path    []org.Region
	Pager   pager
	Q       string
	Parent  string
}

func (s *Server) regionsData(r *http.Request) (regionsData, error) {
	a, ctx, q := actorOf(r), r.Context(), r.URL.Query()
	d := regionsData{Q: q.Get("q"), Parent: q.Get("parent")}
	regions, total, err := s.Org.ListRegions(ctx, a, org.RegionFilter{Parent: d.Parent, Q: d.Q, Page: pageOf(r, 50)})
	if err != nil {
		return d, err
	}
	d.Regions, d.Pager = regions, newPager(r, 50, total)
	d.Path, err = s.Org.RegionPath(ctx, a, d.Parent)
	return d, err
}

func (s *Server) regionsPage(w http.ResponseWriter, r *http.Request) {
	d, err := s.regionsData(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.pages.render(w, r, "org/regions", pageData{Title: "行政区划", Actor: actorOf(r), Flash: flashOf(r), Data: d})
}

func (s *Server) regionCreate(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, apperr.New(apperr.Invalid, "表单无效"))
		return
	}
	in := org.RegionInput{Code: r.PostForm.Get("code"), Name: r.PostForm.Get("name")}
	_, err := s.Org.CreateRegion(r.Context(), actorOf(r), in)
	if err == nil {
		redirectOK(w, r, "/org/regions", "created")
		return
	}
	// Show the list of the parent again with the form as typed.
	r.URL.RawQuery = url.Values{"parent": {org.ParentCode(in.Code)}}.Encode()
	d, derr := s.regionsData(r)
	if derr != nil {
		s.fail(w, r, derr)
		return
	}
	s.formErr(w, r, "org/regions", pageData{Title: "行政区划", Data: d}, err)
}

func (s *Server) regionEditPage(w http.ResponseWriter, r *http.Request) {
	a := actorOf(r)
	if err := a.Require(org.PermRegionWrite); err != nil {
		s.fail(w, r, err)
		return
	}
	reg, err := s.Org.GetRegion(r.Context(), a, r.PathValue("code"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.pages.render(w, r, "org/region_form", pageData{Title: "编辑行政区划", Actor: a, Flash: flashOf(r), Data: reg})
}

func (s *Server) regionRename(w http.ResponseWriter, r *http.Request) {
	a, code := actorOf(r), r.PathValue("code")
	_, err := s.Org.RenameRegion(r.Context(), a, code, r.FormValue("name"))
	if err == nil {
		redirectOK(w, r, "/org/regions/"+url.PathEscape(code)+"/edit", "saved")
		return
	}
	reg, gerr := s.Org.GetRegion(r.Context(), a, code)
	if gerr != nil {
		s.fail(w, r, gerr)
		return
	}
	s.formErr(w, r, "org/region_form", pageData{Title: "编辑行政区划", Data: reg}, err)
}

func (s *Server) regionSetActive(w http.ResponseWriter, r *http.Request) {
	a, code := actorOf(r), r.PathValue("code")
	active := r.FormValue("active") == "1"
	err := s.Org.SetRegionActive(r.Context(), a, code, active)
	if err == nil {
		redirectOK(w, r, "/org/regions/"+url.PathEscape(code)+"/edit", map[bool]string{true: "enabled", false: "abolished"}[active])
		return
	}
	reg, gerr := s.Org.GetRegion(r.Context(), a, code)
	if gerr != nil {
		s.fail(w, r, gerr)
		return
	}
	_ = r.ParseForm()
	s.formErr(w, r, "org/region_form", pageData{Title: "编辑行政区划", Data: reg}, err)
}

func (s *Server) apiRegionCreate(w http.ResponseWriter, r *http.Request) {
	var in org.RegionInput
	if err := decodeJSON(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	reg, err := s.Org.CreateRegion(r.Context(), actorOf(r), in)
	s.respond(w, r, http.StatusCreated, reg, err)
}

func (s *Server) apiRegionRename(w http.ResponseWriter, r *http.Request) {
	var in org.RegionInput
	if err := decodeJSON(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	reg, err := s.Org.RenameRegion(r.Context(), actorOf(r), r.PathValue("code"), in.Name)
	s.respond(w, r, 200, reg, err)
}

func (s *Server) apiRegionActive(w http.ResponseWriter, r *http.Request) {
	var in activeBody
	err := decodeJSON(r, &in)
	if err == nil {
		err = s.Org.SetRegionActive(r.Context(), actorOf(r), r.PathValue("code"), in.Active)
	}
	s.respond(w, r, 204, nil, err)
}
