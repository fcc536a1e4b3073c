package web

import (
	"net/http"
	"strconv"

	"anwei/internal/org"
	"anwei/internal/paging"
	"anwei/internal/plan"
)

// taskData is the task page: the task, its reports and what the actor may do.
type taskData struct {
	Task            plan.TaskView
	Reports         []plan.ReportRow
	Role            string // the actor's unit's role on the task
	CanDecide       bool
	CanReport       bool
	PendingFromLead bool
}

func (s *Server) taskPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderTask(w, r, nil)
}

func (s *Server) renderTask(w http.ResponseWriter, r *http.Request, ferr error) error {
	a := actorOf(r)
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	t, err := s.Plans.GetTask(r.Context(), a, id)
	if err != nil {
		return err
	}
	rs, _, err := s.Plans.ListReports(r.Context(), a, plan.ReportFilter{TaskID: id, Page: paging.Page{Limit: 200}})
	if err != nil {
		return err
	}
	d := taskData{Task: t, Reports: rs, Role: t.RoleOf(a.Unit.ID),
		CanDecide: t.MayDecide(a), CanReport: a.Can(org.PermPlanReport)}
	for _, x := range rs {
		if x.Kind == plan.KindConsolidated && x.Status == plan.ReportSubmitted && x.UnitID == a.Unit.ID {
			d.PendingFromLead = true
		}
	}
	pd := pageData{Title: t.ItemRef + " " + t.Heading, Actor: a, Flash: flashOf(r), Data: d}
	if ferr != nil {
		return s.formErr(w, r, "plan/task", pd, ferr)
	}
	s.pages.render(w, r, "plan/task", pd)
	return nil
}

func (s *Server) reportSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ups, closeAll, err := s.heldUploads(r, "files")
	defer closeAll()
	if err != nil {
		return s.renderTask(w, s.keepUploads(r, err, "files"), err)
	}
	if _, err := s.Plans.SubmitReport(r.Context(), actorOf(r), id, r.FormValue("kind"), r.FormValue("text"), ups); err != nil {
		return s.renderTask(w, s.keepUploads(r, err, "files"), err)
	}
	s.releaseUploads(r, "files")
	redirectOK(w, r, "/tasks/"+strconv.FormatInt(id, 10), "reported")
	return nil
}

func (s *Server) reportDecide(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	accept := r.FormValue("decision") == "accept"
	task, _ := strconv.ParseInt(r.FormValue("task"), 10, 64)
	if err := s.Plans.DecideReport(r.Context(), actorOf(r), id, accept, r.FormValue("reason")); err != nil {
		if task != 0 {
			r.SetPathValue("id", strconv.FormatInt(task, 10))
			return s.renderTask(w, r, err)
		}
		return err
	}
	flash := "accepted"
	if !accept {
		flash = "returned"
	}
	redirectOK(w, r, "/tasks/"+strconv.FormatInt(task, 10), flash)
	return nil
}

func (s *Server) attachmentDownload(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	x, err := s.Plans.GetAttachment(r.Context(), actorOf(r), id)
	if err != nil {
		return err
	}
	return s.sendFile(w, x.SHA256, x.Name)
}
