package web

import (
	"net/http"
	"strconv"
	"time"

	"anwei/internal/org"
	"anwei/internal/paging"
	"anwei/internal/plan"
)

// superviseData is the office's 督办 page: overdue and due-soon duties of its
// plans to chase, and consolidated reports waiting for its decision.
type superviseData struct {
	Status   string
	Duties   []plan.InstanceRow
	Total    int
	Pending  []plan.ReportRow
	Prefix   string
	AnswerBy string
}

func (s *Server) supervisePage(w http.ResponseWriter, r *http.Request) error {
	return s.renderSupervise(w, r, nil)
}

func (s *Server) renderSupervise(w http.ResponseWriter, r *http.Request, ferr error) error {
	a := actorOf(r)
	if err := a.Require(org.PermPlanSupervise); err != nil {
		return err
	}
	status := r.URL.Query().Get("status")
	if status != plan.StatusDueSoon {
		status = plan.StatusOverdue
	}
	planID, _ := strconv.ParseInt(r.URL.Query().Get("plan"), 10, 64)
	unitID, _ := strconv.ParseInt(r.URL.Query().Get("unit"), 10, 64) // a unit's line of the plan figures (issue 16.5)
	ds, total, err := s.Plans.ListInstances(r.Context(), a, plan.InstanceFilter{PlanID: planID, UnitID: unitID, Status: status, Page: paging.Page{Limit: 300}})
	if err != nil {
		return err
	}
	pending, _, err := s.Plans.ListReports(r.Context(), a, plan.ReportFilter{Kind: plan.KindConsolidated, Status: plan.ReportSubmitted, Page: paging.Page{Limit: 100}})
	if err != nil {
		return err
	}
	today := s.Plans.Today()
	d := superviseData{Status: status, Duties: ds, Total: total, Pending: pending,
		Prefix: org.DocPrefix(a.Unit.Region), AnswerBy: addDays(today, 7)}
	pd := pageData{Title: "督办", Actor: a, Flash: flashOf(r), Data: d}
	if ferr != nil {
		return s.formErr(w, r, "plan/supervise", pd, ferr)
	}
	s.pages.render(w, r, "plan/supervise", pd)
	return nil
}

func (s *Server) noticeIssue(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	in := plan.NoticeInput{Kind: r.PostForm.Get("kind"), AnswerBy: r.PostForm.Get("answer_by"), DocPrefix: r.PostForm.Get("doc_prefix"),
		Again: r.PostForm.Get("again") == "1"}
	for _, v := range r.PostForm["instance"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			in.InstanceIDs = append(in.InstanceIDs, id)
		}
	}
	ids, err := s.Plans.IssueNotices(r.Context(), actorOf(r), in)
	if err != nil {
		return s.renderSupervise(w, r, err)
	}
	if len(ids) == 1 {
		redirectOK(w, r, "/notices/"+strconv.FormatInt(ids[0], 10), "issued")
		return nil
	}
	redirectOK(w, r, "/notices", "issued")
	return nil
}

func (s *Server) noticesPage(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	status := r.URL.Query().Get("status")
	ns, total, err := s.Plans.ListNotices(r.Context(), a, plan.NoticeFilter{Status: status, Page: pageOf(r, listSize)})
	if err != nil {
		return err
	}
	s.pages.render(w, r, "plan/notices", pageData{Title: "督办文书", Actor: a, Flash: flashOf(r),
		Data: map[string]any{"Notices": ns, "Status": status, "Pager": newPager(r, listSize, total)}})
	return nil
}

func (s *Server) noticePage(w http.ResponseWriter, r *http.Request) error {
	return s.renderNotice(w, r, nil)
}

func (s *Server) renderNotice(w http.ResponseWriter, r *http.Request, ferr error) error {
	a := actorOf(r)
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	n, err := s.Plans.GetNotice(r.Context(), a, id)
	if err != nil {
		return err
	}
	pd := pageData{Title: n.DocNumber, Actor: a, Flash: flashOf(r), Data: n}
	if ferr != nil {
		return s.formErr(w, r, "plan/notice", pd, ferr)
	}
	s.pages.render(w, r, "plan/notice", pd)
	return nil
}

func (s *Server) noticePDF(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	n, err := s.Plans.GetNotice(r.Context(), actorOf(r), id)
	if err != nil {
		return err
	}
	b, err := n.Letter().PDF()
	return sendPDF(w, n.DocNumber+".pdf", b, err)
}

// noticeDOCX is the notice as .docx, to whom may read it as its PDF.
func (s *Server) noticeDOCX(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	n, err := s.Plans.GetNotice(r.Context(), actorOf(r), id)
	if err != nil {
		return err
	}
	b, err := n.Letter().DOCX()
	return sendDOCX(w, n.DocNumber+".docx", b, err)
}

func (s *Server) noticeAnswer(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.Plans.AnswerNotice(r.Context(), actorOf(r), id, r.FormValue("answer")); err != nil {
		return s.renderNotice(w, r, err)
	}
	redirectOK(w, r, "/notices/"+strconv.FormatInt(id, 10), "answered")
	return nil
}

// addDays adds n days to an ISO date.
func addDays(day string, n int) string {
	t, err := time.Parse("2006-01-02", day)
	if err != nil {
		return day
	}
	return t.AddDate(0, 0, n).Format("2006-01-02")
}
