package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"

	"anwei/internal/apperr"
	"anwei/internal/enterprise"
)

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
	js, _ := json.MarshalIndent(rule, "", "  ")
	pd := pageData{Title: "监管职责与分级规则", Actor: a, Flash: flashOf(r), Data: map[string]any{"Rules": rs, "Categories": enterprise.Categories,
		"Rule": rule, "RuleJSON": string(js), "RuleForm": url.Values(nil), "DeptName": "",
		"Grades": classGrades, "StdLevels": enterprise.StdLevels, "Steps": classSteps, "ClassRows": classRows}}
	if ferr != nil {
		dept, _ := strconv.ParseInt(r.PostFormValue("dept_id"), 10, 64)
		pd.Data.(map[string]any)["DeptName"] = s.unitName(r, dept)
		if r.URL.Path == "/enterprises/class-rule" { // the class rule form shows what was typed only when it was the one sent
			pd.Data.(map[string]any)["RuleForm"] = r.PostForm
		}
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
	rule, err := classRuleForm(r.PostForm)
	if r.PostForm.Has("rule") { // the rule as JSON, as before the form
		rule, err = enterprise.ClassRule{}, nil
		if err := json.Unmarshal([]byte(r.PostForm.Get("rule")), &rule); err != nil {
			return s.renderDuties(w, r, apperr.Field("rule", "规则不是有效的 JSON: "+err.Error()))
		}
		err = checkJSON([]byte(r.PostForm.Get("rule")), &rule)
	}
	if err != nil {
		return s.renderDuties(w, r, err)
	}
	if _, err := s.Ents.SetClassRule(r.Context(), actorOf(r), rule); err != nil {
		return s.renderDuties(w, r, err)
	}
	redirectOK(w, r, "/enterprises/duties", "saved")
	return nil
}
