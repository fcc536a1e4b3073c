package web

import (
	"net/http"
	"strconv"

	"anwei/internal/apperr"
	"anwei/internal/auth"
	"anwei/internal/codes"
)

type tokensData struct {
	Tokens []auth.Token
	New    string // the plain token just created, shown once
	Areas  []codes.Choice
	Terms  []int // the terms offered, in days
}

func (s *Server) tokensPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderTokens(w, r, "", nil)
}

func (s *Server) renderTokens(w http.ResponseWriter, r *http.Request, plain string, ferr error) error {
	a := actorOf(r)
	ts, err := s.Auth.ListTokens(r.Context(), a)
	if err != nil {
		return err
	}
	d := pageData{Title: "接口令牌", Actor: a, Flash: flashOf(r), Data: tokensData{Tokens: ts, New: plain,
		Areas: auth.TokenAreas, Terms: []int{30, auth.DefaultTokenDays, 180, auth.MaxTokenDays}}}
	if ferr != nil {
		r.PostForm.Del("password") // never echo the password
		return s.formErr(w, r, "account/tokens", d, ferr)
	}
	s.pages.render(w, r, "account/tokens", d)
	return nil
}

// tokenCreate makes a token from the page's form, which must carry the
// user's current password: a session cookie alone does not mint tokens.
func (s *Server) tokenCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return apperr.New(apperr.Invalid, "表单无效")
	}
	days, _ := strconv.Atoi(r.PostForm.Get("days"))
	plain, _, err := s.Auth.CreateToken(r.Context(), actorOf(r), auth.TokenInput{Name: r.PostForm.Get("name"),
		Area: r.PostForm.Get("area"), Write: r.PostForm.Get("write") == "1", Days: days,
		Password: r.PostForm.Get("password"), Source: s.clientIP(r)})
	return s.renderTokens(w, r, plain, err)
}

func (s *Server) tokenRevoke(w http.ResponseWriter, r *http.Request) error {
	tid, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.Auth.RevokeToken(r.Context(), actorOf(r), tid); err != nil {
		return err
	}
	redirectOK(w, r, "/account/tokens", "revoked")
	return nil
}
