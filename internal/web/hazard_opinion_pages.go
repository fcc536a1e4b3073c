package web

import (
	"context"
	"net/http"
	"strconv"

	"anwei/internal/hazard"
	"anwei/internal/org"
	"anwei/internal/paging"
	"anwei/internal/rules"
)

// opinionsView is the hazard page's 专家判定意见 section
// (templates/partials/hazard_opinions.html): the requests and opinions on
// the hazard and, while it may be asked for, the experts to ask.
type opinionsView struct {
	List    []hazard.Opinion
	MayAsk  bool
	Experts []hazard.Expert
	Max     map[string]int
}

// opinionsOf is the section for h as a sees it (empty for those who may
// not read opinions: the enterprise).
func (s *Server) opinionsOf(ctx context.Context, a *org.Actor, h hazard.Hazard) (opinionsView, error) {
	v := opinionsView{Max: hazard.OpinionLimits}
	if !hazard.MaySeeOpinions(a) {
		return v, nil
	}
	var err error
	if v.List, err = s.Hazards.Opinions(ctx, a, h.ID); err != nil {
		return v, err
	}
	if v.MayAsk = hazard.MayAskExperts(a, h); v.MayAsk {
		v.Experts, _, err = s.Hazards.Experts(ctx, a, "", paging.Page{Limit: paging.Max})
	}
	return v, err
}

// hazardAskExperts sends the 请专家判定 form.
func (s *Server) hazardAskExperts(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	in, err := askInput(r)
	if err == nil {
		_, err = s.Hazards.AskExperts(r.Context(), actorOf(r), id, in)
	}
	if err != nil {
		return s.renderHazard(w, r, err)
	}
	redirectOK(w, r, "/hazards/"+strconv.FormatInt(id, 10)+"#opinions", "saved")
	return nil
}

// requestsView is the 判定请求 page's data.
type requestsView struct {
	Rows   []hazard.Opinion
	Status string
	Pager  pager
	Total  int
}

// requestsPage lists the requests addressed to the actor (an expert) or
// asked by its unit.
func (s *Server) requestsPage(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	status := r.URL.Query().Get("status")
	if _, ok := r.URL.Query()["status"]; !ok && a.Has(org.RoleExpert) {
		status = "pending" // an expert opens on what waits for it
	}
	os, total, err := s.Hazards.Requests(r.Context(), a, hazard.RequestFilter{Status: status, Page: pageOf(r, listSize)})
	if err != nil {
		return err
	}
	d := requestsView{Rows: os, Status: status, Pager: newPager(r, listSize, total), Total: total}
	s.pages.render(w, r, "hazard/requests", pageData{Title: "判定请求", Actor: a, Flash: flashOf(r), Data: d})
	return nil
}

// requestView is one request's page: the hazard as the expert sees it and
// the answer form while it is open.
type requestView struct {
	O         hazard.Opinion
	Photos    []hazard.Photo
	Criteria  []rules.Criterion
	MayAnswer bool
	Max       map[string]int
}

func (s *Server) renderRequest(w http.ResponseWriter, r *http.Request, ferr error) error {
	a := actorOf(r)
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ctx := r.Context()
	v := requestView{Max: hazard.OpinionLimits}
	if v.O, err = s.Hazards.GetRequest(ctx, a, id); err != nil {
		return err
	}
	if v.Photos, err = s.Hazards.ListPhotos(ctx, a, v.O.HazardID); err != nil {
		return err
	}
	if v.MayAnswer = v.O.Open() && v.O.ExpertID == a.UserID; v.MayAnswer {
		if v.Criteria, err = rules.Criteria(); err != nil {
			return err
		}
	}
	pd := pageData{Title: "判定请求 " + v.O.HazardNumber, Actor: a, Flash: flashOf(r), Data: v}
	if ferr != nil {
		return s.formErr(w, r, "hazard/request", pd, ferr)
	}
	s.pages.render(w, r, "hazard/request", pd)
	return nil
}

func (s *Server) requestPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderRequest(w, r, nil)
}

// requestAnswer sends the expert's answer.
func (s *Server) requestAnswer(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := s.Hazards.Answer(r.Context(), actorOf(r), id, answerInput(r)); err != nil {
		return s.renderRequest(w, r, err)
	}
	redirectOK(w, r, "/hazard-requests/"+strconv.FormatInt(id, 10), "answered")
	return nil
}
