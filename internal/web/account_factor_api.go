package web

import (
	"net/http"

	"anwei/internal/apperr"
	"anwei/internal/auth"
)

// challengeCookie holds a sign-in whose second factor is still to come
// (auth.SignIn's challenge), for five minutes.
const challengeCookie = "anwei_signin"

func (s *Server) setChallengeCookie(w http.ResponseWriter, r *http.Request, challenge string) {
	http.SetCookie(w, &http.Cookie{Name: challengeCookie, Value: challenge, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: s.secure(r), MaxAge: 300})
}

func (s *Server) clearChallengeCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: challengeCookie, Value: "", Path: "/", HttpOnly: true, MaxAge: -1, SameSite: http.SameSiteLaxMode,
		Secure: s.secure(r)})
}

// challengeOf is the pending sign-in of the request's cookie.
func challengeOf(r *http.Request) string {
	if c, err := r.Cookie(challengeCookie); err == nil {
		return c.Value
	}
	return ""
}

// factorDue is the 202 answer of POST /api/v1/session when a second factor
// is due: "code", or "enrol" with the authenticator to bind.
type factorDue struct {
	SecondFactor string          `json:"second_factor"`
	Enrolment    *auth.Enrolment `json:"enrolment,omitempty"`
}

// enrolBody is the body of POST /account/two-factor: the user's current
// login password, which confirms the start of a binding (so a stolen
// session cookie alone cannot bind another authenticator).
type enrolBody struct {
	Password string `json:"password"`
}

// codeBody carries a code of the authenticator (or a recovery code).
type codeBody struct {
	Code string `json:"code"`
}

// signedIn is the answer of the sign-in's second step: the user, and the
// recovery codes of an authenticator bound in it (once).
type signedIn struct {
	me
	RecoveryCodes []string `json:"recovery_codes,omitempty"`
}

// recoveryCodes are shown once.
type recoveryCodes struct {
	RecoveryCodes []string `json:"recovery_codes"`
}

// factorSetting is the body of PUT /api/v1/settings/two-factor.
type factorSetting struct {
	Required bool `json:"required"`
}

// completeSignIn is the second step for the page and the API alike.
func (s *Server) completeSignIn(w http.ResponseWriter, r *http.Request, code string) (auth.SignedIn, error) {
	ch := challengeOf(r)
	if ch == "" {
		return auth.SignedIn{}, apperr.New(apperr.Unauthenticated, "登录已超时或已完成，请重新输入用户名和密码")
	}
	in, err := s.Auth.CompleteSignIn(r.Context(), ch, code, s.clientIP(r))
	if err != nil {
		if apperr.Is(err, apperr.Unauthenticated) {
			s.clearChallengeCookie(w, r)
		}
		return in, err
	}
	s.clearChallengeCookie(w, r)
	s.setSessionCookie(w, r, in.Session)
	return in, nil
}

func (s *Server) apiLoginCode(w http.ResponseWriter, r *http.Request) (any, error) {
	in, err := body[codeBody](r)
	if err != nil {
		return nil, err
	}
	done, err := s.completeSignIn(w, r, in.Code)
	if err != nil {
		return nil, err
	}
	return signedIn{me: meOf(done.Actor), RecoveryCodes: done.RecoveryCodes}, nil
}

func (s *Server) apiFactor(_ http.ResponseWriter, r *http.Request) (any, error) {
	return s.Auth.FactorStatus(r.Context(), actorOf(r))
}

func (s *Server) apiFactorBegin(_ http.ResponseWriter, r *http.Request) (any, error) {
	in, err := body[enrolBody](r)
	if err != nil {
		return nil, err
	}
	return s.Auth.BeginEnrol(r.Context(), actorOf(r), in.Password, s.clientIP(r))
}

func (s *Server) apiFactorConfirm(_ http.ResponseWriter, r *http.Request) (any, error) {
	in, err := body[codeBody](r)
	if err != nil {
		return nil, err
	}
	codes, err := s.Auth.ConfirmEnrol(r.Context(), actorOf(r), in.Code, s.clientIP(r))
	return recoveryCodes{codes}, err
}

func (s *Server) apiFactorRecovery(_ http.ResponseWriter, r *http.Request) (any, error) {
	in, err := body[codeBody](r)
	if err != nil {
		return nil, err
	}
	codes, err := s.Auth.RenewRecoveryCodes(r.Context(), actorOf(r), in.Code, s.clientIP(r))
	return recoveryCodes{codes}, err
}

func (s *Server) apiFactorDisable(_ http.ResponseWriter, r *http.Request) (any, error) {
	in, err := body[codeBody](r)
	if err != nil {
		return nil, err
	}
	return done(s.Auth.DisableFactor(r.Context(), actorOf(r), in.Code, s.clientIP(r)))
}

func (s *Server) apiFactorSetting(_ http.ResponseWriter, r *http.Request) (any, error) {
	in, err := body[factorSetting](r)
	if err != nil {
		return nil, err
	}
	return done(s.Auth.SetFactorRequired(r.Context(), actorOf(r), in.Required))
}
