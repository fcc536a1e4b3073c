package web

import (
	"net/http"
	"slices"
	"strconv"

	"anwei/internal/apperr"
	"anwei/internal/codes"
	"anwei/internal/enterprise"
	"anwei/internal/hazard"
	"anwei/internal/org"
	"anwei/internal/paging"
	"anwei/internal/rules"
)

// hazardStates are the states in lifecycle order, for the filter.
var hazardStates = []hazard.State{hazard.Reported, hazard.SelfRectifying, hazard.Judged, hazard.Assigned, hazard.Rectifying, hazard.Rectified, hazard.Closed}

func (s *Server) hazardsPage(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	f, err := hazardFilter(r, listSize)
	if err != nil {
		return err
	}
	hs, total, err := s.Hazards.List(r.Context(), a, f)
	if err != nil {
		return err
	}
	d := map[string]any{"Rows": hs, "Pager": newPager(r, listSize, total), "Q": r.URL.Query(), "States": hazardStates,
		"Sources": hazard.Sources, "Handlings": hazard.Handlings, "Total": total, "Cap": hazard.ListCountCap, "Ledger": "/hazards/ledger.xlsx?" + r.URL.RawQuery,
		"Drill": s.drillLabel(r, f)}
	s.pages.render(w, r, "hazard/list", pageData{Title: "隐患排查治理", Actor: a, Flash: flashOf(r), Data: d})
	return nil
}

func (s *Server) hazardLedger(w http.ResponseWriter, r *http.Request) error {
	f, err := hazardFilter(r, 0)
	if err != nil {
		return err
	}
	sh, err := s.Hazards.Ledger(r.Context(), actorOf(r), f)
	if err != nil {
		return err
	}
	return sendXLSX(w, "隐患台账-"+s.Plans.Today()+".xlsx", sh)
}

// reportForm is the 上报隐患 page's data.
type reportForm struct {
	Enterprise enterprise.Enterprise // when reporting for a known enterprise
	Sources    []codes.Choice
}

func (s *Server) renderHazardNew(w http.ResponseWriter, r *http.Request, ferr error) error {
	a := actorOf(r)
	d := reportForm{Sources: hazard.Sources}
	id, _ := strconv.ParseInt(r.FormValue("enterprise"), 10, 64)
	if id = enterprise.Subject(a, id); id != 0 {
		e, err := s.Ents.Get(r.Context(), a, id)
		if err != nil {
			return err
		}
		d.Enterprise = e
	}
	pd := pageData{Title: "上报隐患", Actor: a, Data: d}
	if ferr != nil {
		return s.formErr(w, r, "hazard/new", pd, ferr)
	}
	s.pages.render(w, r, "hazard/new", pd)
	return nil
}

func (s *Server) hazardNewPage(w http.ResponseWriter, r *http.Request) error {
	if err := actorOf(r).Require(org.PermHazardReport); err != nil {
		return err
	}
	return s.renderHazardNew(w, r, nil)
}

func (s *Server) hazardCreate(w http.ResponseWriter, r *http.Request) error {
	in, closeAll, err := reportFormInput(r, s.heldUploads)
	defer closeAll()
	if err != nil {
		return s.renderHazardNew(w, s.keepUploads(r, err, "files", "after_files"), err)
	}
	h, err := s.Hazards.Report(r.Context(), actorOf(r), in)
	if err != nil {
		if r.Form.Has("enterprise_name") { // the page's field for the enterprise
			err = apperr.Renamed(err, "enterprise_id", "enterprise_name")
		}
		return s.renderHazardNew(w, s.keepUploads(r, err, "files", "after_files"), err)
	}
	s.releaseUploads(r, "files", "after_files")
	flash := "hazard"
	if h.Handling != "department" {
		flash += "-" + h.Handling
	}
	redirectOK(w, r, "/hazards/"+strconv.FormatInt(h.ID, 10), flash)
	return nil
}

// hazardView is the detail page's data.
type hazardView struct {
	H         hazard.Hazard
	History   []hazard.Event
	Photos    []hazard.Photo
	Listings  []hazard.Listing
	Criteria  []rules.Criterion
	Today     string
	CanList   bool
	Tier      string
	Actions   []hazard.Action // what the actor may do now
	Criterion string          // the cited criterion
	Opinions  opinionsView    // 专家判定意见 (hazard_opinion_pages.go)

	// The 判定标准 picker: Criteria are the items of the standards the
	// enterprise's categories (named) fall under, OtherCriteria the rest.
	OtherCriteria []rules.Criterion
	Categories    []string
}

func (s *Server) renderHazard(w http.ResponseWriter, r *http.Request, ferr error) error {
	a := actorOf(r)
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ctx := r.Context()
	v := hazardView{Today: s.Plans.Today()}
	if v.H, err = s.Hazards.Get(ctx, a, id); err != nil {
		return err
	}
	if v.History, err = s.Hazards.GetHistory(ctx, a, id); err != nil {
		return err
	}
	if v.Photos, err = s.Hazards.ListPhotos(ctx, a, id); err != nil {
		return err
	}
	if v.Listings, err = s.Hazards.ListingsOf(ctx, a, id); err != nil {
		return err
	}
	v.Actions = hazard.Allowed(a, v.H)
	if slices.Contains(v.Actions, hazard.Judge) {
		cats, err := s.Ents.CategoriesOf(ctx, []int64{v.H.UnitID})
		if err != nil {
			return err
		}
		for _, c := range cats[v.H.UnitID] {
			v.Categories = append(v.Categories, enterprise.CategoryName(c))
		}
		if v.Criteria, v.OtherCriteria, err = hazard.CriteriaFor(cats[v.H.UnitID]); err != nil {
			return err
		}
	}
	v.Criterion = hazard.CriterionText(v.H.Criterion)
	v.Tier = hazard.TierOf(a.Unit.Region)
	v.CanList = hazard.MayList(a, v.H, v.Listings)
	if v.Opinions, err = s.opinionsOf(ctx, a, v.H); err != nil {
		return err
	}
	pd := pageData{Title: "隐患 " + v.H.Number, Actor: a, Flash: flashOf(r), Data: v}
	if ferr != nil {
		return s.formErr(w, r, "hazard/detail", pd, ferr)
	}
	s.pages.render(w, r, "hazard/detail", pd)
	return nil
}

func (s *Server) hazardPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderHazard(w, r, nil)
}

// hazardAct takes the lifecycle step the form names.
func (s *Server) hazardAct(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ups, closeAll, err := s.heldUploads(r, "files")
	defer closeAll()
	if err != nil {
		return s.renderHazard(w, s.keepUploads(r, err, "files"), err)
	}
	if _, err := s.Hazards.Act(r.Context(), actorOf(r), id, hazardStep(r, ups)); err != nil {
		return s.renderHazard(w, s.keepUploads(r, err, "files"), err)
	}
	s.releaseUploads(r, "files")
	redirectOK(w, r, "/hazards/"+strconv.FormatInt(id, 10), "saved")
	return nil
}

func (s *Server) hazardList(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	if _, err := s.Hazards.AddListing(r.Context(), actorOf(r), id, hazard.ListingInput{Deadline: r.PostForm.Get("deadline"),
		Requirement: r.PostForm.Get("requirement"), DocPrefix: r.PostForm.Get("doc_prefix")}); err != nil {
		return s.renderHazard(w, r, err)
	}
	redirectOK(w, r, "/hazards/"+strconv.FormatInt(id, 10), "listed")
	return nil
}

func (s *Server) hazardPhoto(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.Hazards.GetPhoto(r.Context(), actorOf(r), id)
	if err != nil {
		return err
	}
	return s.sendFile(w, p.SHA256, p.Name)
}

func (s *Server) listingsPage(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	q := r.URL.Query()
	f := hazard.ListingFilter{Mine: q.Get("mine") == "1", Active: q.Get("all") != "1", Page: pageOf(r, listSize)}
	ls, total, err := s.Hazards.Listings(r.Context(), a, f)
	if err != nil {
		return err
	}
	esc, _, err := s.Hazards.List(r.Context(), a, hazard.Filter{Escalated: true, Open: true, Page: paging.Page{Limit: 100}})
	if err != nil {
		return err
	}
	d := map[string]any{"Rows": ls, "Pager": newPager(r, listSize, total), "Q": q, "Escalated": esc}
	s.pages.render(w, r, "hazard/listings", pageData{Title: "挂牌督办", Actor: a, Flash: flashOf(r), Data: d})
	return nil
}

func (s *Server) listingPDF(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	l, err := s.Hazards.GetListing(r.Context(), actorOf(r), id)
	if err != nil {
		return err
	}
	b, err := l.Letter().PDF()
	return sendPDF(w, l.DocNumber+".pdf", b, err)
}

// listingDOCX is the 督办通知书 as .docx, to whom may read it as its PDF.
func (s *Server) listingDOCX(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	l, err := s.Hazards.GetListing(r.Context(), actorOf(r), id)
	if err != nil {
		return err
	}
	b, err := l.Letter().DOCX()
	return sendDOCX(w, l.DocNumber+".docx", b, err)
}
