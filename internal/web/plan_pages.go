package web

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"anwei/internal/apperr"
	"anwei/internal/org"
	"anwei/internal/paging"
	"anwei/internal/plan"
)

func (s *Server) plansPage(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	ps, total, err := s.Plans.ListPlans(r.Context(), a, pageOf(r, listSize))
	if err != nil {
		return err
	}
	s.pages.render(w, r, "plan/list", pageData{Title: "工作要点", Actor: a, Flash: flashOf(r),
		Data: map[string]any{"Plans": ps, "Pager": newPager(r, listSize, total)}})
	return nil
}

// reviewData is the review page: the parse and every printed name's units.
type reviewData struct {
	Text       string
	JSON       string // the parse under review, carried by the form
	Parsed     *plan.Parsed
	Matches    []plan.Match
	Candidates []plan.Candidate
	Chosen     map[string][]int64
	Cadence    plan.Cadence // the reporting cadence chosen for items without dates
	Cadences   any
	MaxDays    int
	Splits     string // the names the office split on this review, JSON (remembered at the import)
}

// Suspect is why a printed name wants the office's eye ("" when none).
func (reviewData) Suspect(m plan.Match) string { return plan.Suspect(m) }

// Picked reports whether unit id is chosen for printed name n.
func (d reviewData) Picked(n string, id int64) bool {
	for _, x := range d.Chosen[n] {
		if x == id {
			return true
		}
	}
	return false
}

func (s *Server) renderReview(w http.ResponseWriter, r *http.Request, text string, p *plan.Parsed, chosen map[string][]int64, splits map[string][]string, ferr error) error {
	a := actorOf(r)
	ms, cands, err := s.Plans.Review(r.Context(), a, p)
	if err != nil {
		return err
	}
	proposed := plan.Proposed(ms)
	if chosen == nil {
		chosen = proposed
	}
	for n, ids := range proposed {
		if _, ok := chosen[n]; !ok {
			chosen[n] = ids // a name the office typed on this round
		}
	}
	js, err := json.Marshal(p)
	if err != nil {
		return err
	}
	cad := plan.DefaultCadence
	if r.PostForm.Has("cadence") {
		cad, _ = cadenceForm(r)
	}
	sp, err := json.Marshal(splits)
	if err != nil {
		return err
	}
	d := pageData{Title: "核对工作要点", Actor: a, Data: reviewData{Text: text, JSON: string(js), Parsed: p, Matches: ms, Candidates: cands, Chosen: chosen,
		Cadence: cad, Cadences: plan.Cadences, MaxDays: plan.MaxCadenceDays, Splits: string(sp)}}
	if ferr != nil {
		return s.formErr(w, r, "plan/review", d, ferr)
	}
	s.pages.render(w, r, "plan/review", d)
	return nil
}

func (s *Server) planReview(w http.ResponseWriter, r *http.Request) error {
	if err := actorOf(r).Require(org.PermPlanImport); err != nil {
		return err
	}
	var c apperr.Checks // every field at once (issue 16.2)
	text, err := uploadedText(r)
	if err := c.Take(err); err != nil {
		return err
	}
	if y := strings.TrimSpace(r.FormValue("year")); y != "" {
		n, err := strconv.Atoi(y)
		c.If(err != nil || n < 2000 || n > 2100, "year", "计划年度「"+y+"」应为四位年份，如 2026")
	}
	if err := c.Err(); err != nil {
		if text != "" { // a file that read is kept as its text, not lost
			r.PostForm.Set("text", text)
		}
		return s.formErrPlans(w, r, err)
	}
	p, err := parseText(text, r.FormValue("year"))
	if err != nil {
		return s.formErrPlans(w, r, err)
	}
	return s.renderReview(w, r, text, p, nil, nil, nil)
}

// formErrPlans shows the plan list again with the upload's mistake.
func (s *Server) formErrPlans(w http.ResponseWriter, r *http.Request, err error) error {
	a := actorOf(r)
	ps, total, lerr := s.Plans.ListPlans(r.Context(), a, paging.Page{Limit: listSize})
	if lerr != nil {
		return lerr
	}
	return s.formErr(w, r, "plan/list", pageData{Title: "工作要点", Actor: a,
		Data: map[string]any{"Plans": ps, "Pager": newPager(r, listSize, total)}}, err)
}

func (s *Server) planImport(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return apperr.New(apperr.Invalid, "表单无效")
	}
	text := r.PostForm.Get("text")
	p, perr := reviewedParse(r.PostForm)
	if p == nil {
		return perr
	}
	chosen := map[string][]int64{}
	// Names the office split on an earlier round, and on this one: each is
	// put in its place by the names it splits into, which are then matched
	// (the page is shown again), and remembered with their units.
	splits := map[string][]string{}
	if js := r.PostForm.Get("splits"); js != "" && js != "null" {
		if err := json.Unmarshal([]byte(js), &splits); err != nil {
			return apperr.New(apperr.Invalid, "表单无效: 拆分记录无法读取")
		}
	}
	split := false
	for i := 0; ; i++ {
		name := r.PostForm.Get("name_" + strconv.Itoa(i))
		if name == "" {
			break
		}
		if parts := plan.SplitNames(r.PostForm.Get("split_" + strconv.Itoa(i))); len(parts) > 0 && !(len(parts) == 1 && parts[0] == name) {
			plan.Split(p, name, parts)
			splits[name], split = parts, true
			continue
		}
		for _, v := range r.PostForm["units_"+strconv.Itoa(i)] {
			if id, err := strconv.ParseInt(v, 10, 64); err == nil {
				chosen[name] = append(chosen[name], id)
			}
		}
		if r.PostForm.Get("create_"+strconv.Itoa(i)) == "1" && len(chosen[name]) == 0 {
			u, err := s.Plans.CreateUnitFor(r.Context(), actorOf(r), name)
			if err != nil {
				return s.renderReview(w, r, text, p, chosen, splits, err)
			}
			chosen[name] = []int64{u.ID}
		}
	}
	if perr != nil || split || r.PostForm.Get("action") == "recheck" {
		return s.renderReview(w, r, text, p, chosen, splits, perr)
	}
	cad, err := cadenceForm(r)
	if err != nil {
		return s.renderReview(w, r, text, p, chosen, splits, err)
	}
	sum, err := s.Plans.Import(r.Context(), actorOf(r), plan.ImportInput{Parsed: p, Resolved: chosen, SourceHash: plan.Hash(text), Cadence: cad,
		Splits: splits})
	if err != nil {
		return s.renderReview(w, r, text, p, chosen, splits, err)
	}
	redirectOK(w, r, "/plans/"+strconv.FormatInt(sum.PlanID, 10), "created")
	return nil
}

func (s *Server) planPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return s.renderPlan(w, r, id, nil, nil)
}

// renderPlan shows a plan's task division; res is a progress import's
// outcome and ferr its mistake.
func (s *Server) renderPlan(w http.ResponseWriter, r *http.Request, id int64, res *plan.ProgressImport, ferr error) error {
	a := actorOf(r)
	p, err := s.Plans.GetPlan(r.Context(), a, id)
	if err != nil {
		return err
	}
	ds, err := s.allDuties(r.Context(), a, id)
	if err != nil {
		return err
	}
	d := pageData{Title: p.Title, Actor: a, Flash: flashOf(r),
		Data: map[string]any{"Plan": p, "Rows": groupDuties(ds), "Total": len(ds), "Import": res,
			"MaySetCadence": p.MaySetCadence(a), "Cadences": plan.Cadences, "MaxDays": plan.MaxCadenceDays}}
	if ferr != nil {
		return s.formErr(w, r, "plan/detail", d, ferr)
	}
	s.pages.render(w, r, "plan/detail", d)
	return nil
}

// planCadence sets the plan's reporting cadence from the plan page's form.
func (s *Server) planCadence(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	c, err := cadenceForm(r)
	if err == nil {
		err = s.Plans.SetCadence(r.Context(), actorOf(r), id, c)
	}
	if err != nil {
		return s.renderPlan(w, r, id, nil, err)
	}
	redirectOK(w, r, "/plans/"+strconv.FormatInt(id, 10), "saved")
	return nil
}

func (s *Server) tasksPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderTasks(w, r, nil)
}

// renderTasks shows the unit's dated duties (filtered by ?status=) and its
// assignments; ferr is a completion form's mistake.
func (s *Server) renderTasks(w http.ResponseWriter, r *http.Request, ferr error) error {
	a, status := actorOf(r), r.URL.Query().Get("status")
	is, itotal, err := s.Plans.ListInstances(r.Context(), a, plan.InstanceFilter{UnitID: a.Unit.ID, Status: status, Sort: sortOf(r), Page: paging.Page{Limit: 200}})
	if err != nil {
		return err
	}
	as, total, err := s.Plans.ListDuties(r.Context(), a, plan.DutyFilter{UnitID: a.Unit.ID, Page: pageOf(r, 50)})
	if err != nil {
		return err
	}
	d := pageData{Title: "我的任务", Actor: a, Flash: flashOf(r), Data: map[string]any{"Rows": as, "Pager": newPager(r, 50, total),
		"Instances": is, "InstanceTotal": itotal, "Status": status}}
	if ferr != nil {
		return s.formErr(w, r, "plan/tasks", d, ferr)
	}
	s.pages.render(w, r, "plan/tasks", d)
	return nil
}

func (s *Server) instanceComplete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.Plans.CompleteInstance(r.Context(), actorOf(r), id, r.FormValue("evidence")); err != nil {
		return s.renderTasks(w, r, err)
	}
	redirectOK(w, r, "/tasks", "done")
	return nil
}

// planImportTemplate is a 工作要点 to fill in, in the shape the import reads
// (plan.Template), as UTF-8 text (issue 16.4: every import page offers its
// template).
func (s *Server) planImportTemplate(w http.ResponseWriter, r *http.Request) error {
	if err := actorOf(r).Require(org.PermPlanImport); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape("工作要点导入模板.txt"))
	_, err := io.WriteString(w, plan.Template)
	return err
}
