package web

import (
	"net/http"
	"strconv"
	"strings"

	"anwei/internal/apperr"
	"anwei/internal/enforce"
	"anwei/internal/enterprise"
)

func (s *Server) apiEnforceOverview(_ http.ResponseWriter, r *http.Request) (any, error) {
	return s.Enforce.Overview(r.Context(), actorOf(r), s.yearOf(r))
}

func (s *Server) apiInspPlans(_ http.ResponseWriter, r *http.Request) (any, error) {
	y, _ := strconv.Atoi(r.URL.Query().Get("year"))
	return s.Enforce.ListPlans(r.Context(), actorOf(r), enforce.PlanFilter{Year: y})
}

func (s *Server) apiInspPlan(_ http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.Enforce.GetPlan(r.Context(), actorOf(r), id)
}

// apiInspPlanSave drafts the department's plan for the body's year, or
// changes its draft, and answers the plan with its figures.
func (s *Server) apiInspPlanSave(_ http.ResponseWriter, r *http.Request) (any, error) {
	in, err := bodyOf[enforce.PlanInput, enforce.Plan](r)
	if err != nil {
		return nil, err
	}
	id, err := s.Enforce.SavePlan(r.Context(), actorOf(r), in)
	if err != nil {
		return nil, err
	}
	return s.Enforce.GetPlan(r.Context(), actorOf(r), id)
}

// approval names the version of the plan the head approves (its GET's
// version): a draft saved since is refused.
type approval struct {
	Version string `json:"version"`
}

func (s *Server) apiInspPlanApprove(_ http.ResponseWriter, r *http.Request) (any, error) {
	id, in, err := idBodyOf[approval, approval](r)
	if err != nil {
		return nil, err
	}
	return done(s.Enforce.ApprovePlan(r.Context(), actorOf(r), id, in.Version))
}

func (s *Server) apiInspPlanPublish(_ http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return done(s.Enforce.PublishPlan(r.Context(), actorOf(r), id))
}

func (s *Server) apiOfficers(_ http.ResponseWriter, r *http.Request) (any, error) {
	return s.Enforce.ListOfficers(r.Context(), actorOf(r))
}

func (s *Server) apiOfficerSet(_ http.ResponseWriter, r *http.Request) (any, error) {
	in, err := bodyOf[enforce.OfficerInput, enforce.Officer](r)
	if err != nil {
		return nil, err
	}
	return done(s.Enforce.SetOfficer(r.Context(), actorOf(r), in))
}

func (s *Server) apiConflictDeclare(_ http.ResponseWriter, r *http.Request) (any, error) {
	id, in, err := idBodyOf[enforce.ConflictInput, enforce.Conflict](r)
	if err != nil {
		return nil, err
	}
	return done(s.Enforce.DeclareConflict(r.Context(), actorOf(r), id, in))
}

func (s *Server) apiDraws(_ http.ResponseWriter, r *http.Request) (any, error) {
	y, _ := strconv.Atoi(r.URL.Query().Get("year"))
	return s.Enforce.ListDraws(r.Context(), actorOf(r), enforce.DrawFilter{Year: y})
}

// apiDrawPreview says how large the 名录库 of a filter are now.
func (s *Server) apiDrawPreview(_ http.ResponseWriter, r *http.Request) (any, error) {
	q := r.URL.Query()
	in := enforce.DrawInput{Category: q.Get("category"), Class: q.Get("class"), Street: q.Get("street"), IncludeKey: q.Get("include_key") == "1"}
	in.ExcludeDays, _ = strconv.Atoi(q.Get("exclude_days"))
	return s.Enforce.PreviewDraw(r.Context(), actorOf(r), in)
}

// apiDrawCommit is step 1: the answer holds the lists' hash and the
// commitment to publish.
func (s *Server) apiDrawCommit(_ http.ResponseWriter, r *http.Request) (any, error) {
	in, err := bodyOf[enforce.DrawInput, enforce.Draw](r)
	if err != nil {
		return nil, err
	}
	id, err := s.Enforce.CommitDraw(r.Context(), actorOf(r), in)
	if err != nil {
		return nil, err
	}
	return s.Enforce.GetDraw(r.Context(), actorOf(r), id)
}

func (s *Server) apiDraw(_ http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.Enforce.GetDraw(r.Context(), actorOf(r), id)
}

func (s *Server) apiDrawRecord(_ http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.Enforce.DrawRecordOf(r.Context(), actorOf(r), id)
}

func (s *Server) apiDrawVerify(_ http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.Enforce.VerifyDraw(r.Context(), actorOf(r), id)
}

// publicValue is steps 2 and 3's body: the public value, once known.
type publicValue struct {
	PublicValue string `json:"public_value"`
}

func (s *Server) apiDrawRun(_ http.ResponseWriter, r *http.Request) (any, error) {
	id, in, err := idBodyOf[publicValue, enforce.Draw](r)
	if err != nil {
		return nil, err
	}
	if err := s.Enforce.RunDraw(r.Context(), actorOf(r), id, in.PublicValue); err != nil {
		return nil, err
	}
	return s.Enforce.GetDraw(r.Context(), actorOf(r), id)
}

func (s *Server) apiDrawRecuse(_ http.ResponseWriter, r *http.Request) (any, error) {
	id, in, err := idBodyOf[enforce.RecusalInput, enforce.Recusal](r)
	if err != nil {
		return nil, err
	}
	return s.Enforce.Recuse(r.Context(), actorOf(r), id, in)
}

func (s *Server) apiInspections(_ http.ResponseWriter, r *http.Request) (any, error) {
	f := inspectionFilter(r)
	f.Page = apiPage(r)
	is, n, err := s.Enforce.ListInspections(r.Context(), actorOf(r), f)
	return newList(is, n, f.Page), err
}

func (s *Server) apiInspectionAdd(_ http.ResponseWriter, r *http.Request) (any, error) {
	in, err := bodyOf[enforce.InspectionInput, enforce.Inspection](r)
	if err != nil {
		return nil, err
	}
	return s.Enforce.AddInspection(r.Context(), actorOf(r), in)
}

// apiChecklist is the checklist of an enterprise of the categories asked
// (comma-separated keys; major=1 when it holds a major-hazard
// installation): pure, the same for everyone.
func (s *Server) apiChecklist(_ http.ResponseWriter, r *http.Request) (any, error) {
	q := r.URL.Query()
	var cats []string
	for _, c := range strings.Split(q.Get("categories"), ",") {
		if c = strings.TrimSpace(c); c != "" {
			if enterprise.CategoryName(c) == "" {
				return nil, apperr.Field("categories", "未知的监管类别「"+c+"」")
			}
			cats = append(cats, c)
		}
	}
	return enforce.Checklist(cats, q.Get("major") == "1")
}

// capsView is the cap table in force for the caller's region.
type capsView struct {
	enforce.CapTable
	SetAt string `json:"set_at"` // the region whose setting applies, "" for the default
}

func (s *Server) apiCaps(_ http.ResponseWriter, r *http.Request) (any, error) {
	t, where, err := s.Enforce.Caps(r.Context(), actorOf(r))
	return capsView{CapTable: t, SetAt: where}, err
}

func (s *Server) apiCapsSet(_ http.ResponseWriter, r *http.Request) (any, error) {
	t, err := bodyOf[enforce.CapTable, capsView](r)
	if err != nil {
		return nil, err
	}
	return done(s.Enforce.SetCaps(r.Context(), actorOf(r), t))
}
