package web

import (
	"context"
	"encoding/json"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"anwei/internal/apperr"
	"anwei/internal/enterprise"
	"anwei/internal/org"
	"anwei/internal/risk"
	"anwei/internal/rules"
)

// colourChart is the four-colour distribution as ECharts takes it.
type colourChart struct {
	Names  []string `json:"names"`
	Red    []int    `json:"red"`
	Orange []int    `json:"orange"`
	Yellow []int    `json:"yellow"`
	Blue   []int    `json:"blue"`
}

func colourJSON(shares []risk.Share) (template.JS, error) {
	c := colourChart{Names: []string{}, Red: []int{}, Orange: []int{}, Yellow: []int{}, Blue: []int{}}
	for _, s := range shares {
		c.Names = append(c.Names, s.Name)
		c.Red, c.Orange, c.Yellow, c.Blue = append(c.Red, s.Red), append(c.Orange, s.Orange), append(c.Yellow, s.Yellow), append(c.Blue, s.Blue)
	}
	b, err := json.Marshal(c)
	return template.JS(b), err
}

func (s *Server) risksPage(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	q := r.URL.Query()
	ent, _ := strconv.ParseInt(q.Get("enterprise"), 10, 64)
	ent = enterprise.Subject(a, ent)
	ps, total, err := s.Risks.List(r.Context(), a, risk.Filter{EnterpriseID: ent, Colour: q.Get("colour"), Region: q.Get("region"), Sort: sortOf(r), Page: pageOf(r, listSize)})
	if err != nil {
		return err
	}
	shares, err := s.Risks.CountColours(r.Context(), a, ent)
	if err != nil {
		return err
	}
	chart, err := colourJSON(shares)
	if err != nil {
		return err
	}
	sc, err := s.Risks.SchemeOf(r.Context(), a)
	if err != nil {
		return err
	}
	var streets []risk.Street
	if ent == 0 {
		if streets, err = s.Risks.ByStreet(r.Context(), a); err != nil {
			return err
		}
	}
	d := map[string]any{"Rows": ps, "Pager": newPager(r, listSize, total), "Q": q, "Shares": shares, "Chart": chart, "Scheme": sc.Scheme,
		"SchemeWhere": sc.SetAt, "Enterprise": ent, "Total": total, "Streets": streets}
	pd := pageData{Title: "风险分级管控", Actor: a, Flash: flashOf(r), Data: d}
	if ferr, _ := r.Context().Value(schemeErrKey{}).(error); ferr != nil { // the scheme form came back (riskSchemeSet)
		return s.formErr(w, r, "risk/list", pd, ferr)
	}
	s.pages.render(w, r, "risk/list", pd)
	return nil
}

// riskForm is the data of the risk point form (new and re-assess).
type riskForm struct {
	P          risk.Point
	Enterprise enterprise.Enterprise
	Scheme     risk.Scheme
	Factors    map[string][]rules.Factor
	History    []risk.Assessment
	Phone      string
}

// Types are the GB 6441 accident types.
func (riskForm) Types() []string { return risk.AccidentTypes }

// Levels are the control levels.
func (riskForm) Levels() any { return risk.ControlLevels }

// Has reports whether the point's accident types include t.
func (f riskForm) Has(t string) bool {
	for _, x := range strings.Split(f.P.Accidents, "、") {
		if x == t {
			return true
		}
	}
	return false
}

func (s *Server) renderRisk(w http.ResponseWriter, r *http.Request, page string, p risk.Point, ferr error) error {
	a := actorOf(r)
	d := riskForm{P: p}
	var err error
	if p.ID != 0 {
		if d.History, err = s.Risks.ListAssessments(r.Context(), a, p.ID); err != nil {
			return err
		}
	}
	if d.Enterprise, err = s.Ents.Get(r.Context(), a, p.UnitID); err != nil {
		return err
	}
	d.Phone = d.Enterprise.SafetyPhone
	if d.Scheme, _, err = s.Risks.SchemeFor(r.Context(), d.Enterprise.RegionCode); err != nil {
		return err
	}
	if d.Factors, err = rules.LECFactors(); err != nil {
		return err
	}
	title := "新增风险点"
	if p.ID != 0 {
		title = "风险点: " + p.Name
	}
	pd := pageData{Title: title, Actor: a, Flash: flashOf(r), Data: d}
	if ferr != nil {
		return s.formErr(w, r, page, pd, ferr)
	}
	s.pages.render(w, r, page, pd)
	return nil
}

func (s *Server) riskNewPage(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	if err := a.Require(org.PermRiskWrite); err != nil {
		return err
	}
	id, _ := strconv.ParseInt(r.FormValue("enterprise"), 10, 64)
	if id = enterprise.Subject(a, id); id == 0 {
		return apperr.New(apperr.Invalid, "请从企业档案的「风险」页新增风险点")
	}
	return s.renderRisk(w, r, "risk/form", risk.Point{UnitID: id}, nil)
}

func (s *Server) riskCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	in := riskInput(r)
	in.EnterpriseID, _ = strconv.ParseInt(r.PostForm.Get("enterprise"), 10, 64)
	p, err := s.Risks.Create(r.Context(), actorOf(r), in)
	if err != nil {
		return s.renderRisk(w, r, "risk/form", risk.Point{UnitID: in.EnterpriseID}, err)
	}
	redirectOK(w, r, "/risks/"+strconv.FormatInt(p.ID, 10), "created")
	return nil
}

func (s *Server) riskPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.Risks.Get(r.Context(), actorOf(r), id)
	if err != nil {
		return err
	}
	return s.renderRisk(w, r, "risk/detail", p, nil)
}

func (s *Server) riskReassess(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	a := actorOf(r)
	if _, err := s.Risks.Reassess(r.Context(), a, id, riskInput(r)); err != nil {
		p, gerr := s.Risks.Get(r.Context(), a, id)
		if gerr != nil {
			return gerr
		}
		return s.renderRisk(w, r, "risk/detail", p, err)
	}
	redirectOK(w, r, "/risks/"+strconv.FormatInt(id, 10), "saved")
	return nil
}

func (s *Server) riskCard(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	a := actorOf(r)
	p, err := s.Risks.Get(r.Context(), a, id)
	if err != nil {
		return err
	}
	e, err := s.Ents.Get(r.Context(), a, p.UnitID)
	if err != nil {
		return err
	}
	b, err := p.Card(e.SafetyPhone).PDF()
	return sendPDF(w, "风险告知卡-"+p.Name+".pdf", b, err)
}

// schemeErrKey carries the scheme form's mistake to the list page that shows it.
type schemeErrKey struct{}

func (s *Server) riskSchemeSet(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	sc, c := schemeInput(r)
	err := c.Err()
	if err == nil {
		err = s.Risks.SetScheme(r.Context(), actorOf(r), sc)
	}
	if err != nil {
		// The list page again, the scheme form keeping what was typed with each fault next to its field.
		return s.risksPage(w, r.WithContext(context.WithValue(r.Context(), schemeErrKey{}, err)))
	}
	redirectOK(w, r, "/risks", "saved")
	return nil
}
