package web

import (
	"encoding/base64"
	"html/template"
	"net/http"

	"github.com/skip2/go-qrcode"

	"anwei/internal/apperr"
	"anwei/internal/auth"
	"anwei/internal/org"
)

// /account: the user's own account — its second factor (bind, confirm,
// new recovery codes, turn off), its API tokens (a link), and for an
// administrator the setting that makes admin and office accounts use a
// second factor.

// qrImage is a QR code as a data: URL for <img src> (the CSP allows data:
// pictures), "" when the text does not fit one.
type qrImage = template.URL

// qrOf draws text (an otpauth:// URI) as a QR code, medium error correction.
func qrOf(text string) qrImage {
	png, err := qrcode.Encode(text, qrcode.Medium, 240)
	if err != nil {
		return ""
	}
	return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))
}

type accountData struct {
	Factor   auth.FactorStatus
	QR       qrImage  // of Factor.Pending
	Codes    []string // recovery codes just made: shown once
	MayAdmin bool     // may change the deployment's setting
}

func (s *Server) accountPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderAccount(w, r, nil, nil)
}

func (s *Server) renderAccount(w http.ResponseWriter, r *http.Request, codes []string, ferr error) error {
	a := actorOf(r)
	st, err := s.Auth.FactorStatus(r.Context(), a)
	if err != nil {
		return err
	}
	d := accountData{Factor: st, Codes: codes, MayAdmin: a.Can(org.PermUserWrite)}
	if st.Pending != nil {
		d.QR = qrOf(st.Pending.URI)
	}
	pd := pageData{Title: "我的账号", Actor: a, Flash: flashOf(r), Data: d}
	if ferr != nil {
		return s.formErr(w, r, "account/index", pd, ferr)
	}
	s.pages.render(w, r, "account/index", pd)
	return nil
}

func (s *Server) factorBegin(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return apperr.New(apperr.Invalid, "表单无效")
	}
	password := r.PostForm.Get("password")
	r.PostForm.Del("password")
	if _, err := s.Auth.BeginEnrol(r.Context(), actorOf(r), password, s.clientIP(r)); err != nil {
		return s.renderAccount(w, r, nil, err)
	}
	http.Redirect(w, r, "/account#factor", http.StatusSeeOther)
	return nil
}

// factorCode runs a step that takes a code from the form and may give
// recovery codes, and shows the account page with them (or the error).
func (s *Server) factorCode(step func(r *http.Request, a *org.Actor, code, source string) ([]string, error), flash string) pageFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := r.ParseForm(); err != nil {
			return apperr.New(apperr.Invalid, "表单无效")
		}
		codes, err := step(r, actorOf(r), r.PostForm.Get("code"), s.clientIP(r))
		if err != nil {
			r.PostForm.Del("code")
			return s.renderAccount(w, r, nil, err)
		}
		if len(codes) == 0 {
			redirectOK(w, r, "/account", flash)
			return nil
		}
		return s.renderAccount(w, r, codes, nil)
	}
}

func (s *Server) factorConfirm(w http.ResponseWriter, r *http.Request) error {
	return s.factorCode(func(r *http.Request, a *org.Actor, code, source string) ([]string, error) {
		return s.Auth.ConfirmEnrol(r.Context(), a, code, source)
	}, "")(w, r)
}

func (s *Server) factorRecovery(w http.ResponseWriter, r *http.Request) error {
	return s.factorCode(func(r *http.Request, a *org.Actor, code, source string) ([]string, error) {
		return s.Auth.RenewRecoveryCodes(r.Context(), a, code, source)
	}, "")(w, r)
}

func (s *Server) factorDisable(w http.ResponseWriter, r *http.Request) error {
	return s.factorCode(func(r *http.Request, a *org.Actor, code, source string) ([]string, error) {
		return nil, s.Auth.DisableFactor(r.Context(), a, code, source)
	}, "factor-off")(w, r)
}

func (s *Server) factorSettingSet(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return apperr.New(apperr.Invalid, "表单无效")
	}
	if err := s.Auth.SetFactorRequired(r.Context(), actorOf(r), r.PostForm.Get("required") == "1"); err != nil {
		return err
	}
	redirectOK(w, r, "/account", "saved")
	return nil
}
