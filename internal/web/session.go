package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"anwei/internal/apperr"
	"anwei/internal/auth"
	"anwei/internal/org"
)

type ctxKey int

const actorKey ctxKey = 0

// sessionCookie names the session cookie.
const sessionCookie = "anwei_session"

// actorOf returns the authenticated actor of the request, or nil.
func actorOf(r *http.Request) *org.Actor {
	a, _ := r.Context().Value(actorKey).(*org.Actor)
	return a
}

type identity struct {
	actor *org.Actor
	err   error
	grant auth.Grant // what the bearer token may do (routeareas.go); zero for a session
}

// identify recognises the caller by bearer token or session cookie and puts
// the actor (or the reason it failed) into the request context. It does not
// refuse anyone: requireLogin does, and tokenGate what a token may not
// reach. A token is never a session for a page: pages know no areas and
// hold the account's own steps (the second factor, the tokens), so no
// token — neither one limited to an area nor one made before tokens had
// areas ("*") — is recognised outside /api/.
func (s *Server) identify(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var id identity
		if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
			if isAPI(r) {
				id.actor, id.grant, id.err = s.Auth.AuthenticateToken(r.Context(), strings.TrimSpace(strings.TrimPrefix(h, "Bearer ")), s.clientIP(r))
			} else {
				id.err = apperr.New(apperr.Unauthenticated, "接口令牌只能用于 /api/ 下的接口")
			}
		} else if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
			id.actor, id.err = s.Auth.Authenticate(r.Context(), c.Value)
		}
		ctx := context.WithValue(r.Context(), actorKey, id.actor)
		ctx = context.WithValue(ctx, identityKey, id)
		cp := r.WithContext(ctx)
		defer dropForm(r, cp)
		next.ServeHTTP(w, cp)
	})
}

const identityKey ctxKey = 1

// requireLogin wraps a handler that needs an actor: API callers get a 401
// JSON error, page visitors a redirect to the login page.
func (s *Server) requireLogin(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if actorOf(r) != nil {
			h(w, r)
			return
		}
		id, _ := r.Context().Value(identityKey).(identity)
		err := id.err
		if err == nil || !apperr.Is(err, apperr.Unauthenticated) {
			if err != nil {
				s.Log.Error("identify", "err", err)
			}
			err = apperr.New(apperr.Unauthenticated, "请先登录")
		}
		if isAPI(r) {
			s.fail(w, r, err)
			return
		}
		if r.Header.Get("HX-Request") != "" {
			w.Header().Set("HX-Redirect", "/login")
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
	}
}

func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

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
