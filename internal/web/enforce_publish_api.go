package web

import (
	"net/http"

	"anwei/internal/enforce"
)

// withdrawBody is a withdrawal's reason.
type withdrawBody struct {
	Reason string `json:"reason"`
}

func (s *Server) apiPublications(_ http.ResponseWriter, r *http.Request) (any, error) {
	f := publicationFilterOf(r)
	f.Page = apiPage(r)
	ps, n, err := s.Enforce.Publications(r.Context(), actorOf(r), f)
	return newList(ps, n, f.Page), err
}

func (s *Server) apiPublish(_ http.ResponseWriter, r *http.Request) (any, error) {
	id, b, err := idBody[enforce.PublishInput](r)
	if err != nil {
		return nil, err
	}
	return done(s.Enforce.Publish(r.Context(), actorOf(r), id, b))
}

func (s *Server) apiWithdraw(_ http.ResponseWriter, r *http.Request) (any, error) {
	id, b, err := idBody[withdrawBody](r)
	if err != nil {
		return nil, err
	}
	return done(s.Enforce.Withdraw(r.Context(), actorOf(r), id, b.Reason))
}

func (s *Server) apiEscalations(_ http.ResponseWriter, r *http.Request) (any, error) {
	f := escalationFilterOf(r)
	f.Page = apiPage(r)
	xs, n, err := s.Enforce.Escalations(r.Context(), actorOf(r), f)
	return newList(xs, n, f.Page), err
}

func (s *Server) apiEscalationAct(_ http.ResponseWriter, r *http.Request) (any, error) {
	id, b, err := idBody[enforce.EscalationInput](r)
	if err != nil {
		return nil, err
	}
	return done(s.Enforce.ActOnEscalation(r.Context(), actorOf(r), id, b))
}

// apiPublic is the public page as JSON, signed out.
func (s *Server) apiPublic(_ http.ResponseWriter, r *http.Request) (any, error) {
	q := r.URL.Query()
	f := enforce.PublicFilter{Kind: q.Get("kind"), Q: q.Get("q"), Page: apiPage(r)}
	ps, n, err := s.Enforce.Public(r.Context(), f)
	return newList(ps, n, f.Page), err
}
