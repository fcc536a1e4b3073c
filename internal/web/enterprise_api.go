package web

import (
	"fmt"
	"net/http"
	"strconv"

	"anwei/internal/enterprise"
	"anwei/internal/org"
)

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
	id, in, err := idBodyOf[enterprise.Input, enterprise.Enterprise](r)
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
	id, in, err := idBodyOf[enterprise.InstallationInput, enterprise.Installation](r)
	if err != nil {
		return nil, err
	}
	return s.Ents.SaveInstallation(r.Context(), actorOf(r), id, 0, in)
}

// apiInstallationUpdate replaces an installation: the body may be the
// installation as GET …/file lists it (its result and times passed over).
func (s *Server) apiInstallationUpdate(_ http.ResponseWriter, r *http.Request) (any, error) {
	id, in, err := idBodyOf[enterprise.InstallationInput, enterprise.Installation](r)
	if err != nil {
		return nil, err
	}
	inst, err := pathID(r, "inst")
	if err != nil {
		return nil, err
	}
	return s.Ents.SaveInstallation(r.Context(), actorOf(r), id, inst, in)
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
	id, in, err := idBodyOf[enterprise.CertificateInput, enterprise.Certificate](r)
	if err != nil {
		return nil, err
	}
	return s.Ents.AddCertificate(r.Context(), actorOf(r), id, in)
}

func (s *Server) apiExpiring(_ http.ResponseWriter, r *http.Request) (any, error) {
	days, _ := strconv.Atoi(r.URL.Query().Get("days")) // 0: the service's 30
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

// importReply is the answer of POST /enterprises/import: the counts, the
// first rejected rows, and how to get all of them when some are left out.
type importReply struct {
	enterprise.ImportResult
	RejectsNote string `json:"rejects_note,omitempty"`
}

// rejectsNote says how many rejected rows a reply leaves out and how to get
// them all; "" when none are left out.
func rejectsNote(total, omitted int) string {
	if omitted == 0 {
		return ""
	}
	return fmt.Sprintf("共退回 %d 行，只列出前 %d 行，另有 %d 行未列出。要得到全部被退回的行 (CSV)，以 rejects=csv 再次提交同一文件 (重复导入同一文件不会改变任何数据)。",
		total, total-omitted, omitted)
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
