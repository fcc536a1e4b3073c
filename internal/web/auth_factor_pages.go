package web

import (
	"net/http"
	"net/url"

	"anwei/internal/apperr"
	"anwei/internal/auth"
)

// The sign-in's second step (/login/code): a code of the authenticator, or,
// for an account the setting requires a factor of and that has none, the
// binding of one (QR code and secret) confirmed by its first code.

type loginCodeData struct {
	Pending auth.Pending
	QR      qrImage
	Codes   []string // recovery codes of an authenticator just bound: shown once
	Next    string
}

func (s *Server) loginCodePage(w http.ResponseWriter, r *http.Request) error {
	return s.renderLoginCode(w, r, nil)
}

func (s *Server) renderLoginCode(w http.ResponseWriter, r *http.Request, ferr error) error {
	ch := challengeOf(r)
	p, err := s.Auth.PendingSignIn(r.Context(), ch)
	if ch == "" || err != nil {
		if ch != "" && !apperr.Is(err, apperr.Unauthenticated) {
			return err
		}
		s.clearChallengeCookie(w, r)
		http.Redirect(w, r, "/login?expired=1", http.StatusSeeOther)
		return nil
	}
	d := loginCodeData{Pending: p, Next: r.FormValue("next")}
	if p.Enrolment != nil {
		d.QR = qrOf(p.Enrolment.URI)
	}
	pd := pageData{Title: "动态验证码", Data: d}
	if ferr != nil {
		e := apperr.As(ferr)
		if e.Code != apperr.Invalid {
			return ferr
		}
		pd.Err = e
		w.WriteHeader(statusOf(e.Code))
	}
	s.pages.render(w, r, "login_code", pd)
	return nil
}

func (s *Server) loginCodeSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return apperr.New(apperr.Invalid, "表单无效")
	}
	in, err := s.completeSignIn(w, r, r.PostForm.Get("code"))
	if err != nil {
		if apperr.Is(err, apperr.Unauthenticated) {
			http.Redirect(w, r, "/login?expired=1", http.StatusSeeOther)
			return nil
		}
		return s.renderLoginCode(w, r, err)
	}
	next := safeNext(r.PostForm.Get("next"))
	if len(in.RecoveryCodes) > 0 {
		// Bound while signing in: the recovery codes, once, before going on.
		s.pages.render(w, r, "login_code", pageData{Title: "恢复码", Actor: in.Actor,
			Data: loginCodeData{Codes: in.RecoveryCodes, Next: next}})
		return nil
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// loginNext is where the second step goes after the password's form.
func loginNext(next string) string {
	return "/login/code?next=" + url.QueryEscape(safeNext(next))
}
