package web

// RouteArea is a route of the API table with the token area it is in
// (routeareas.go): Known is false for a tag given no area.
type RouteArea struct {
	Method, Path, Tag, Area string
	Known, Writes, Public   bool
}

// RouteAreas lists the API table with each route's token area, for the
// token-scope tests.
func (s *Server) RouteAreas() []RouteArea {
	var out []RouteArea
	for _, rt := range s.apiRoutes() {
		area, ok := rt.area()
		out = append(out, RouteArea{Method: rt.Method, Path: rt.Path, Tag: rt.Tag, Area: area, Known: ok, Writes: rt.writes(), Public: rt.Public})
	}
	return out
}
