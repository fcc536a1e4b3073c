package web

import (
	"net/http"
	"strings"

	"anwei/internal/apperr"
	"anwei/internal/org"
)

func (s *Server) setSessionCookie(w http.ResponseWriter, r *http.Request, session string) {
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: session, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: r.TLS != nil, MaxAge: int(s.Auth.Policy().MaxAge.Seconds()),
	})
}

func clearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true, MaxAge: -1, SameSite: http.SameSiteLaxMode})
}

// safeNext keeps a post-login redirect on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	if actorOf(r) != nil {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	s.pages.render(w, r, "login", pageData{Title: "登录", Form: r.URL.Query()})
}

func (s *Server) loginSubmit(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, apperr.New(apperr.Invalid, "表单无效"))
		return
	}
	session, _, err := s.Auth.Login(r.Context(), r.PostForm.Get("username"), r.PostForm.Get("password"))
	if err != nil {
		e := apperr.As(err)
		if e.Code != apperr.Unauthenticated && e.Code != apperr.Locked {
			s.fail(w, r, err)
			return
		}
		form := r.PostForm
		form.Del("password") // never echo the password
		w.WriteHeader(statusOf(e.Code))
		s.pages.render(w, r, "login", pageData{Title: "登录", Form: form, Err: e})
		return
	}
	s.setSessionCookie(w, r, session)
	http.Redirect(w, r, safeNext(r.PostForm.Get("next")), http.StatusSeeOther)
}

func (s *Server) logoutSubmit(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := s.Auth.Logout(r.Context(), actorOf(r), c.Value); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	clearSessionCookie(w)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// loginRequest is the body of POST /api/v1/session.
type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

func (s *Server) apiLogin(w http.ResponseWriter, r *http.Request) {
	var in loginRequest
	if err := decodeJSON(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	session, a, err := s.Auth.Login(r.Context(), in.Username, in.Password)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.setSessionCookie(w, r, session)
	writeJSON(w, http.StatusOK, s.meOf(r, a))
}

func (s *Server) apiLogout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := s.Auth.Logout(r.Context(), actorOf(r), c.Value); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	clearSessionCookie(w)
	w.WriteHeader(http.StatusNoContent)
}

// me is the body of GET /api/v1/me.
type me struct {
	*org.Actor
	RoleNames []string `json:"role_names"`
}

func (s *Server) meOf(_ *http.Request, a *org.Actor) me {
	out := me{Actor: a}
	for _, r := range a.Roles {
		out.RoleNames = append(out.RoleNames, r.Name())
	}
	return out
}

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.meOf(r, actorOf(r)))
}
