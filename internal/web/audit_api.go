package web

import "net/http"

func (s *Server) apiAuditEvents(_ http.ResponseWriter, r *http.Request) (any, error) {
	p := apiPage(r)
	f, ferr := auditFilter(r.URL.Query(), p.Limit)
	f.Offset = p.Offset
	evs, n, err := s.Org.AuditEvents(r.Context(), actorOf(r), f) // refuses who may not read the log first
	if err == nil {
		err = ferr
	}
	return newList(evs, n, p), err
}

func (s *Server) apiAuditEvent(_ http.ResponseWriter, r *http.Request) (any, error) {
	seq, err := pathID(r, "seq")
	if err != nil {
		return nil, err
	}
	return s.Org.AuditEvent(r.Context(), actorOf(r), seq)
}
