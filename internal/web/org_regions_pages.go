package web

import (
	"net/http"
	"net/url"

	"anwei/internal/org"
)

type regionsData struct {
	Regions []org.Region
	Path    []org.Region
	Pager   pager
	Q       string
	Parent  string
}

// regionsPage lists the regions under ?parent=.
func (s *Server) regionsPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderRegions(w, r, nil)
}

// renderRegions renders the region list; ferr, when not nil, is the mistake
// in the add-region form to show with what was typed.
func (s *Server) renderRegions(w http.ResponseWriter, r *http.Request, ferr error) error {
	a, ctx, q := actorOf(r), r.Context(), r.URL.Query()
	d := regionsData{Q: q.Get("q"), Parent: q.Get("parent")}
	regions, total, err := s.Org.ListRegions(ctx, a, org.RegionFilter{Parent: d.Parent, Q: d.Q, Page: pageOf(r, 50)})
	if err != nil {
		return err
	}
	d.Regions, d.Pager = regions, newPager(r, 50, total)
	if d.Path, err = s.Org.RegionPath(ctx, a, d.Parent); err != nil {
		return err
	}
	p := pageData{Title: "行政区划", Actor: a, Flash: flashOf(r), Data: d}
	if ferr != nil {
		return s.formErr(w, r, "org/regions", p, ferr)
	}
	s.pages.render(w, r, "org/regions", p)
	return nil
}

func (s *Server) regionCreate(w http.ResponseWriter, r *http.Request) error {
	in := org.RegionInput{Code: r.FormValue("code"), Name: r.FormValue("name")}
	_, err := s.Org.CreateRegion(r.Context(), actorOf(r), in)
	if err == nil {
		redirectOK(w, r, "/org/regions", "created")
		return nil
	}
	// Show the parent's list again, with the form as typed.
	r.URL.RawQuery = url.Values{"parent": {org.ParentCode(in.Code)}}.Encode()
	return s.renderRegions(w, r, err)
}

func regionPath(code string) string { return "/org/regions/" + url.PathEscape(code) + "/edit" }

// regionFormPage renders a region's edit page, with the input's mistake if err is not nil.
func (s *Server) regionFormPage(w http.ResponseWriter, r *http.Request, err error) error {
	a := actorOf(r)
	if aerr := a.Require(org.PermRegionWrite); aerr != nil {
		return aerr
	}
	reg, gerr := s.Org.GetRegion(r.Context(), a, r.PathValue("code"))
	if gerr != nil {
		return gerr
	}
	p := pageData{Title: "编辑行政区划", Actor: a, Flash: flashOf(r), Data: reg}
	if err != nil {
		return s.formErr(w, r, "org/region_form", p, err)
	}
	s.pages.render(w, r, "org/region_form", p)
	return nil
}

func (s *Server) regionEditPage(w http.ResponseWriter, r *http.Request) error {
	return s.regionFormPage(w, r, nil)
}

func (s *Server) regionRename(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("code")
	if _, err := s.Org.RenameRegion(r.Context(), actorOf(r), code, r.FormValue("name")); err != nil {
		return s.regionFormPage(w, r, err)
	}
	redirectOK(w, r, regionPath(code), "saved")
	return nil
}

func (s *Server) regionSetActive(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("code")
	active, flash := setActive(r)
	if !active {
		flash = "abolished"
	}
	if err := s.Org.SetRegionActive(r.Context(), actorOf(r), code, active); err != nil {
		return s.regionFormPage(w, r, err)
	}
	redirectOK(w, r, regionPath(code), flash)
	return nil
}
