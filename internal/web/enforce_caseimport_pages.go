package web

import (
	"net/http"

	"anwei/internal/docs"
	"anwei/internal/enforce"
	"anwei/internal/org"
)

// A department's past cases from its spreadsheet (issue 25): the page, the
// upload, the template, and the API twin.

func (s *Server) renderCaseImport(w http.ResponseWriter, r *http.Request, res *enforce.CaseImport, ferr error) error {
	pd := pageData{Title: "导入历史行政处罚案件", Actor: actorOf(r), Data: map[string]any{"Header": enforce.CaseSheetHeader, "Result": res}}
	if ferr != nil {
		return s.formErr(w, r, "enforce/case_import", pd, ferr)
	}
	s.pages.render(w, r, "enforce/case_import", pd)
	return nil
}

func (s *Server) caseImportPage(w http.ResponseWriter, r *http.Request) error {
	if err := actorOf(r).Require(org.PermEnforcePenalty); err != nil {
		return err
	}
	return s.renderCaseImport(w, r, nil, nil)
}

// caseImport takes the uploaded sheet and shows what was imported and
// every refused row with its reasons.
func (s *Server) caseImport(w http.ResponseWriter, r *http.Request) error {
	f, remove, err := formSheet(r, "请选择 .xlsx 或 .csv 文件")
	if err != nil {
		return s.renderCaseImport(w, r, nil, err)
	}
	defer remove()
	res, err := s.Enforce.ImportCases(r.Context(), actorOf(r), f)
	if err != nil {
		return s.renderCaseImport(w, r, nil, err)
	}
	return s.renderCaseImport(w, r, &res, nil)
}

// caseImportTemplate is the import's sheet with its columns, to fill in.
func (s *Server) caseImportTemplate(w http.ResponseWriter, r *http.Request) error {
	if err := actorOf(r).Require(org.PermEnforcePenalty); err != nil {
		return err
	}
	widths := make([]float64, len(enforce.CaseSheetHeader))
	for i, h := range enforce.CaseSheetHeader {
		widths[i] = float64(max(10, 2*len([]rune(h))+4))
	}
	return sendXLSX(w, "行政处罚案件导入模板.xlsx", docs.Sheet{Name: "行政处罚台账", Header: enforce.CaseSheetHeader, Widths: widths})
}

// apiCaseImport imports the request body (a sheet; ?name=文件名).
func (s *Server) apiCaseImport(w http.ResponseWriter, r *http.Request) (any, error) {
	if err := actorOf(r).Require(org.PermEnforcePenalty); err != nil {
		return nil, err
	}
	name := r.URL.Query().Get("name")
	if name == "" {
		name = "cases.xlsx"
	}
	f, remove, err := spool(name, http.MaxBytesReader(w, r.Body, caseSheetUpload+1))
	if err != nil {
		return nil, err
	}
	defer remove()
	return s.Enforce.ImportCases(r.Context(), actorOf(r), f)
}
