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
	in2, err := s.Auth.SignIn(r.Context(), in.Username, in.Password, s.clientIP(r))
	if err != nil {
		return nil, err
	}
	if in2.Challenge != "" {
		// The password was right; the second factor is still to come.
		s.setChallengeCookie(w, r, in2.Challenge)
		p, err := s.Auth.PendingSignIn(r.Context(), in2.Challenge)
		if err != nil {
			return nil, err
		}
		writeJSON(w, http.StatusAccepted, factorDue{SecondFactor: p.Next, Enrolment: p.Enrolment})
		return streamed{}, nil
	}
	s.setSessionCookie(w, r, in2.Session)
	return meOf(in2.Actor), nil
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
