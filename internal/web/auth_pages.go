package web

import (
	"net/http"

	"anwei/internal/apperr"
)

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
	in, err := s.Auth.SignIn(r.Context(), r.PostForm.Get("username"), r.PostForm.Get("password"), s.clientIP(r))
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
	if in.Challenge != "" {
		s.setChallengeCookie(w, r, in.Challenge)
		http.Redirect(w, r, loginNext(r.PostForm.Get("next")), http.StatusSeeOther)
		return nil
	}
	s.setSessionCookie(w, r, in.Session)
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
