package web

import (
	"reflect"
	"slices"
)

// APIBodyFields are the JSON fields each API route decodes, by "METHOD
// /path": its Body type's, which is all the strict decoder (decodeJSON)
// lets through; for TestWritesTakeNoServerFields.
func (s *Server) APIBodyFields() map[string][]string {
	out := map[string][]string{}
	for _, rt := range s.apiRoutes() {
		if rt.Body == nil {
			continue
		}
		var ns []string
		for n := range jsonNames(reflect.TypeOf(rt.Body)) {
			ns = append(ns, n)
		}
		slices.Sort(ns)
		out[rt.Method+" "+rt.Path] = ns
	}
	return out
}
