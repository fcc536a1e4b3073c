package web

import (
	"net/http"
	"strings"
)

// Route is one route of the handler: its method ("" for any) and path
// pattern as registered, whether it is the JSON API's, and for the API the
// query parameters its table documents.
type Route struct {
	Method, Path string
	API          bool
	Query        []string
}

// Write reports whether the route changes state: POST, PUT, PATCH or
// DELETE.
func (r Route) Write() bool {
	switch r.Method {
	case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
		return true
	}
	return false
}

// String is the route as registered: "POST /hazards/{id}/act".
func (r Route) String() string { return strings.TrimSpace(r.Method + " " + r.Path) }

// router is what routePages, routeAPI and routeOuter register on: the
// handler's *http.ServeMux, or the recorder Routes lists them with.
type router interface {
	Handle(pattern string, h http.Handler)
	HandleFunc(pattern string, h func(http.ResponseWriter, *http.Request))
}

// recorder is a router that keeps the patterns.
type recorder struct {
	api    bool
	routes []Route
}

func (r *recorder) HandleFunc(pattern string, _ func(http.ResponseWriter, *http.Request)) {
	r.Handle(pattern, nil)
}

func (r *recorder) Handle(pattern string, _ http.Handler) {
	method, path, ok := strings.Cut(pattern, " ")
	if !ok {
		method, path = "", pattern
	}
	r.routes = append(r.routes, Route{Method: method, Path: path, API: r.api})
}

// Routes lists every route of the pages (routePages), the API (routeAPI)
// and what needs no session (routeOuter: static files, the health check,
// the fallback), read from the functions Handler runs, so a test that
// walks it (the scope matrix, the mass-assignment test) meets a route the
// day it is added.
func (s *Server) Routes() []Route {
	pages, api, outer := &recorder{}, &recorder{api: true}, &recorder{}
	s.routePages(pages)
	s.routeAPI(api)
	s.routeOuter(outer, nil)
	for _, rt := range s.apiRoutes() {
		for i := range api.routes {
			if api.routes[i].Method == rt.Method && api.routes[i].Path == rt.Path {
				api.routes[i].Query = rt.Query
			}
		}
	}
	return append(append(pages.routes, api.routes...), outer.routes...)
}
