package web

import (
	"context"
	"fmt"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"anwei/internal/apperr"
	"anwei/internal/enforce"
	"anwei/internal/org"
	"anwei/internal/rules"
)

// casesView is the list of 行政处罚案件 with the forms that open one.
type casesView struct {
	Cases      []enforce.PenaltyCase
	Filter     enforce.CaseFilter
	States     []enforceChoice
	MayOpen    bool // a department's officer: 立案 from a tip or an accident, 当场处罚
	Violations []rules.Violation
	Officers   []enforce.Officer
	Overdue    int // in all, not only on this page
	Pager      pager
	Drill      string // the figure the list was opened from, in words
}

// enforceChoice is a coded value for a filter.
type enforceChoice struct{ Key, Name string }

func (s *Server) renderCases(w http.ResponseWriter, r *http.Request, ferr error) error {
	a := actorOf(r)
	f := caseFilterOf(r)
	f.Page = pageOf(r, listSize)
	list, total, err := s.Enforce.Cases(r.Context(), a, f)
	if err != nil {
		return err
	}
	v := casesView{Cases: list, Filter: f, MayOpen: a.Unit.Kind == org.KindDepartment && a.Can(org.PermEnforcePenalty), Pager: newPager(r, listSize, total)}
	var drill []string
	if f.Year != 0 {
		drill = append(drill, strconv.Itoa(f.Year)+"年立案")
	}
	if f.Article != 0 {
		drill = append(drill, rules.ArticleName(f.Article))
	}
	if f.Unit != 0 && len(list) > 0 {
		drill = append(drill, list[0].Unit)
	}
	v.Drill = strings.Join(drill, " · ")
	for _, c := range enforce.CaseStates {
		v.States = append(v.States, enforceChoice{c.Key, c.Name})
	}
	if v.Overdue, err = s.Enforce.OverdueCases(r.Context(), a); err != nil {
		return err
	}
	if v.MayOpen {
		if v.Violations, err = rules.Violations(); err != nil {
			return err
		}
		if v.Officers, err = s.Enforce.ListOfficers(r.Context(), a); err != nil {
			return err
		}
	}
	pd := pageData{Title: "行政处罚案件", Actor: a, Flash: flashOf(r), Data: v}
	if ferr != nil {
		return s.formErr(w, r, "enforce/cases", pd, ferr)
	}
	s.pages.render(w, r, "enforce/cases", pd)
	return nil
}

func (s *Server) casesPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderCases(w, r, nil)
}

// caseLedger sends the 行政处罚台账 of the list's filters.
func (s *Server) caseLedger(w http.ResponseWriter, r *http.Request) error {
	sh, err := s.Enforce.CaseLedger(r.Context(), actorOf(r), caseFilterOf(r))
	if err != nil {
		return err
	}
	return sendXLSX(w, "行政处罚台账.xlsx", sh)
}

// caseOpen opens a case: from a finding (the inspection page's button) or
// from a tip or an accident (the list's form).
func (s *Server) caseOpen(w http.ResponseWriter, r *http.Request) error {
	f := r.PostForm
	in := enforce.CaseInput{Source: f.Get("source"), SourceRef: f.Get("source_ref"), Violation: f.Get("violation"), Facts: f.Get("facts"),
		Complex: f.Get("complex") == "1", Uncorrected: f.Get("uncorrected") == "1"}
	in.FindingID, _ = strconv.ParseInt(f.Get("finding_id"), 10, 64)
	in.EnterpriseID, _ = strconv.ParseInt(f.Get("enterprise_id"), 10, 64)
	in.Article, _ = strconv.Atoi(f.Get("article"))
	in.Grade, in.MainBlame = f.Get("grade"), f.Get("main_blame") == "1"
	n := numbers{r: r}
	in.Deaths, in.Injuries, in.Loss = n.optInt("deaths", "死亡人数"), n.optInt("injuries", "重伤人数"), n.optFloat("loss", "直接经济损失")
	if err := n.c.Err(); err != nil {
		return s.renderCases(w, r, err)
	}
	for _, v := range f["officers"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			in.Officers = append(in.Officers, id)
		}
	}
	c, err := s.Enforce.OpenCase(r.Context(), actorOf(r), in)
	if err != nil {
		if back, _ := strconv.ParseInt(f.Get("inspection_id"), 10, 64); back != 0 {
			return s.renderInspection(w, r, back, "findings", err)
		}
		return s.renderCases(w, r, err)
	}
	http.Redirect(w, r, fmt.Sprintf("/enforce/cases/%d?ok=case-opened", c.ID), http.StatusSeeOther)
	return nil
}

// caseSpot decides a small fine on the spot.
func (s *Server) caseSpot(w http.ResponseWriter, r *http.Request) error {
	f := r.PostForm
	in := enforce.SpotInput{Violation: f.Get("violation"), Facts: f.Get("facts"), Statement: f.Get("statement")}
	in.EnterpriseID, _ = strconv.ParseInt(f.Get("enterprise_id"), 10, 64)
	in.FindingID, _ = strconv.ParseInt(f.Get("finding_id"), 10, 64)
	in.Fine, _ = strconv.ParseFloat(f.Get("fine"), 64)
	for _, v := range f["officers"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			in.Officers = append(in.Officers, id)
		}
	}
	c, err := s.Enforce.OnTheSpot(r.Context(), actorOf(r), in)
	if err != nil {
		return s.renderCases(w, r, err)
	}
	http.Redirect(w, r, fmt.Sprintf("/enforce/cases/%d?ok=case-decided", c.ID), http.StatusSeeOther)
	return nil
}

// caseView is a case's page.
type caseView struct {
	D          enforce.CaseDetail
	Which      string // the form an error came back with
	Officer    bool   // of the deciding department, handling cases
	Head       bool   // of the deciding department, deciding (not an investigator)
	Party      bool
	Users      []enforce.Officer // chairs for a hearing
	ServeWays  []enforceChoice
	StepsTotal int
}

func (s *Server) renderCase(w http.ResponseWriter, r *http.Request, id int64, which string, ferr error) error {
	a := actorOf(r)
	d, err := s.Enforce.GetCase(r.Context(), a, id)
	if err != nil {
		return err
	}
	own := a.Unit.Kind == org.KindDepartment && a.Unit.ID == d.UnitID
	v := caseView{D: d, Which: which, Officer: own && a.Can(org.PermEnforcePenalty), Head: own && a.Can(org.PermEnforceApprove) && !d.Mine,
		Party: a.Unit.Kind == org.KindEnterprise}
	for _, c := range enforce.ServeWays {
		v.ServeWays = append(v.ServeWays, enforceChoice{c.Key, c.Name})
	}
	if v.Officer && d.State == enforce.CaseHearing {
		all, err := s.Enforce.ListOfficers(r.Context(), a)
		if err != nil {
			return err
		}
		for _, o := range all { // the chair did not investigate (Art. 64 (四))
			if o.Active && !slices.Contains(d.Officers, o.UserID) {
				v.Users = append(v.Users, o)
			}
		}
	}
	pd := pageData{Title: "行政处罚案件 · " + d.Enterprise, Actor: a, Flash: flashOf(r), Data: v}
	if ferr != nil {
		return s.formErr(w, r, "enforce/case", pd, ferr)
	}
	s.pages.render(w, r, "enforce/case", pd)
	return nil
}

func (s *Server) casePage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return s.renderCase(w, r, id, "", nil)
}

// caseBodyOf reads a step's form.
func caseBodyOf(r *http.Request) caseStepBody {
	f := r.PostForm
	num := func(k string) float64 { v, _ := strconv.ParseFloat(strings.TrimSpace(f.Get(k)), 64); return v }
	b := caseStepBody{Kind: f.Get("kind"), Note: f.Get("note"), Text: f.Get("text"), Done: f.Get("done") == "1", Tier: f.Get("tier"), Proposed: num("proposed"),
		Income: num("income"), Suspension: f.Get("suspension") == "1", On: f.Get("on"), Time: f.Get("time"), Place: f.Get("place"),
		Reason: f.Get("reason"), Fine: num("fine"), Waive: f.Get("waive") == "1", Signer: f.Get("signer"), How: f.Get("how"),
		Amount: num("amount"), Receipt: f.Get("receipt")}
	b.Chair, _ = strconv.ParseInt(f.Get("chair"), 10, 64)
	return b
}

// caseStepPage runs a step from the case page.
func (s *Server) caseStepPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	name := r.PathValue("step")
	st, ok := caseSteps[name]
	if !ok {
		return apperr.New(apperr.NotFound, "没有这一办案步骤")
	}
	if err := st.run(s, r.Context(), actorOf(r), id, caseBodyOf(r)); err != nil {
		return s.renderCase(w, r, id, name, err)
	}
	http.Redirect(w, r, fmt.Sprintf("/enforce/cases/%d?ok=%s#%s", id, st.flash, name), http.StatusSeeOther)
	return nil
}

// caseEvidence records evidence with its files.
func (s *Server) caseEvidence(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ups, done, err := uploadsOf(r, "files")
	defer done()
	if err == nil {
		err = s.Enforce.AddEvidence(r.Context(), actorOf(r), id, enforce.EvidenceInput{Kind: r.PostForm.Get("kind"), Note: r.PostForm.Get("note"), Files: ups})
	}
	if err != nil {
		return s.renderCase(w, r, id, "evidence", err)
	}
	http.Redirect(w, r, fmt.Sprintf("/enforce/cases/%d?ok=case-saved#evidence", id), http.StatusSeeOther)
	return nil
}

func (s *Server) caseWrit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	wid, err := pathID(r, "wid")
	if err != nil {
		return err
	}
	f, err := s.Enforce.CaseWritForm(r.Context(), actorOf(r), id, wid)
	return sendWrit(w, f, err)
}

// caseFile sends an evidence file as a download (never inline).
func (s *Server) caseFile(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	sid, err := pathID(r, "sid")
	if err != nil {
		return err
	}
	st, f, err := s.Enforce.OpenCaseFile(r.Context(), actorOf(r), id, sid)
	if err != nil {
		return err
	}
	defer f.Close()
	h := w.Header()
	h.Set("Content-Type", "application/octet-stream")
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": st.Name}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", fileCSP)
	http.ServeContent(w, r, "", st.At, f)
	return nil
}

// caseRulesErrKey carries a rejected case-rules form back to its page.
type caseRulesErrKey struct{}

// caseRulesPage shows the region's case rules with the note of each
// figure; the office of a level edits them.
func (s *Server) caseRulesPage(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	c, where, err := s.Enforce.CaseRulesOf(r.Context(), a)
	if err != nil {
		return err
	}
	pd := pageData{Title: "行政处罚案件设置", Actor: a, Flash: flashOf(r), Data: map[string]any{"Rules": c, "Where": where,
		"WhereName": org.OfficialName(where), "Notes": enforce.CaseRuleNotes, "Table": discretionText(c.Discretion), "Grounds": creditGroundsText(c.CreditGrounds)}}
	if ferr, _ := r.Context().Value(caseRulesErrKey{}).(error); ferr != nil {
		return s.formErr(w, r, "enforce/case_rules", pd, ferr)
	}
	s.pages.render(w, r, "enforce/case_rules", pd)
	return nil
}

func (s *Server) caseRulesSet(w http.ResponseWriter, r *http.Request) error {
	f := r.PostForm
	num := func(k string) float64 { v, _ := strconv.ParseFloat(strings.TrimSpace(f.Get(k)), 64); return v }
	in := enforce.CaseRules{HearingUnit: num("hearing_unit"), HearingPerson: num("hearing_person"), StatementDays: int(num("statement_days")),
		ExtensionDays: int(num("extension_days")), ReviewFrom: num("review_from"), CollectiveFrom: num("collective_from"),
		DailyDayBefore: f.Get("daily_day_before") == "1", DrawPublishDays: int(num("draw_publish_days"))}
	rows, err := parseDiscretion(f.Get("discretion"))
	if err == nil {
		in.Discretion = rows
		in.CreditGrounds, err = parseCreditGrounds(f.Get("credit_grounds"))
	}
	if err == nil {
		err = s.Enforce.SetCaseRules(r.Context(), actorOf(r), in)
	}
	if err != nil {
		return s.caseRulesPage(w, r.WithContext(context.WithValue(r.Context(), caseRulesErrKey{}, err)))
	}
	redirectOK(w, r, "/enforce/case-rules", "saved")
	return nil
}

// discretionText writes the 裁量基准 one row a line: 条, 逾期未改正 (是/否),
// 档次, 最低, 最高, 情节.
func discretionText(rows []enforce.DiscretionRow) string {
	var b strings.Builder
	for _, d := range rows {
		fmt.Fprintf(&b, "%d,%s,%s,%.0f,%.0f,%s\n", d.Article, map[bool]string{true: "是", false: "否"}[d.Uncorrected], d.Tier, d.Min, d.Max, d.Circumstance)
	}
	return b.String()
}

// creditGroundsText writes the credit grounds one a line: 名称|条款,条款|
// 最低事故等级|仅逾期未改正 (是/否).
func creditGroundsText(gs []enforce.CreditGround) string {
	var b strings.Builder
	for _, g := range gs {
		arts := make([]string, len(g.Articles))
		for i, a := range g.Articles {
			arts[i] = strconv.Itoa(a)
		}
		fmt.Fprintf(&b, "%s|%s|%s|%s\n", g.Name, strings.Join(arts, ","), g.MinGrade, map[bool]string{true: "是", false: "否"}[g.Uncorrected])
	}
	return b.String()
}

// parseCreditGrounds reads the grounds back, naming the line of a bad one.
func parseCreditGrounds(text string) ([]enforce.CreditGround, error) {
	out := []enforce.CreditGround{}
	for n, line := range strings.Split(strings.ReplaceAll(text, "\r", ""), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		bad := func(what string) error {
			return apperr.Field("credit_grounds", fmt.Sprintf("失信列入情形第 %d 行: %s (格式: 名称|条款,条款|最低事故等级|仅逾期未改正 是/否)", n+1, what))
		}
		f := strings.Split(line, "|")
		if len(f) != 4 {
			return nil, bad("须有四栏")
		}
		g := enforce.CreditGround{Name: strings.TrimSpace(f[0]), MinGrade: strings.TrimSpace(f[2]), Uncorrected: strings.TrimSpace(f[3]) == "是"}
		for _, a := range strings.Split(f[1], ",") {
			art, err := strconv.Atoi(strings.TrimSpace(a))
			if err != nil {
				return nil, bad("条款须为数字，如 114")
			}
			g.Articles = append(g.Articles, art)
		}
		out = append(out, g)
	}
	return out, nil
}

// parseDiscretion reads the table back, naming the line of a bad row.
func parseDiscretion(text string) ([]enforce.DiscretionRow, error) {
	var out []enforce.DiscretionRow
	for n, line := range strings.Split(strings.ReplaceAll(text, "，", ","), "\n") {
		if line = strings.TrimSpace(line); line == "" {
			continue
		}
		f := strings.SplitN(line, ",", 6)
		bad := func(what string) error {
			return apperr.Field("discretion", fmt.Sprintf("裁量基准第 %d 行: %s (格式: 条,逾期未改正 是/否,档次,最低,最高,情节)", n+1, what))
		}
		if len(f) < 5 {
			return nil, bad("栏数不足")
		}
		art, err := strconv.Atoi(strings.TrimSpace(f[0]))
		if err != nil {
			return nil, bad("条款须为数字，如 99")
		}
		lo, err1 := strconv.ParseFloat(strings.TrimSpace(f[3]), 64)
		hi, err2 := strconv.ParseFloat(strings.TrimSpace(f[4]), 64)
		if err1 != nil || err2 != nil {
			return nil, bad("最低、最高须为金额 (元)")
		}
		d := enforce.DiscretionRow{Article: art, Uncorrected: strings.TrimSpace(f[1]) == "是", Tier: strings.TrimSpace(f[2]), Min: lo, Max: hi}
		if len(f) == 6 {
			d.Circumstance = strings.TrimSpace(f[5])
		}
		out = append(out, d)
	}
	return out, nil
}
