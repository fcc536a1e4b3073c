package web

import (
	"encoding/json"
	"net/http"
	"net/url"

	"anwei/internal/apperr"
	"anwei/internal/enforce"
)

// publicDraw is the signed-out page of a draw (双随机一公开): anyone holding
// the commitment the office published sees the lists' size, the public
// value, the result and whether the record verifies, and downloads it.
func (s *Server) publicDrawPage(w http.ResponseWriter, r *http.Request) error {
	d, v, err := s.Enforce.Published(r.Context(), r.PathValue("commitment"))
	if err != nil {
		return err
	}
	s.pages.render(w, r, "enforce/public_draw", pageData{Title: d.Title + " (公示)", Actor: actorOf(r),
		Data: drawView{D: d, Check: v, Recused: recusedOf(d)}})
	return nil
}

// publicDrawRecord sends the record (anwei.draw/v1) to anyone holding the
// commitment: `anwei draw verify --commitment … FILE` checks it.
func (s *Server) publicDrawRecord(w http.ResponseWriter, r *http.Request) error {
	d, _, err := s.Enforce.Published(r.Context(), r.PathValue("commitment"))
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(d.Record(), "", " ")
	if err != nil {
		return apperr.Wrap(err, "记录无法生成")
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape("双随机抽查记录-"+d.Commitment[:12]+".json"))
	_, err = w.Write(b)
	return err
}

// recusedOf are the enterprises of a draw with a recusal.
func recusedOf(d enforce.Draw) map[int64]bool {
	out := map[int64]bool{}
	for _, x := range d.Recusals {
		out[x.Enterprise] = true
	}
	return out
}
