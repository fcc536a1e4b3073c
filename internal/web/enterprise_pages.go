package web

import (
	"cmp"
	"net/http"
	"strconv"
	"time"

	"anwei/internal/codes"
	"anwei/internal/docs"
	"anwei/internal/enterprise"
	"anwei/internal/org"
)

// entChoices are the pickers every enterprise page uses.
func (s *Server) entChoices(r *http.Request) (map[string]any, error) {
	a := actorOf(r)
	regions, err := s.Org.Townships(r.Context(), a)
	if err != nil {
		return nil, err
	}
	return map[string]any{"Regions": regions, "Categories": enterprise.Categories,
		"Scales": enterprise.Scales, "Statuses": enterprise.Statuses, "StdLevels": enterprise.StdLevels}, nil
}

func (s *Server) enterprisesPage(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	f := entFilter(r, listSize)
	es, total, err := s.Ents.List(r.Context(), a, f)
	if err != nil {
		return err
	}
	d, err := s.entChoices(r)
	if err != nil {
		return err
	}
	d["Rows"], d["Pager"], d["Q"] = es, newPager(r, listSize, total), r.URL.Query()
	d["DeptName"] = s.unitName(r, f.DeptID)
	d["Export"] = "/enterprises.xlsx?" + r.URL.RawQuery
	s.pages.render(w, r, "enterprise/list", pageData{Title: "企业档案", Actor: a, Flash: flashOf(r), Data: d})
	return nil
}

func (s *Server) renderEntForm(w http.ResponseWriter, r *http.Request, e enterprise.Enterprise, ferr error) error {
	d, err := s.entChoices(r)
	if err != nil {
		return err
	}
	d["E"], d["IsNew"] = e, e.UnitID == 0
	cats := map[string]bool{}
	for _, c := range e.Categories {
		cats[c] = true
	}
	if r.PostForm != nil && ferr != nil {
		cats = map[string]bool{}
		for _, c := range r.PostForm["categories"] {
			cats[c] = true
		}
	}
	d["Cats"] = cats
	title := "登记企业"
	if e.UnitID != 0 {
		title = "修改: " + e.Name
	}
	pd := pageData{Title: title, Actor: actorOf(r), Data: d}
	if ferr != nil {
		return s.formErr(w, r, "enterprise/form", pd, ferr)
	}
	s.pages.render(w, r, "enterprise/form", pd)
	return nil
}

func (s *Server) enterpriseNewPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderEntForm(w, r, enterprise.Enterprise{Status: "operating"}, nil)
}

func (s *Server) enterpriseCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	e, err := s.Ents.Create(r.Context(), actorOf(r), entForm(r))
	if err != nil {
		return s.renderEntForm(w, r, enterprise.Enterprise{}, err)
	}
	redirectOK(w, r, "/enterprises/"+strconv.FormatInt(e.UnitID, 10), "created")
	return nil
}

func (s *Server) enterpriseEditPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	e, err := s.Ents.Get(r.Context(), actorOf(r), id)
	if err != nil {
		return err
	}
	return s.renderEntForm(w, r, e, nil)
}

func (s *Server) enterpriseUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	_, change, err := s.Ents.Update(r.Context(), actorOf(r), id, entForm(r))
	if err != nil {
		old, gerr := s.Ents.Get(r.Context(), actorOf(r), id)
		if gerr != nil {
			return gerr
		}
		return s.renderEntForm(w, r, old, err)
	}
	flash := "saved"
	if change != 0 {
		flash = "change"
	}
	redirectOK(w, r, "/enterprises/"+strconv.FormatInt(id, 10), flash)
	return nil
}

func (s *Server) enterpriseImportPage(w http.ResponseWriter, r *http.Request) error {
	if err := actorOf(r).Require(org.PermEntImport); err != nil {
		return err
	}
	s.pages.render(w, r, "enterprise/import", pageData{Title: "批量导入企业", Actor: actorOf(r), Data: map[string]any{"Header": enterprise.SheetHeader}})
	return nil
}

// enterpriseImport takes the uploaded sheet and shows the report. The page
// sends the file with XMLHttpRequest to show a progress bar, and swaps the
// report in; without JavaScript the form posts and the whole page returns.
// With rejects=csv (a checkbox, posted without XMLHttpRequest) the answer
// is every rejected row as a CSV download instead.
func (s *Server) enterpriseImport(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	render := func(res *enterprise.ImportResult, ferr error) error {
		pd := pageData{Title: "批量导入企业", Actor: a, Data: map[string]any{"Header": enterprise.SheetHeader, "Result": res}}
		if ferr != nil {
			return s.formErr(w, r, "enterprise/import", pd, ferr)
		}
		s.pages.render(w, r, "enterprise/import", pd)
		return nil
	}
	if err := a.Require(org.PermEntImport); err != nil {
		return err
	}
	f, remove, err := formSheet(r, "请选择 .xlsx 或 .csv 文件")
	if err != nil {
		return render(nil, err)
	}
	defer remove()
	if r.FormValue("rejects") == "csv" {
		_, err := s.importWithRejects(w, r, f)
		if err != nil {
			return render(nil, err)
		}
		return nil
	}
	res, err := s.Ents.Import(r.Context(), a, f, nil)
	if err != nil {
		return render(nil, err)
	}
	return render(&res, nil)
}

// importWithRejects imports f and answers with all its rejected rows as CSV.
func (s *Server) importWithRejects(w http.ResponseWriter, r *http.Request, f docs.File) (any, error) {
	rejects, drop, err := rejectsFile()
	if err != nil {
		return nil, err
	}
	defer drop()
	if _, err := s.Ents.Import(r.Context(), actorOf(r), f, rejects); err != nil {
		return nil, err
	}
	return streamed{}, sendRejects(w, rejects, f.Name)
}

func (s *Server) enterpriseExport(w http.ResponseWriter, r *http.Request) error {
	f := entFilter(r, 0)
	sh := docs.Sheet{Name: "企业名单", Header: append(append([]string{}, enterprise.SheetHeader...), "监管分类", "分类理由", "重大危险源", "严重失信", "行业", "监管部门"),
		Widths: []float64{30, 22, 14, 30, 8, 10, 20, 6, 10, 10, 14, 10, 14, 8, 8, 8, 18, 18, 12, 6, 8, 40, 10, 8, 24, 30}}
	err := s.Ents.Each(r.Context(), actorOf(r), f, func(e enterprise.Enterprise) error {
		black := ""
		if e.Blacklisted {
			black = "是"
		}
		sh.Rows = append(sh.Rows, []string{e.Name, e.CreditCode, cmp.Or(e.RegionName, e.RegionCode), e.Address, e.Grid, e.IndustryCode, e.CategoryNames(),
			codes.NameOf(enterprise.Scales, e.Scale), e.LegalRep, e.Principal, e.PrincipalPhone, e.SafetyManager, e.SafetyPhone,
			strconv.Itoa(e.Staff), strconv.Itoa(e.SafetyEngineers), codes.NameOf(enterprise.StdLevels, e.StdLevel), e.Insurer, e.PolicyNo,
			e.PolicyExpires, codes.NameOf(enterprise.Statuses, e.Status), e.Class, e.ClassReason, e.MajorGrade, black, e.IndustryWord, e.Depts()})
		return nil
	})
	if err != nil {
		return err
	}
	return sendXLSX(w, "企业名单-"+time.Now().Format("20060102")+".xlsx", sh)
}

// enterpriseImportTemplate is the import's sheet with its columns and
// nothing else, to fill in (issue 16.4: every import page offers one).
func (s *Server) enterpriseImportTemplate(w http.ResponseWriter, r *http.Request) error {
	if err := actorOf(r).Require(org.PermEntImport); err != nil {
		return err
	}
	widths := make([]float64, len(enterprise.SheetHeader))
	for i, h := range enterprise.SheetHeader {
		widths[i] = float64(max(10, 2*len([]rune(h))+4))
	}
	return sendXLSX(w, "企业导入模板.xlsx", docs.Sheet{Name: "企业名单", Header: enterprise.SheetHeader, Widths: widths})
}

func (s *Server) changesPage(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	status := r.URL.Query().Get("status")
	if status == "" {
		status = "pending"
	}
	cs, total, err := s.Ents.ListChanges(r.Context(), a, status, pageOf(r, listSize))
	if err != nil {
		return err
	}
	s.pages.render(w, r, "enterprise/changes", pageData{Title: "企业信息变更审核", Actor: a, Flash: flashOf(r),
		Data: map[string]any{"Changes": cs, "Status": status, "Pager": newPager(r, listSize, total)}})
	return nil
}

func (s *Server) changeDecide(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.Ents.DecideChange(r.Context(), actorOf(r), id, r.FormValue("decision") == "approve", r.FormValue("reason")); err != nil {
		return err
	}
	redirectOK(w, r, "/enterprises/changes", "saved")
	return nil
}

func (s *Server) expiringPage(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	days, _ := strconv.Atoi(r.URL.Query().Get("days"))
	if days != 60 {
		days = 30
	}
	p, err := s.Ents.Expiring(r.Context(), a, days)
	if err != nil {
		return err
	}
	s.pages.render(w, r, "enterprise/expiring", pageData{Title: "证照到期提醒", Actor: a,
		Data: map[string]any{"P": p, "Days": days, "Today": s.Plans.Today()}})
	return nil
}
