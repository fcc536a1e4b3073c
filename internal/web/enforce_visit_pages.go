package web

import (
	"encoding/base64"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"anwei/internal/docs"
	"anwei/internal/enforce"
	"anwei/internal/org"
	"anwei/internal/paging"
	"anwei/internal/rules"

	"github.com/skip2/go-qrcode"
)

// inspectionView is an inspection's page: the task, the officer's work on
// site (checklist, findings, media, signatures, closing) and the writs.
type inspectionView struct {
	D          enforce.Detail
	Officers   []enforce.Officer // the 名录库, for staffing a task
	MayStaff   bool              // the planner of the department, on a task awaiting approval
	MayApprove bool
	Violations []rules.Violation
	Criteria   []rules.Criterion
	Today      string
	Which      string // the form an error came back with
	Failed     int    // checklist items marked 不合格
	// Cases are the 行政处罚案件 opened from the findings, by finding;
	// MayOpenCase: the department's officer may open one from a violation.
	Cases       map[int64]*enforce.PenaltyCase
	MayOpenCase bool
	CaseTeam    []int64
	Unmarked    int
}

func (s *Server) renderInspection(w http.ResponseWriter, r *http.Request, id int64, which string, ferr error) error {
	a := actorOf(r)
	d, err := s.Enforce.GetInspection(r.Context(), a, id)
	if err != nil {
		return err
	}
	v := inspectionView{D: d, Which: which, Today: s.Plans.Today(),
		MayStaff:   d.State == enforce.StatePlanned && a.Unit.ID == d.UnitID && a.Can(org.PermEnforcePlan),
		MayApprove: d.State == enforce.StatePlanned && a.Unit.ID == d.UnitID && a.Can(org.PermEnforceApprove)}
	if v.MayStaff {
		if v.Officers, err = s.Enforce.ListOfficers(r.Context(), a); err != nil {
			return err
		}
	}
	if d.Mine && d.State == enforce.StateStarted {
		if v.Violations, err = rules.Violations(); err != nil {
			return err
		}
		v.Criteria = inspectionCriteria(d.Items)
	}
	if d.State == enforce.StateClosed && a.Unit.Kind != org.KindEnterprise {
		cs, _, err := s.Enforce.Cases(r.Context(), a, enforce.CaseFilter{Inspection: d.ID, Page: paging.Page{Limit: 100}})
		if err != nil {
			return err
		}
		v.Cases = map[int64]*enforce.PenaltyCase{}
		for i, c := range cs {
			if c.Source == "inspection" {
				v.Cases[c.FindingID] = &cs[i]
			}
		}
		v.MayOpenCase = a.Unit.ID == d.UnitID && a.Can(org.PermEnforcePenalty)
		for _, m := range d.Team {
			v.CaseTeam = append(v.CaseTeam, m.UserID)
		}
	}
	for _, it := range d.Items {
		switch it.Result {
		case "fail":
			v.Failed++
		case "":
			v.Unmarked++
		}
	}
	pd := pageData{Title: "执法检查 · " + d.Enterprise, Actor: a, Flash: flashOf(r), Data: v}
	if ferr != nil {
		return s.formErr(w, r, "enforce/inspection", pd, ferr)
	}
	s.pages.render(w, r, "enforce/inspection", pd)
	return nil
}

// inspectionCriteria are the 判定标准 items of the checklist, for judging
// a finding a major hazard.
func inspectionCriteria(items []enforce.Item) []rules.Criterion {
	var out []rules.Criterion
	for _, it := range items {
		if c, ok := rules.LookupCriterion(it.Key); ok && it.Major {
			out = append(out, c)
		}
	}
	return out
}

func (s *Server) inspectionPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return s.renderInspection(w, r, id, "", nil)
}

// inspectionStep runs a form's step on an inspection and comes back to
// its page with the flash, or with the form's error.
func (s *Server) inspectionStep(which, flash string, step func(r *http.Request, a *org.Actor, id int64) error) pageFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		if err := step(r, actorOf(r), id); err != nil {
			if r.Header.Get("X-Autosave") == "1" { // the checklist's own save: the page stays
				return err
			}
			return s.renderInspection(w, r, id, which, err)
		}
		if r.Header.Get("X-Autosave") == "1" {
			w.WriteHeader(http.StatusNoContent)
			return nil
		}
		http.Redirect(w, r, fmt.Sprintf("/enforce/inspections/%d?ok=%s#%s", id, flash, which), http.StatusSeeOther)
		return nil
	}
}

func taskInput(r *http.Request) enforce.TaskInput {
	in := enforce.TaskInput{From: r.PostForm.Get("from"), To: r.PostForm.Get("to"), Note: r.PostForm.Get("note")}
	for _, v := range r.PostForm["officers"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			in.Officers = append(in.Officers, id)
		}
	}
	return in
}

// marksInput reads the checklist form: result_<key> and note_<key> for
// each item sent (the page's autosave sends one, its button all).
func marksInput(r *http.Request) []enforce.MarkInput {
	var out []enforce.MarkInput
	for k, vs := range r.PostForm {
		key, ok := strings.CutPrefix(k, "result_")
		if !ok || len(vs) == 0 || vs[0] == "" {
			continue
		}
		out = append(out, enforce.MarkInput{Item: key, Result: vs[0], Note: r.PostForm.Get("note_" + key)})
	}
	return out
}

func findingInput(r *http.Request) enforce.FindingInput {
	f := r.PostForm
	in := enforce.FindingInput{ItemKey: f.Get("item_key"), Place: f.Get("place"), Description: f.Get("description"), Violation: f.Get("violation"),
		Deadline: f.Get("deadline"), Hazard: f.Get("hazard") != ""}
	if in.Hazard {
		in.Level = f.Get("hazard")
		in.Criterion = f.Get("criterion")
	}
	return in
}

// signatureOf decodes a drawn signature sent as a data: URL (the canvas's
// toDataURL) or as plain base64.
func signatureOf(v string) []byte {
	v = strings.TrimPrefix(v, "data:image/png;base64,")
	b, _ := base64.StdEncoding.DecodeString(v)
	return b
}

func signInput(r *http.Request) enforce.SignInput {
	f := r.PostForm
	return enforce.SignInput{Role: f.Get("role"), Name: f.Get("name"), PNG: signatureOf(f.Get("signature")), Refused: f.Get("refused") == "1",
		Reason: f.Get("reason")}
}

func closeInput(r *http.Request) enforce.CloseInput {
	f := r.PostForm
	return enforce.CloseInput{Place: f.Get("place"), Party: f.Get("party"), PartyPost: f.Get("party_post"), Summary: f.Get("summary"),
		Handling: f.Get("handling"), Measures: f.Get("measures")}
}

// The steps of the inspection page.
var (
	stepTask = func(s *Server) pageFunc {
		return s.inspectionStep("task", "saved", func(r *http.Request, a *org.Actor, id int64) error {
			return s.Enforce.SetTask(r.Context(), a, id, taskInput(r))
		})
	}
	stepApprove = func(s *Server) pageFunc {
		return s.inspectionStep("task", "task-approved", func(r *http.Request, a *org.Actor, id int64) error {
			return s.Enforce.ApproveTask(r.Context(), a, id)
		})
	}
	stepStart = func(s *Server) pageFunc {
		return s.inspectionStep("start", "started", func(r *http.Request, a *org.Actor, id int64) error {
			var in enforce.StartInput
			if lat, err := strconv.ParseFloat(r.PostForm.Get("lat"), 64); err == nil {
				in.Lat = &lat
			}
			if lon, err := strconv.ParseFloat(r.PostForm.Get("lon"), 64); err == nil {
				in.Lon = &lon
			}
			return s.Enforce.Start(r.Context(), a, id, in)
		})
	}
	stepMarks = func(s *Server) pageFunc {
		return s.inspectionStep("checklist", "saved", func(r *http.Request, a *org.Actor, id int64) error {
			return s.Enforce.Mark(r.Context(), a, id, marksInput(r))
		})
	}
	stepFinding = func(s *Server) pageFunc {
		return s.inspectionStep("finding", "finding", func(r *http.Request, a *org.Actor, id int64) error {
			ups, done, err := uploadsOf(r, "files")
			defer done()
			if err != nil {
				return err
			}
			in := findingInput(r)
			in.Files = ups // recorded with the finding, in one transaction
			_, err = s.Enforce.AddFinding(r.Context(), a, id, in)
			return err
		})
	}
	stepMedia = func(s *Server) pageFunc {
		return s.inspectionStep("media", "saved", func(r *http.Request, a *org.Actor, id int64) error {
			ups, done, err := uploadsOf(r, "files")
			defer done()
			if err != nil {
				return err
			}
			fid, _ := strconv.ParseInt(r.PostForm.Get("finding_id"), 10, 64)
			_, err = s.Enforce.AddMedia(r.Context(), a, id, enforce.MediaInput{ItemKey: r.PostForm.Get("item_key"), FindingID: fid, Files: ups})
			return err
		})
	}
	stepSign = func(s *Server) pageFunc {
		return s.inspectionStep("sign", "signed", func(r *http.Request, a *org.Actor, id int64) error {
			return s.Enforce.Sign(r.Context(), a, id, signInput(r))
		})
	}
	stepClose = func(s *Server) pageFunc {
		return s.inspectionStep("close", "closed", func(r *http.Request, a *org.Actor, id int64) error {
			_, err := s.Enforce.Close(r.Context(), a, id, closeInput(r))
			return err
		})
	}
)

// findingRemove takes back a finding recorded in error.
func (s *Server) findingRemove(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	fid, err := pathID(r, "fid")
	if err != nil {
		return err
	}
	if err := s.Enforce.RemoveFinding(r.Context(), actorOf(r), id, fid); err != nil {
		return s.renderInspection(w, r, id, "findings", err)
	}
	http.Redirect(w, r, fmt.Sprintf("/enforce/inspections/%d?ok=saved#findings", id), http.StatusSeeOther)
	return nil
}

// checkinPage is where an officer's phone lands on scanning an entry code:
// the enterprise it names and a button to record the arrival (a scan is a
// GET; the check-in is the POST).
func (s *Server) checkinPage(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	token := r.PathValue("token")
	name, err := s.Enforce.CheckinEnterprise(r.Context(), a, token)
	if err != nil {
		return err
	}
	s.pages.render(w, r, "enforce/checkin", pageData{Title: "扫码入企", Actor: a, Data: map[string]string{"Token": token, "Enterprise": name}})
	return nil
}

func (s *Server) checkinSubmit(w http.ResponseWriter, r *http.Request) error {
	token := r.PathValue("token")
	if token == "" {
		if err := r.ParseForm(); err != nil {
			return err
		}
		token = strings.TrimSpace(r.PostForm.Get("token"))
	}
	id, err := s.Enforce.CheckIn(r.Context(), actorOf(r), token)
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/enforce/inspections/%d?ok=checked-in#start", id), http.StatusSeeOther)
	return nil
}

// inspectionWrit sends a writ of the inspection as a PDF.
func (s *Server) inspectionWrit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	wid, err := pathID(r, "wid")
	if err != nil {
		return err
	}
	f, err := s.Enforce.WritForm(r.Context(), actorOf(r), id, wid)
	return sendWrit(w, f, err)
}

// sendWrit sends a writ as its PDF, named by its title and 文号.
func sendWrit(w http.ResponseWriter, f docs.Form, err error) error {
	if err != nil {
		return err
	}
	b, err := f.PDF()
	return sendPDF(w, f.Title+"-"+f.DocNumber+".pdf", b, err)
}

// inspectionMedia sends a media file: a photo, sound or video inline as
// the allow-listed type its bytes showed (with Range, for seeking), any
// other file as a download.
func (s *Server) inspectionMedia(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	mid, err := pathID(r, "mid")
	if err != nil {
		return err
	}
	m, f, err := s.Enforce.OpenMedia(r.Context(), actorOf(r), id, mid)
	if err != nil {
		return err
	}
	defer f.Close()
	h := w.Header()
	ct, disp := m.ServeType(), "inline"
	if ct == "" {
		ct, disp = "application/octet-stream", "attachment"
	}
	h.Set("Content-Type", ct)
	h.Set("Content-Disposition", mime.FormatMediaType(disp, map[string]string{"filename": m.Name}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", fileCSP)
	http.ServeContent(w, r, "", m.CreatedAt, f)
	return nil
}

// inspectionSignature sends a drawn signature (PNG).
func (s *Server) inspectionSignature(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	b, err := s.Enforce.OpenSignature(r.Context(), actorOf(r), id, r.PathValue("role"))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Content-Security-Policy", fileCSP)
	_, err = w.Write(b)
	return err
}

// inspectionExchange sends the inspection's record for another system.
func (s *Server) inspectionExchange(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	x, err := s.Enforce.ExchangeOf(r.Context(), actorOf(r), id)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": fmt.Sprintf("inspection-%d.json", id)}))
	writeJSON(w, http.StatusOK, x)
	return nil
}

// inspectionLedger sends the 执法检查台账 as .xlsx.
func (s *Server) inspectionLedger(w http.ResponseWriter, r *http.Request) error {
	sh, err := s.Enforce.Ledger(r.Context(), actorOf(r), inspectionFilter(r))
	if err != nil {
		return err
	}
	return sendXLSX(w, "执法检查台账.xlsx", sh)
}

func inspectionFilter(r *http.Request) enforce.InspectionFilter {
	q := r.URL.Query()
	f := enforce.InspectionFilter{Kind: q.Get("kind"), State: q.Get("state"), Mine: q.Get("mine") == "1"}
	f.Year, _ = strconv.Atoi(q.Get("year"))
	f.EnterpriseID, _ = strconv.ParseInt(q.Get("enterprise"), 10, 64)
	f.DrawID, _ = strconv.ParseInt(q.Get("draw"), 10, 64)
	f.Month, _ = strconv.Atoi(q.Get("month"))
	return f
}

// entryCode sends an enterprise's entry code (入企码) as a QR picture of
// the check-in address, for the enterprise to print at its gate.
func (s *Server) entryCode(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	token, err := s.Enforce.CheckinToken(r.Context(), actorOf(r), id)
	if err != nil {
		return err
	}
	png, err := qrPNG(baseURL(r) + "/enforce/checkin/" + token)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "image/png")
	_, err = w.Write(png)
	return err
}

// baseURL is the address the request came to (the entry code's QR names
// the page on this server; behind a proxy, the Host it forwarded).
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// qrPNG draws text as a QR code picture, medium error correction.
func qrPNG(text string) ([]byte, error) { return qrcode.Encode(text, qrcode.Medium, 320) }
