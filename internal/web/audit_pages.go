package web

import (
	"fmt"
	"net/http"

	"anwei/internal/apperr"
	"anwei/internal/calendar"
)

// auditPage searches the audit log (org.AuditEvents checks who may); the
// office that keeps the chain's head (org.AuditHead) sees it too. A filter
// that does not read shows the form again with its mistake.
func (s *Server) auditPage(w http.ResponseWriter, r *http.Request) error {
	a, q := actorOf(r), r.URL.Query()
	f, ferr := auditFilter(q, listSize)
	f.Offset = pageOf(r, listSize).Offset
	events, total, err := s.Org.AuditEvents(r.Context(), a, f)
	if err != nil {
		return err
	}
	d := pageData{Title: "审计日志", Actor: a, Form: q}
	if ferr != nil {
		d.Err = apperr.As(ferr)
		d.Data = map[string]any{"Events": nil, "Pager": newPager(r, listSize, 0)}
		w.WriteHeader(statusOf(apperr.Invalid))
		s.pages.render(w, r, "audit", d)
		return nil
	}
	data := map[string]any{"Events": events, "Pager": newPager(r, listSize, total)}
	switch seq, hash, err := s.Org.AuditHead(r.Context(), a); {
	case err == nil:
		data["HeadSeq"], data["HeadHash"] = seq, hash
	case !apperr.Is(err, apperr.Forbidden): // Forbidden: not the keeper, no head shown
		return err
	}
	d.Data = data
	s.pages.render(w, r, "audit", d)
	return nil
}

// auditHead downloads the chain head as `anwei audit head` prints it
// ("SEQ HASH"), for the office to keep outside the database: `anwei audit
// verify --head HASH` later proves that nothing up to it has changed.
func (s *Server) auditHead(w http.ResponseWriter, r *http.Request) error {
	seq, hash, err := s.Org.AuditHead(r.Context(), actorOf(r))
	if err != nil {
		return err
	}
	name := fmt.Sprintf("anwei-audit-head-%d-%s.txt", seq, s.Clock.Now().In(calendar.Shanghai).Format("20060102-150405"))
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Content-Disposition", "attachment; filename="+name)
	w.Header().Set("Cache-Control", "no-store")
	_, err = fmt.Fprintf(w, "%d %s\n", seq, hash)
	return err
}
