package web

import "net/http"

// hstsValue tells the browser to reach anwei only over HTTPS for a year.
const hstsValue = "max-age=31536000"

// hsts adds Strict-Transport-Security to every response of a request that
// came over HTTPS — directly, or through a trusted proxy that says so
// (secure) — and never over plain HTTP, where a browser ignores it and a
// deployment still being set up must not be locked to a certificate it
// has not got.
func (s *Server) hsts(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.secure(r) {
			w.Header().Set("Strict-Transport-Security", hstsValue)
		}
		next.ServeHTTP(w, r)
	})
}
