package web

import (
	"net/http"
	"strings"

	"anwei/internal/apperr"
	"anwei/internal/auth"
)

// What an API token may reach is decided here, by construction: every
// route of apiRoutes has an area (its tag's, below, unless its path is
// listed in pathAreas) and writes unless it is a GET (or a POST that only
// computes, in readingPosts). routeAPI wraps every route in tokenGate, so a
// route added to the table is covered the moment it is added; a route of a
// tag not listed here refuses every token until its tag is given an area
// (and TestEveryRouteHasATokenArea fails meanwhile).

// tagAreas are the token areas of the API's tags: one of auth.TokenAreas,
// "" (open to every token: it reads nobody's records) or "account" (no
// token: the tokens themselves and the second factor).
var tagAreas = map[string]string{
	"工作要点": "plan", "督办": "plan",
	"企业":   "enterprise",
	"隐患":   "hazard",
	"风险":   "risk",
	"执法":   "enforce",
	"组织机构": "org",
	"审计":   "audit",
	"法规计算": "", // the regulation calculators: pure
	"会话":   "account",
}

// pathAreas are the routes whose area is not their tag's, by path (the
// path itself and everything under it).
var pathAreas = map[string]string{
	"/api/v1/me":      "", // who the token's holder is
	"/api/v1/session": "", // signing in and out concerns no token
	"/api/v1/todo":    "inbox",
	"/api/v1/inbox":   "inbox",
}

// readingPosts are the POST routes that change nothing (calculations on
// the body), which a read-only token may call.
var readingPosts = map[string]bool{
	"POST /api/v1/plans/parse":        true,
	"POST /api/v1/plans/review":       true,
	"POST /api/v1/rules/major-source": true,
}

// area is the route's token area; ok is false for a tag with none.
func (rt apiRoute) area() (area string, ok bool) {
	for p, a := range pathAreas {
		if rt.Path == p || strings.HasPrefix(rt.Path, p+"/") {
			return a, true
		}
	}
	area, ok = tagAreas[rt.Tag]
	return area, ok
}

// writes reports whether the route changes anything.
func (rt apiRoute) writes() bool {
	return rt.Method != http.MethodGet && !readingPosts[rt.Method+" "+rt.Path]
}

// tokenGate refuses a request made with a token whose grant does not reach
// the route (403, saying why); sessions pass.
func (s *Server) tokenGate(rt apiRoute, h http.HandlerFunc) http.HandlerFunc {
	area, ok := rt.area()
	writes := rt.writes()
	return func(w http.ResponseWriter, r *http.Request) {
		g := grantOf(r)
		if g.Token() && !ok {
			s.fail(w, r, apperr.New(apperr.Forbidden, "此接口尚未划定接口令牌的访问范围，暂不接受令牌访问，请登录后使用"))
			return
		}
		if err := g.Allows(area, writes); err != nil {
			s.fail(w, r, err)
			return
		}
		h(w, r)
	}
}

// grantOf is what the request's token may do (the zero Grant for a
// session or nobody).
func grantOf(r *http.Request) auth.Grant {
	id, _ := r.Context().Value(identityKey).(identity)
	return id.grant
}
