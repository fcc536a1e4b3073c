package web

import (
	"io"
	"net/http"
	"strconv"

	"anwei/internal/apperr"
	"anwei/internal/plan"
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
	var res plan.ProgressImport
	if err := parseMultipart(w, r, progressSheetBody, "file"); err != nil {
		return s.renderPlan(w, r, id, nil, err)
	}
	f, fh, err := r.FormFile("file")
	if err != nil {
		return s.renderPlan(w, r, id, nil, apperr.Field("file", "请选择要导入的任务分工表 (.xlsx 或 .csv)"))
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, 16<<20))
	if err != nil {
		return err
	}
	if res, err = s.Plans.ImportProgress(r.Context(), a, id, fh.Filename, data); err != nil {
		return s.renderPlan(w, r, id, nil, err)
	}
	return s.renderPlan(w, r, id, &res, nil)
}

func (s *Server) apiProgressImport(_ http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	name := r.URL.Query().Get("name")
	if name == "" {
		name = "sheet.xlsx"
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, 16<<20))
	if err != nil {
		return nil, err
	}
	return s.Plans.ImportProgress(r.Context(), actorOf(r), id, name, data)
}
