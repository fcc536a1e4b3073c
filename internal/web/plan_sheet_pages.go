package web

import (
	"net/http"
	"strconv"
)

func (s *Server) planSheet(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	sh, err := s.Plans.TaskSheet(r.Context(), actorOf(r), id)
	if err != nil {
		return err
	}
	return sendXLSX(w, "任务分工表-"+strconv.FormatInt(id, 10)+".xlsx", sh)
}

// planProgressImport takes a filled-in 任务分工表 and shows what it did.
func (s *Server) planProgressImport(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f, remove, err := formSheet(r, "请选择要导入的任务分工表 (.xlsx 或 .csv)")
	if err != nil {
		return s.renderPlan(w, r, id, nil, err)
	}
	defer remove()
	res, err := s.Plans.ImportProgress(r.Context(), a, id, f)
	if err != nil {
		return s.renderPlan(w, r, id, nil, err)
	}
	return s.renderPlan(w, r, id, &res, nil)
}
