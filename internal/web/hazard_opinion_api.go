package web

import (
	"net/http"

	"anwei/internal/hazard"
)

func (s *Server) apiExperts(_ http.ResponseWriter, r *http.Request) (any, error) {
	pg := apiPage(r)
	xs, n, err := s.Hazards.Experts(r.Context(), actorOf(r), r.URL.Query().Get("q"), pg)
	return newList(xs, n, pg), err
}

func (s *Server) apiHazardOpinions(_ http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	os, err := s.Hazards.Opinions(r.Context(), actorOf(r), id)
	if os == nil {
		os = []hazard.Opinion{}
	}
	return os, err
}

func (s *Server) apiAskExperts(_ http.ResponseWriter, r *http.Request) (any, error) {
	id, in, err := idBody[hazard.AskInput](r)
	if err != nil {
		return nil, err
	}
	return s.Hazards.AskExperts(r.Context(), actorOf(r), id, in)
}

func (s *Server) apiRequests(_ http.ResponseWriter, r *http.Request) (any, error) {
	f := hazard.RequestFilter{Status: r.URL.Query().Get("status"), Page: apiPage(r)}
	os, n, err := s.Hazards.Requests(r.Context(), actorOf(r), f)
	return newList(os, n, f.Page), err
}

func (s *Server) apiRequest(_ http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.Hazards.GetRequest(r.Context(), actorOf(r), id)
}

func (s *Server) apiAnswer(_ http.ResponseWriter, r *http.Request) (any, error) {
	id, in, err := idBody[hazard.AnswerInput](r)
	if err != nil {
		return nil, err
	}
	return s.Hazards.Answer(r.Context(), actorOf(r), id, in)
}
