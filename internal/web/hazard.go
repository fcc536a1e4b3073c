package web

import (
	"net/http"
	"strconv"
	"strings"

	"anwei/internal/apperr"
	"anwei/internal/codes"
	"anwei/internal/enterprise"
	"anwei/internal/hazard"
	"anwei/internal/org"
	"anwei/internal/paging"
	"anwei/internal/rules"
)

// hazardFilter reads the hazard list filters from the query.
func hazardFilter(r *http.Request, size int) hazard.Filter {
	q := r.URL.Query()
	ent, _ := strconv.ParseInt(q.Get("enterprise"), 10, 64)
	return hazard.Filter{EnterpriseID: ent, State: hazard.State(q.Get("state")), Level: q.Get("level"), Open: q.Get("open") == "1",
		Overdue: q.Get("overdue") == "1", Source: q.Get("source"), Listed: q.Get("listed") == "1", Escalated: q.Get("escalated") == "1",
		Q: q.Get("q"), Page: pageOf(r, size)}
}

// hazardStates are the states in lifecycle order, for the filter.
var hazardStates = []hazard.State{hazard.Reported, hazard.Judged, hazard.Assigned, hazard.Rectifying, hazard.Rectified, hazard.Closed}

func (s *Server) hazardsPage(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	f := hazardFilter(r, listSize)
	hs, total, err := s.Hazards.List(r.Context(), a, f)
	if err != nil {
		return err
	}
	d := map[string]any{"Rows": hs, "Pager": newPager(r, listSize, total), "Q": r.URL.Query(), "States": hazardStates,
		"Sources": hazard.Sources, "Total": total, "Cap": hazard.ListCountCap, "Ledger": "/hazards/ledger.xlsx?" + r.URL.RawQuery}
	s.pages.render(w, r, "hazard/list", pageData{Title: "隐患排查治理", Actor: a, Flash: flashOf(r), Data: d})
	return nil
}

func (s *Server) hazardLedger(w http.ResponseWriter, r *http.Request) error {
	sh, err := s.Hazards.Ledger(r.Context(), actorOf(r), hazardFilter(r, 0))
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
	if a.Unit.Kind == org.KindEnterprise {
		id = a.Unit.ID
	}
	if id != 0 {
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

// findEnterprise resolves what a government user typed (a name or a
// credit code) to the one enterprise it names in scope.
func (s *Server) findEnterprise(r *http.Request, typed string) (int64, error) {
	typed = strings.TrimSpace(typed)
	if typed == "" {
		return 0, apperr.Field("enterprise_name", "请填写企业名称或统一社会信用代码")
	}
	es, n, err := s.Ents.List(r.Context(), actorOf(r), enterprise.Filter{Q: typed, Page: paging.Page{Limit: 5}})
	if err != nil {
		return 0, err
	}
	for _, e := range es {
		if e.Name == typed || e.CreditCode == strings.ToUpper(typed) {
			return e.UnitID, nil
		}
	}
	if n == 1 {
		return es[0].UnitID, nil
	}
	if n == 0 {
		return 0, apperr.Field("enterprise_name", "管辖范围内没有名称或代码含「"+typed+"」的企业")
	}
	return 0, apperr.Field("enterprise_name", "找到 "+strconv.Itoa(n)+" 家企业，请填写完整名称或信用代码")
}

func (s *Server) hazardCreate(w http.ResponseWriter, r *http.Request) error {
	ups, closeAll, err := uploads(r)
	defer closeAll()
	if err != nil {
		return s.renderHazardNew(w, r, err)
	}
	a := actorOf(r)
	id, _ := strconv.ParseInt(r.FormValue("enterprise"), 10, 64)
	if a.Unit.Kind == org.KindEnterprise {
		id = a.Unit.ID
	} else if id == 0 {
		if id, err = s.findEnterprise(r, r.FormValue("enterprise_name")); err != nil {
			return s.renderHazardNew(w, r, err)
		}
	}
	funds, _ := strconv.ParseFloat(strings.TrimSpace(r.FormValue("funds")), 64)
	if v := strings.TrimSpace(r.FormValue("funds")); v != "" && funds == 0 && v != "0" {
		return s.renderHazardNew(w, r, apperr.Field("funds", "整改资金应为数字 (元)"))
	}
	h, err := s.Hazards.Report(r.Context(), a, hazard.ReportInput{EnterpriseID: id, Place: r.FormValue("place"), Description: r.FormValue("description"),
		Source: r.FormValue("source"), Measures: r.FormValue("measures"), Responsible: r.FormValue("responsible"), Funds: funds, Photos: ups})
	if err != nil {
		return s.renderHazardNew(w, r, err)
	}
	redirectOK(w, r, "/hazards/"+strconv.FormatInt(h.ID, 10), "hazard")
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
	if v.Criteria, err = rules.Criteria(); err != nil {
		return err
	}
	v.Actions = hazard.Allowed(a, v.H)
	v.Criterion = hazard.CriterionText(v.H.Criterion)
	v.Tier = hazard.TierOf(a.Unit.Region)
	v.CanList = a.Can(org.PermHazardList) && a.Unit.Kind == org.KindCommitteeOffice && v.Tier != "" && v.H.Level == hazard.Major && v.H.State.Open()
	for _, l := range v.Listings {
		v.CanList = v.CanList && l.OfficeID != a.Unit.ID
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
	ups, closeAll, err := uploads(r)
	defer closeAll()
	if err != nil {
		return s.renderHazard(w, r, err)
	}
	st := hazard.Step{Action: hazard.Action(r.FormValue("action")), Level: r.FormValue("level"), Criterion: r.FormValue("criterion"),
		Reasoning: r.FormValue("reasoning"), Deadline: r.FormValue("deadline"), Writ: r.FormValue("writ"), Evidence: r.FormValue("evidence"),
		Reason: r.FormValue("reason"), Photos: ups}
	if _, err := s.Hazards.Act(r.Context(), actorOf(r), id, st); err != nil {
		return s.renderHazard(w, r, err)
	}
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
