package web

import (
	"net/http"
	"strconv"

	"anwei/internal/apperr"
	"anwei/internal/org"
	"anwei/internal/plan"
)

func (s *Server) apiPlans(_ http.ResponseWriter, r *http.Request) (any, error) {
	p := apiPage(r)
	ps, n, err := s.Plans.ListPlans(r.Context(), actorOf(r), p)
	return newList(ps, n, p), err
}

func (s *Server) apiPlan(_ http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.Plans.GetPlan(r.Context(), actorOf(r), id)
}

// apiPlanUpdate sets the plan's reporting cadence; the body may be the
// plan as GET answers it (its other fields are read-only).
func (s *Server) apiPlanUpdate(_ http.ResponseWriter, r *http.Request) (any, error) {
	id, in, err := idBodyOf[plan.Cadence, plan.PlanRow](r)
	if err != nil {
		return nil, err
	}
	if err := s.Plans.SetCadence(r.Context(), actorOf(r), id, in); err != nil {
		return nil, err
	}
	return s.Plans.GetPlan(r.Context(), actorOf(r), id)
}

func (s *Server) apiDuties(_ http.ResponseWriter, r *http.Request) (any, error) {
	p, q := apiPage(r), r.URL.Query()
	planID, _ := strconv.ParseInt(q.Get("plan_id"), 10, 64)
	unitID, _ := strconv.ParseInt(q.Get("unit_id"), 10, 64)
	ds, n, err := s.Plans.ListDuties(r.Context(), actorOf(r), plan.DutyFilter{PlanID: planID, UnitID: unitID, Page: p})
	return newList(ds, n, p), err
}

// parseBody is the body of POST /plans/parse.
type parseBody struct {
	Text string `json:"text"`
	Year int    `json:"year"`
}

func (s *Server) apiPlanParse(_ http.ResponseWriter, r *http.Request) (any, error) {
	return parsedBody(r)
}

// parsedBody parses the plan text a request's body carries.
func parsedBody(r *http.Request) (*plan.Parsed, error) {
	in, err := body[parseBody](r)
	if err != nil {
		return nil, err
	}
	p, err := plan.Parse(in.Text, in.Year)
	if err != nil {
		return nil, apperr.Field("text", err.Error())
	}
	return p, nil
}

// reviewedPlan is a parse with each printed name's units as the review
// page shows them, and why a name wants a look (suspect).
type reviewedPlan struct {
	Parsed *plan.Parsed   `json:"parsed"`
	Names  []reviewedName `json:"names"`
}

type reviewedName struct {
	plan.Match
	Suspect string `json:"suspect,omitempty"`
}

func (s *Server) apiPlanReview(_ http.ResponseWriter, r *http.Request) (any, error) {
	p, err := parsedBody(r)
	if err != nil {
		return nil, err
	}
	ms, _, err := s.Plans.Review(r.Context(), actorOf(r), p)
	if err != nil {
		return nil, err
	}
	out := reviewedPlan{Parsed: p, Names: []reviewedName{}}
	for _, m := range ms {
		out.Names = append(out.Names, reviewedName{Match: m, Suspect: plan.Suspect(m)})
	}
	return out, nil
}

func (s *Server) apiAssignments(_ http.ResponseWriter, r *http.Request) (any, error) {
	p, q := apiPage(r), r.URL.Query()
	planID, _ := strconv.ParseInt(q.Get("plan_id"), 10, 64)
	unitID, _ := strconv.ParseInt(q.Get("unit_id"), 10, 64)
	as, n, err := s.Plans.ListAssignments(r.Context(), actorOf(r), plan.AssignmentFilter{PlanID: planID, UnitID: unitID, Page: p})
	return newList(as, n, p), err
}

func (s *Server) apiInstances(_ http.ResponseWriter, r *http.Request) (any, error) {
	p, q := apiPage(r), r.URL.Query()
	planID, _ := strconv.ParseInt(q.Get("plan_id"), 10, 64)
	unitID, _ := strconv.ParseInt(q.Get("unit_id"), 10, 64)
	is, n, err := s.Plans.ListInstances(r.Context(), actorOf(r), plan.InstanceFilter{PlanID: planID, UnitID: unitID, Status: q.Get("status"), Sort: sortOf(r), Page: p})
	return newList(is, n, p), err
}

// evidenceBody is the body of POST /instances/{id}/complete.
type evidenceBody struct {
	Evidence string `json:"evidence"`
}

func (s *Server) apiInstanceComplete(_ http.ResponseWriter, r *http.Request) (any, error) {
	id, in, err := idBody[evidenceBody](r)
	if err != nil {
		return nil, err
	}
	return done(s.Plans.CompleteInstance(r.Context(), actorOf(r), id, in.Evidence))
}

func (s *Server) apiTask(_ http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.Plans.GetTask(r.Context(), actorOf(r), id)
}

func (s *Server) apiReports(_ http.ResponseWriter, r *http.Request) (any, error) {
	p, q := apiPage(r), r.URL.Query()
	num := func(k string) int64 { n, _ := strconv.ParseInt(q.Get(k), 10, 64); return n }
	rs, n, err := s.Plans.ListReports(r.Context(), actorOf(r), plan.ReportFilter{PlanID: num("plan_id"), TaskID: num("task_id"),
		UnitID: num("unit_id"), Kind: q.Get("kind"), Status: q.Get("status"), Page: p})
	return newList(rs, n, p), err
}

// reportBody is the body of POST /tasks/{id}/reports (attachments through the page form).
type reportBody struct {
	Kind string `json:"kind"` // progress | consolidated
	Text string `json:"text"`
}

func (s *Server) apiReportSubmit(_ http.ResponseWriter, r *http.Request) (any, error) {
	id, in, err := idBody[reportBody](r)
	if err != nil {
		return nil, err
	}
	rid, err := s.Plans.SubmitReport(r.Context(), actorOf(r), id, in.Kind, in.Text, nil)
	return created{rid}, err
}

// decisionBody is the body of POST /reports/{id}/decision.
type decisionBody struct {
	Accept bool   `json:"accept"`
	Reason string `json:"reason"`
}

func (s *Server) apiReportDecide(_ http.ResponseWriter, r *http.Request) (any, error) {
	id, in, err := idBody[decisionBody](r)
	if err != nil {
		return nil, err
	}
	return done(s.Plans.DecideReport(r.Context(), actorOf(r), id, in.Accept, in.Reason))
}

// apiProgressImport imports the request body (streamed to a temporary file).
func (s *Server) apiProgressImport(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	if err := actorOf(r).Require(org.PermPlanReport); err != nil {
		return nil, err
	}
	name := r.URL.Query().Get("name")
	if name == "" {
		name = "sheet.xlsx"
	}
	f, remove, err := spool(name, http.MaxBytesReader(w, r.Body, maxSheetUpload+1))
	if err != nil {
		return nil, err
	}
	defer remove()
	return s.Plans.ImportProgress(r.Context(), actorOf(r), id, f)
}

func (s *Server) apiPlanFigures(_ http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.Plans.PlanFigures(r.Context(), actorOf(r), id)
}

func (s *Server) apiScorecard(_ http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	year, err := strconv.Atoi(r.URL.Query().Get("year"))
	if err != nil {
		return nil, apperr.Field("year", "请给出年度 (?year=2026)")
	}
	return s.Plans.UnitScorecard(r.Context(), actorOf(r), id, year)
}

// apiRanking is the year's unit ranking (year absent: this year's).
func (s *Server) apiRanking(_ http.ResponseWriter, r *http.Request) (any, error) {
	year, _ := strconv.Atoi(r.URL.Query().Get("year"))
	return s.Plans.Ranking(r.Context(), actorOf(r), year)
}
