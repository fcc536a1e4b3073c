package web

import (
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"
)

// csp is the Content-Security-Policy of every response. Scripts and styles
// come only from anwei's own /static/ files: no inline script, event handler
// attribute or javascript: URL (static/app.js wires the pages through data-
// attributes), no style attribute or <style> element (htmx's indicator
// style is in app.css; ECharts draws on a canvas and sizes its boxes
// through the CSSOM, which CSP does not govern, so style-src needs no
// 'unsafe-inline'). Pictures may be data: or blob: URLs (ECharts' export,
// photo previews). No plugins, no <base>, forms post only here, and no
// other site may frame a page.
const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; object-src 'none'; " +
	"base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

// fixedHeaders are the security headers of every response, keys canonical.
var fixedHeaders = http.Header{
	"Content-Security-Policy": {csp},
	"X-Frame-Options":         {"DENY"},
	"Referrer-Policy":         {"same-origin"},
	"X-Content-Type-Options":  {"nosniff"},
	"Cache-Control":           {"no-store"},
}

// securityHeaders sets the headers every response carries, and
// Cache-Control: no-store on everything but the static files (which set
// their own caching): pages, API answers and downloads depend on who is
// signed in and must not stay in shared or browser caches.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		// The values are shared, never changed in place (Set replaces a
		// value, Add copies it): no allocation per response.
		for k, v := range fixedHeaders {
			h[k] = v
		}
		next.ServeHTTP(w, r)
	})
}

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

func cacheForever(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=86400")
		h.ServeHTTP(w, r)
	})
}

func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil && p != http.ErrAbortHandler {
				s.Log.Error("panic", "path", r.URL.Path, "panic", p, "stack", string(debug.Stack()))
				http.Error(w, "系统内部错误", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.Log.Enabled(r.Context(), slog.LevelDebug) {
			next.ServeHTTP(w, r)
			return
		}
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: 200}
		next.ServeHTTP(sw, r)
		s.Log.Debug("http", "method", r.Method, "path", r.URL.Path, "status", sw.status, "dur", time.Since(start))
	})
}
