package web

import (
	"net/http"
	"strconv"

	"anwei/internal/risk"
)

func (s *Server) apiRisks(_ http.ResponseWriter, r *http.Request) (any, error) {
	q := r.URL.Query()
	ent, _ := strconv.ParseInt(q.Get("enterprise"), 10, 64)
	f := risk.Filter{EnterpriseID: ent, Colour: q.Get("colour"), Region: q.Get("region"), Sort: sortOf(r), Page: apiPage(r)}
	ps, n, err := s.Risks.List(r.Context(), actorOf(r), f)
	return newList(ps, n, f.Page), err
}

func (s *Server) apiRiskCreate(_ http.ResponseWriter, r *http.Request) (any, error) {
	in, err := bodyOf[risk.Input, risk.Point](r)
	if err != nil {
		return nil, err
	}
	return s.Risks.Create(r.Context(), actorOf(r), in)
}

func (s *Server) apiRisk(_ http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.Risks.Get(r.Context(), actorOf(r), id)
}

func (s *Server) apiRiskReassess(_ http.ResponseWriter, r *http.Request) (any, error) {
	id, in, err := idBodyOf[risk.Input, risk.Point](r)
	if err != nil {
		return nil, err
	}
	return s.Risks.Reassess(r.Context(), actorOf(r), id, in)
}

func (s *Server) apiRiskHistory(_ http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.Risks.ListAssessments(r.Context(), actorOf(r), id)
}

func (s *Server) apiRiskColours(_ http.ResponseWriter, r *http.Request) (any, error) {
	ent, _ := strconv.ParseInt(r.URL.Query().Get("enterprise"), 10, 64)
	return s.Risks.CountColours(r.Context(), actorOf(r), ent)
}

// schemeView is the grading scheme in force for the caller's region (its
// own type, so the OpenAPI document keeps naming it Web_schemeView).
type schemeView risk.InForce

func (s *Server) apiRiskScheme(_ http.ResponseWriter, r *http.Request) (any, error) {
	v, err := s.Risks.SchemeOf(r.Context(), actorOf(r))
	return schemeView(v), err
}

func (s *Server) apiRiskSchemeSet(_ http.ResponseWriter, r *http.Request) (any, error) {
	sc, err := bodyOf[risk.Scheme, schemeView](r)
	if err != nil {
		return nil, err
	}
	return done(s.Risks.SetScheme(r.Context(), actorOf(r), sc))
}

// apiRiskStreets is the four-colour map's data: every street of the
// jurisdiction with its points by colour and its highest colour.
func (s *Server) apiRiskStreets(_ http.ResponseWriter, r *http.Request) (any, error) {
	return s.Risks.ByStreet(r.Context(), actorOf(r))
}
