// Package web serves anwei over HTTP: server-rendered Chinese pages
// (html/template + htmx, vendored and embedded) under / and the JSON API
// under /api/v1/ with its OpenAPI document. Handlers only translate HTTP to
// service calls; permissions and jurisdiction are checked in the services.
// Non-safe cross-origin browser requests are refused by
// http.CrossOriginProtection (CSRF).
package web

import (
	"context"
	"embed"
	"io/fs"
	"log/slog"
	"net/http"
	"runtime/debug"
	"sync"
	"time"

	"anwei/internal/audit"
	"anwei/internal/auth"
	"anwei/internal/calendar"
	"anwei/internal/enterprise"
	"anwei/internal/files"
	"anwei/internal/hazard"
	"anwei/internal/inbox"
	"anwei/internal/org"
	"anwei/internal/plan"
	"anwei/internal/risk"
)

//go:embed static
var staticFiles embed.FS

// Services are the mechanisms the handlers call.
type Services struct {
	Audit   *audit.Log // the audit chain, and the database's health
	Clock   calendar.Clock
	Org     *org.Service
	Auth    *auth.Service
	Plans   *plan.Service
	Ents    *enterprise.Service
	Hazards *hazard.Service
	Risks   *risk.Service
	Inbox   *inbox.Service
	Files   *files.Store
	Log     *slog.Logger
	// TrustProxy: the client address and scheme come from the reverse
	// proxy's X-Forwarded-For and X-Forwarded-Proto headers.
	TrustProxy bool
	// Timeouts of the HTTP server (HTTPServer); zero fields take
	// DefaultTimeouts.
	Timeouts Timeouts
}

// Server holds what the handlers need.
type Server struct {
	Services
	pages        *pages
	proxyWarning sync.Once // X-Forwarded-For seen without TrustProxy: said once
}

// New returns a server with its templates parsed.
func New(svc Services) (*Server, error) {
	p, err := parsePages()
	if err != nil {
		return nil, err
	}
	if svc.Log == nil {
		svc.Log = slog.Default()
	}
	return &Server{Services: svc, pages: p}, nil
}

// Handler returns the whole HTTP handler.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	s.routePages(mux)
	s.routeAPI(mux)
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, errCrossOrigin)
	}))
	// Static files and the health check need no session lookup.
	outer := http.NewServeMux()
	static, _ := fs.Sub(staticFiles, "static")
	outer.Handle("GET /static/", http.StripPrefix("/static/", cacheForever(http.FileServerFS(static))))
	outer.HandleFunc("GET /healthz", s.healthz)
	outer.Handle("/", cop.Handler(s.identify(mux)))
	return s.recoverer(s.logRequests(securityHeaders(outer)))
}

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

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.Audit.Ping(ctx); err != nil {
		http.Error(w, "database unavailable", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("ok"))
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
