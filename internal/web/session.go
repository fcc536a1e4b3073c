package web

import (
	"net/http"
	"net/url"
	"strings"

	"anwei/internal/apperr"
	"anwei/internal/org"
)

func (s *Server) setSessionCookie(w http.ResponseWriter, r *http.Request, session string) {
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: session, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: s.secure(r), MaxAge: int(s.Auth.Policy().MaxAge.Seconds()),
	})
}

func (s *Server) clearSessionCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true, MaxAge: -1, SameSite: http.SameSiteLaxMode,
		Secure: s.secure(r)})
}

// safeNext keeps a post-login redirect on this site: anything but a plain
// same-site path becomes "/". Browsers forgive a lot in a Location header
// (Chromium drops tabs and newlines and reads a backslash as a slash, so
// "/<TAB>/host" and "/<BACKSLASH>host" lead to another host), hence no
// control character and no backslash anywhere, and no "//" at the start, in
// the value as given nor after percent-decoding it (repeatedly, against
// double encoding).
func safeNext(next string) string {
	if u, err := url.Parse(next); err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return "/"
	}
	p := next
	for range 4 {
		if !plainPath(p) {
			return "/"
		}
		dec, err := url.PathUnescape(p)
		if err != nil || dec == p {
			return next // nothing more to decode ("50%" is a search, not an escape)
		}
		p = dec
	}
	return "/" // still encoded after four rounds: nobody links like that
}

// plainPath: starts with one slash, no backslash, no control character.
func plainPath(p string) bool {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.ContainsRune(p, '\\') {
		return false
	}
	for i := 0; i < len(p); i++ {
		if p[i] < 0x20 || p[i] == 0x7f {
			return false
		}
	}
	return true
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) error {
	if actorOf(r) != nil {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return nil
	}
	s.pages.render(w, r, "login", pageData{Title: "登录", Form: r.URL.Query()})
	return nil
}

func (s *Server) loginSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return apperr.New(apperr.Invalid, "表单无效")
	}
	session, _, err := s.Auth.Login(r.Context(), r.PostForm.Get("username"), r.PostForm.Get("password"), s.clientIP(r))
	if err != nil {
		e := apperr.As(err)
		if e.Code != apperr.Unauthenticated {
			return err
		}
		form := r.PostForm
		form.Del("password") // never echo the password
		w.WriteHeader(statusOf(e.Code))
		s.pages.render(w, r, "login", pageData{Title: "登录", Form: form, Err: e})
		return nil
	}
	s.setSessionCookie(w, r, session)
	http.Redirect(w, r, safeNext(r.PostForm.Get("next")), http.StatusSeeOther)
	return nil
}

func (s *Server) logoutSubmit(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.apiLogout(w, r); err != nil {
		return err
	}
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}

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
