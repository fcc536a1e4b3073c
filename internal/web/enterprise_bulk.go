package web

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"anwei/internal/apperr"
	"anwei/internal/codes"
	"anwei/internal/docs"
	"anwei/internal/enterprise"
	"anwei/internal/org"
	"anwei/internal/paging"
)

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
	sh := docs.Sheet{Name: "企业名单", Header: append(append([]string{}, enterprise.SheetHeader...), "监管分类", "分类理由", "重大危险源", "严重失信"),
		Widths: []float64{30, 22, 14, 30, 8, 10, 20, 6, 10, 10, 14, 10, 14, 8, 8, 8, 18, 18, 12, 6, 8, 40, 10, 8}}
	err := s.Ents.Each(r.Context(), actorOf(r), f, func(e enterprise.Enterprise) error {
		black := ""
		if e.Blacklisted {
			black = "是"
		}
		sh.Rows = append(sh.Rows, []string{e.Name, e.CreditCode, e.RegionCode, e.Address, e.Grid, e.IndustryCode, e.CategoryNames(),
			codes.NameOf(enterprise.Scales, e.Scale), e.LegalRep, e.Principal, e.PrincipalPhone, e.SafetyManager, e.SafetyPhone,
			strconv.Itoa(e.Staff), strconv.Itoa(e.SafetyEngineers), codes.NameOf(enterprise.StdLevels, e.StdLevel), e.Insurer, e.PolicyNo,
			e.PolicyExpires, codes.NameOf(enterprise.Statuses, e.Status), e.Class, e.ClassReason, e.MajorGrade, black})
		return nil
	})
	if err != nil {
		return err
	}
	return sendXLSX(w, "企业名单-"+time.Now().Format("20060102")+".xlsx", sh)
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

func (s *Server) dutiesPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderDuties(w, r, nil)
}

func (s *Server) renderDuties(w http.ResponseWriter, r *http.Request, ferr error) error {
	a := actorOf(r)
	rs, err := s.Ents.ListDutyRules(r.Context(), a)
	if err != nil {
		return err
	}
	rule, err := s.Ents.ClassRule(r.Context())
	if err != nil {
		return err
	}
	depts, _, err := s.Org.ListUnits(r.Context(), a, org.UnitFilter{Page: paging.Page{Limit: 300}})
	if err != nil {
		return err
	}
	js, _ := json.MarshalIndent(rule, "", "  ")
	pd := pageData{Title: "监管职责与分级规则", Actor: a, Flash: flashOf(r), Data: map[string]any{"Rules": rs, "Categories": enterprise.Categories,
		"Depts": depts, "Rule": rule, "RuleJSON": string(js)}}
	if ferr != nil {
		return s.formErr(w, r, "enterprise/duties", pd, ferr)
	}
	s.pages.render(w, r, "enterprise/duties", pd)
	return nil
}

func (s *Server) dutySet(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	dept, _ := strconv.ParseInt(r.PostForm.Get("dept_id"), 10, 64)
	if _, err := s.Ents.SetDutyRule(r.Context(), actorOf(r), r.PostForm.Get("category"), dept, r.PostForm.Get("on") != "0"); err != nil {
		return s.renderDuties(w, r, err)
	}
	redirectOK(w, r, "/enterprises/duties", "saved")
	return nil
}

func (s *Server) classRuleSet(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	var rule enterprise.ClassRule
	if err := json.Unmarshal([]byte(r.PostForm.Get("rule")), &rule); err != nil {
		return s.renderDuties(w, r, apperr.Field("rule", "规则不是有效的 JSON: "+err.Error()))
	}
	if err := checkJSON([]byte(r.PostForm.Get("rule")), &rule); err != nil {
		return s.renderDuties(w, r, err)
	}
	if _, err := s.Ents.SetClassRule(r.Context(), actorOf(r), rule); err != nil {
		return s.renderDuties(w, r, err)
	}
	redirectOK(w, r, "/enterprises/duties", "saved")
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

// API

func (s *Server) apiEnterprises(_ http.ResponseWriter, r *http.Request) (any, error) {
	f := entFilter(r, 0)
	f.Page = apiPage(r)
	es, n, err := s.Ents.List(r.Context(), actorOf(r), f)
	return newList(es, n, f.Page), err
}

func (s *Server) apiEnterprise(_ http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.Ents.Get(r.Context(), actorOf(r), id)
}

func (s *Server) apiEnterpriseCreate(_ http.ResponseWriter, r *http.Request) (any, error) {
	in, err := body[enterprise.Input](r)
	if err != nil {
		return nil, err
	}
	return s.Ents.Create(r.Context(), actorOf(r), in)
}

type entUpdated struct {
	enterprise.Enterprise
	ChangeRequest int64 `json:"change_request,omitempty"`
}

func (s *Server) apiEnterpriseUpdate(_ http.ResponseWriter, r *http.Request) (any, error) {
	id, in, err := idBody[enterprise.Input](r)
	if err != nil {
		return nil, err
	}
	e, ch, err := s.Ents.Update(r.Context(), actorOf(r), id, in)
	return entUpdated{e, ch}, err
}

// enterpriseFile is the GET /enterprises/{id}/file answer: the whole 一企一档.
type enterpriseFile struct {
	Enterprise    enterprise.Enterprise     `json:"enterprise"`
	Supervisors   []enterprise.Supervisor   `json:"supervisors"`
	Installations []enterprise.Installation `json:"installations"`
	Credit        []enterprise.Listing      `json:"credit"`
	Papers        enterprise.Papers         `json:"papers"`
	Flags         enterprise.Flags          `json:"flags"`
}

func (s *Server) apiEnterpriseFile(_ http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	a, ctx := actorOf(r), r.Context()
	var f enterpriseFile
	if f.Enterprise, err = s.Ents.Get(ctx, a, id); err != nil {
		return nil, err
	}
	if f.Supervisors, err = s.Ents.Supervisors(ctx, a, id); err != nil {
		return nil, err
	}
	if f.Installations, err = s.Ents.Installations(ctx, a, id); err != nil {
		return nil, err
	}
	if f.Credit, err = s.Ents.ListCredit(ctx, a, id); err != nil {
		return nil, err
	}
	if f.Papers, err = s.Ents.GetPapers(ctx, a, id); err != nil {
		return nil, err
	}
	f.Flags, err = s.Ents.FlagsOf(ctx, id)
	return f, err
}

func (s *Server) apiInstallationSave(_ http.ResponseWriter, r *http.Request) (any, error) {
	id, in, err := idBody[enterprise.InstallationInput](r)
	if err != nil {
		return nil, err
	}
	return s.Ents.SaveInstallation(r.Context(), actorOf(r), id, 0, in)
}

func (s *Server) apiCreditAdd(_ http.ResponseWriter, r *http.Request) (any, error) {
	id, in, err := idBody[enterprise.ListingInput](r)
	if err != nil {
		return nil, err
	}
	lid, err := s.Ents.AddToBlacklist(r.Context(), actorOf(r), id, in)
	return created{lid}, err
}

// repairBody is the body of POST /credit/{id}/repair.
type repairBody struct {
	Decision string `json:"decision"`
}

func (s *Server) apiCreditRepair(_ http.ResponseWriter, r *http.Request) (any, error) {
	id, in, err := idBody[repairBody](r)
	if err != nil {
		return nil, err
	}
	return done(s.Ents.RepairCredit(r.Context(), actorOf(r), id, in.Decision))
}

func (s *Server) apiCertificateAdd(_ http.ResponseWriter, r *http.Request) (any, error) {
	id, in, err := idBody[enterprise.CertificateInput](r)
	if err != nil {
		return nil, err
	}
	return s.Ents.AddCertificate(r.Context(), actorOf(r), id, in)
}

func (s *Server) apiExpiring(_ http.ResponseWriter, r *http.Request) (any, error) {
	days, _ := strconv.Atoi(r.URL.Query().Get("days"))
	if days == 0 {
		days = 30
	}
	return s.Ents.Expiring(r.Context(), actorOf(r), days)
}

// apiEnterpriseImport imports the request body (streamed to a temporary
// file) and answers when done: counts and the first rejected rows, or with
// ?rejects=csv all rejected rows as CSV.
func (s *Server) apiEnterpriseImport(w http.ResponseWriter, r *http.Request) (any, error) {
	if err := actorOf(r).Require(org.PermEntImport); err != nil {
		return nil, err
	}
	name := r.URL.Query().Get("name")
	if name == "" {
		name = "enterprises.xlsx"
	}
	f, remove, err := spool(name, http.MaxBytesReader(w, r.Body, maxSheetUpload+1))
	if err != nil {
		return nil, err
	}
	defer remove()
	if r.URL.Query().Get("rejects") == "csv" {
		return s.importWithRejects(w, r, f)
	}
	res, err := s.Ents.Import(r.Context(), actorOf(r), f, nil)
	if err != nil {
		return nil, err
	}
	return importReply{res, rejectsNote(res.RejectedTotal, res.RejectedOmitted)}, nil
}

func (s *Server) apiChanges(_ http.ResponseWriter, r *http.Request) (any, error) {
	p := apiPage(r)
	cs, n, err := s.Ents.ListChanges(r.Context(), actorOf(r), r.URL.Query().Get("status"), p)
	return newList(cs, n, p), err
}

// changeDecision is the body of POST /enterprise-changes/{id}/decision.
type changeDecision struct {
	Approve bool   `json:"approve"`
	Reason  string `json:"reason"`
}

func (s *Server) apiChangeDecide(_ http.ResponseWriter, r *http.Request) (any, error) {
	id, in, err := idBody[changeDecision](r)
	if err != nil {
		return nil, err
	}
	return done(s.Ents.DecideChange(r.Context(), actorOf(r), id, in.Approve, in.Reason))
}
