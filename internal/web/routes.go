package web

import (
	"net/http"
	"strings"
)

// Route is one route of the handler: its method ("" for any) and path
// pattern as registered, and whether it is the JSON API's.
type Route struct {
	Method, Path string
	API          bool
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

// router is what routePages and routeAPI register on: the handler's
// *http.ServeMux, or the recorder Routes lists them with.
type router interface {
	HandleFunc(pattern string, h func(http.ResponseWriter, *http.Request))
}

// recorder is a router that keeps the patterns.
type recorder struct {
	api    bool
	routes []Route
}

func (r *recorder) HandleFunc(pattern string, _ func(http.ResponseWriter, *http.Request)) {
	method, path, ok := strings.Cut(pattern, " ")
	if !ok {
		method, path = "", pattern
	}
	r.routes = append(r.routes, Route{Method: method, Path: path, API: r.api})
}

// Routes lists every route of the pages (routePages) and the API
// (routeAPI), read from the functions that register them, so a test that
// walks it meets a route the day it is added.
func (s *Server) Routes() []Route {
	pages, api := &recorder{}, &recorder{api: true}
	s.routePages(pages)
	s.routeAPI(api)
	return append(pages.routes, api.routes...)
}
