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

// ChangeLinesForTest exposes changeLines to the external tests: label and
// value after, with 370105015 named 泺口街道.
func ChangeLinesForTest(after string) [][2]string {
	var out [][2]string
	for _, l := range changeLines("", after, func(c string) string {
		if c == "370105015" {
			return "泺口街道（" + c + "）"
		}
		return c
	}) {
		out = append(out, [2]string{l.Label, l.After})
	}
	return out
}
