package web

import (
	"net/http"

	"anwei/internal/auth"
	"anwei/internal/paging"
)

func (s *Server) apiTokens(_ http.ResponseWriter, r *http.Request) (any, error) {
	ts, err := s.Auth.ListTokens(r.Context(), actorOf(r))
	return newList(ts, len(ts), paging.Page{Limit: len(ts)}), err
}

// tokenCreated is the answer to POST /tokens: the plain token, once.
type tokenCreated struct {
	Token string     `json:"token"`
	Info  auth.Token `json:"info"`
}

// tokenBody is the body of POST /tokens: the token's purpose, its area (one
// of auth.TokenAreas), whether it may write, its term in days (0: 90) and
// the user's current login password, which confirms the request
// (required).
type tokenBody struct {
	Name     string `json:"name"`
	Area     string `json:"area"`
	Write    bool   `json:"write"`
	Days     int    `json:"days"`
	Password string `json:"password"`
}

func (s *Server) apiTokenCreate(_ http.ResponseWriter, r *http.Request) (any, error) {
	in, err := body[tokenBody](r)
	if err != nil {
		return nil, err
	}
	plain, t, err := s.Auth.CreateToken(r.Context(), actorOf(r), auth.TokenInput{Name: in.Name, Area: in.Area, Write: in.Write,
		Days: in.Days, Password: in.Password, Source: s.clientIP(r)})
	return tokenCreated{Token: plain, Info: t}, err
}

func (s *Server) apiTokenRevoke(_ http.ResponseWriter, r *http.Request) (any, error) {
	tid, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return done(s.Auth.RevokeToken(r.Context(), actorOf(r), tid))
}
