package web

import (
	"net/http"

	"anwei/internal/org"
)

// loginRequest is the body of POST /api/v1/session.
type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

func (s *Server) apiLogin(w http.ResponseWriter, r *http.Request) (any, error) {
	in, err := body[loginRequest](r)
	if err != nil {
		return nil, err
	}
	session, a, err := s.Auth.Login(r.Context(), in.Username, in.Password, s.clientIP(r))
	if err != nil {
		return nil, err
	}
	s.setSessionCookie(w, r, session)
	return meOf(a), nil
}

func (s *Server) apiLogout(w http.ResponseWriter, r *http.Request) (any, error) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := s.Auth.Logout(r.Context(), actorOf(r), c.Value); err != nil {
			return nil, err
		}
	}
	s.clearSessionCookie(w, r)
	return nil, nil
}

// me is the body of GET /api/v1/me.
type me struct {
	*org.Actor
	RoleNames []string `json:"role_names"`
}

func meOf(a *org.Actor) me {
	out := me{Actor: a}
	for _, r := range a.Roles {
		out.RoleNames = append(out.RoleNames, r.Name())
	}
	return out
}

func (s *Server) apiMe(_ http.ResponseWriter, r *http.Request) (any, error) {
	return meOf(actorOf(r)), nil
}
