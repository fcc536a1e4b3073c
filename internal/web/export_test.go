package web

// APIRoutes lists the API table (apiRoutes) as method, path and whether it
// is public, for TestOpenAPIDocumentsEveryRoute.
func (s *Server) APIRoutes() (routes [][2]string, public map[string]bool) {
	public = map[string]bool{}
	for _, rt := range s.apiRoutes() {
		routes = append(routes, [2]string{rt.Method, rt.Path})
		public[rt.Method+" "+rt.Path] = rt.Public
	}
	return routes, public
}
