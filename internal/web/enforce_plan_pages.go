package web

import (
	"net/http"
	"strconv"

	"anwei/internal/apperr"
	"anwei/internal/enforce"
	"anwei/internal/org"
)

// inspPlanView is the plan page's data: the plan (zero when new) and what the
// actor may do with it.
type inspPlanView struct {
	P          enforce.Plan
	MayEdit    bool
	MayApprove bool
	MayPublish bool
}

func (s *Server) renderInspPlan(w http.ResponseWriter, r *http.Request, p enforce.Plan, ferr error) error {
	a := actorOf(r)
	own := a.Unit.ID == p.UnitID || p.ID == 0
	v := inspPlanView{P: p, MayEdit: own && p.State != enforce.Approved && p.State != enforce.Published && a.Can(org.PermEnforcePlan),
		MayApprove: own && p.State == enforce.Draft && a.Can(org.PermEnforceApprove),
		MayPublish: own && p.State == enforce.Approved && a.Can(org.PermEnforcePlan)}
	title := "年度监督检查计划"
	if p.ID != 0 {
		title = p.Unit + " " + strconv.Itoa(p.Year) + " 年度监督检查计划"
	}
	pd := pageData{Title: title, Actor: a, Flash: flashOf(r), Data: v}
	if ferr != nil {
		return s.formErr(w, r, "enforce/plan", pd, ferr)
	}
	s.pages.render(w, r, "enforce/plan", pd)
	return nil
}

// inspPlanNewPage offers the form for a year's plan (the draft of that year
// when there is one).
func (s *Server) inspPlanNewPage(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(org.PermEnforcePlan); err != nil {
		return err
	}
	year := s.yearOf(r)
	ps, err := s.Enforce.ListPlans(r.Context(), a, enforce.PlanFilter{Year: year})
	if err != nil {
		return err
	}
	for _, p := range ps {
		if p.UnitID == a.Unit.ID {
			http.Redirect(w, r, "/enforce/plans/"+strconv.FormatInt(p.ID, 10), http.StatusSeeOther)
			return nil
		}
	}
	return s.renderInspPlan(w, r, enforce.Plan{PlanInput: enforce.PlanInput{Year: year, TeamSize: 2, DaysPerInspection: 1.5, SamplePercent: 10,
		FirstMonth: 1}}, nil)
}

// inspPlanSave drafts the plan or changes its draft.
func (s *Server) inspPlanSave(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	a := actorOf(r)
	in, c := inspPlanInput(r)
	var id int64
	var err error
	if len(c) > 0 {
		err = merged(c, in.Check())
	} else {
		id, err = s.Enforce.SavePlan(r.Context(), a, in)
	}
	if err != nil {
		p := enforce.Plan{PlanInput: in}
		if pid, _ := strconv.ParseInt(r.PostForm.Get("id"), 10, 64); pid != 0 {
			if got, gerr := s.Enforce.GetPlan(r.Context(), a, pid); gerr == nil {
				p = got
			}
		}
		return s.renderInspPlan(w, r, p, err)
	}
	redirectOK(w, r, "/enforce/plans/"+strconv.FormatInt(id, 10), "saved")
	return nil
}

func (s *Server) inspPlanShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.Enforce.GetPlan(r.Context(), actorOf(r), id)
	if err != nil {
		return err
	}
	return s.renderInspPlan(w, r, p, nil)
}

// inspPlanStep approves or publishes a plan (the step in the path).
func (s *Server) inspPlanStep(step string) pageFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		a := actorOf(r)
		flash := "approved"
		if step == "approve" {
			err = s.Enforce.ApprovePlan(r.Context(), a, id, r.PostFormValue("version"))
		} else {
			err, flash = s.Enforce.PublishPlan(r.Context(), a, id), "published"
		}
		if err != nil {
			if e := apperr.As(err); e.Code == apperr.Conflict || e.Code == apperr.Forbidden {
				p, gerr := s.Enforce.GetPlan(r.Context(), a, id)
				if gerr != nil {
					return gerr
				}
				return s.renderInspPlan(w, r, p, apperr.New(apperr.Conflict, e.Message))
			}
			return err
		}
		redirectOK(w, r, "/enforce/plans/"+strconv.FormatInt(id, 10), flash)
		return nil
	}
}
