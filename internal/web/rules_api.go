package web

import (
	"net/http"

	"anwei/internal/apperr"
	"anwei/internal/rules"
)

// majorSourceBody is the body of POST /rules/major-source.
type majorSourceBody struct {
	People   int             `json:"people"`
	Holdings []rules.Holding `json:"holdings"`
}

func (s *Server) apiMajorSource(_ http.ResponseWriter, r *http.Request) (any, error) {
	in, err := body[majorSourceBody](r)
	if err != nil {
		return nil, err
	}
	res, err := rules.ComputeMajorSource(in.Holdings, in.People)
	if err != nil {
		return nil, apperr.Field("holdings", err.Error())
	}
	return res, nil
}

// apiPenalty is the penalty calculator (anwei rules penalty): the fine an
// article of 安全生产法 allows, in yuan, with its citation.
func (s *Server) apiPenalty(_ http.ResponseWriter, r *http.Request) (any, error) {
	in, err := body[rules.PenaltyInput](r)
	if err != nil {
		return nil, err
	}
	return rules.CalcPenalty(in)
}

func (s *Server) apiCreditCode(_ http.ResponseWriter, r *http.Request) (any, error) {
	return rules.CheckCreditCode(r.PathValue("code")), nil
}

func (s *Server) apiCriteria(_ http.ResponseWriter, _ *http.Request) (any, error) {
	return rules.Criteria()
}

// apiViolations is 安全生产法's table of a unit's violations with their
// fines (what an inspection's finding cites).
func (s *Server) apiViolations(_ http.ResponseWriter, _ *http.Request) (any, error) {
	return rules.Violations()
}
