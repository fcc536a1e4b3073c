package web

import (
	"fmt"
	"net/http"
	"strconv"

	"anwei/internal/enforce"
	"anwei/internal/org"
)

// 公示 and the escalations a case raised (issue 25): the department's
// lists, what it publishes or withdraws, and what it does with a flag.

// publicationsView is the department's publication list.
type publicationsView struct {
	List    []enforce.Publication
	Filter  enforce.PublicationFilter
	States  []enforceChoice
	Kinds   []enforceChoice
	Overdue int
	May     bool // the department publishes and withdraws its own
	Pager   pager
}

// publicationFilterOf reads the list's filters.
func publicationFilterOf(r *http.Request) enforce.PublicationFilter {
	q := r.URL.Query()
	f := enforce.PublicationFilter{Kind: q.Get("kind"), State: q.Get("state"), Overdue: q.Get("overdue") == "1"}
	f.Case, _ = strconv.ParseInt(q.Get("case"), 10, 64)
	return f
}

func (s *Server) renderPublications(w http.ResponseWriter, r *http.Request, ferr error) error {
	a := actorOf(r)
	f := publicationFilterOf(r)
	f.Page = pageOf(r, listSize)
	list, total, err := s.Enforce.Publications(r.Context(), a, f)
	if err != nil {
		return err
	}
	v := publicationsView{List: list, Filter: f, May: a.Unit.Kind == org.KindDepartment && a.Can(org.PermEnforcePenalty), Pager: newPager(r, listSize, total)}
	for _, c := range enforce.PublicationStates {
		v.States = append(v.States, enforceChoice{c.Key, c.Name})
	}
	for _, c := range enforce.PublicationKinds {
		v.Kinds = append(v.Kinds, enforceChoice{c.Key, c.Name})
	}
	if v.Overdue, err = s.Enforce.OverduePublications(r.Context(), a); err != nil {
		return err
	}
	pd := pageData{Title: "执法公示", Actor: a, Flash: flashOf(r), Data: v}
	if ferr != nil {
		return s.formErr(w, r, "enforce/publications", pd, ferr)
	}
	s.pages.render(w, r, "enforce/publications", pd)
	return nil
}

func (s *Server) publicationsPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderPublications(w, r, nil)
}

// publicationPublish puts a due record on the public page.
func (s *Server) publicationPublish(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.Enforce.Publish(r.Context(), actorOf(r), id, enforce.PublishInput{Facts: r.PostForm.Get("facts")}); err != nil {
		return s.renderPublications(w, r, err)
	}
	http.Redirect(w, r, fmt.Sprintf("/enforce/publications?ok=pub-published#p%d", id), http.StatusSeeOther)
	return nil
}

// publicationWithdraw takes a published record off with its reason.
func (s *Server) publicationWithdraw(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.Enforce.Withdraw(r.Context(), actorOf(r), id, r.PostForm.Get("reason")); err != nil {
		return s.renderPublications(w, r, err)
	}
	http.Redirect(w, r, fmt.Sprintf("/enforce/publications?ok=pub-withdrawn#p%d", id), http.StatusSeeOther)
	return nil
}

// escalationsView is the list of what cases raised.
type escalationsView struct {
	List   []enforce.Escalation
	Filter enforce.EscalationFilter
	Kinds  []enforceChoice
	States []enforceChoice
	May    bool
	Credit bool // may confirm a listing
	Pager  pager
}

func escalationFilterOf(r *http.Request) enforce.EscalationFilter {
	q := r.URL.Query()
	f := enforce.EscalationFilter{Kind: q.Get("kind"), State: q.Get("state")}
	f.Case, _ = strconv.ParseInt(q.Get("case"), 10, 64)
	f.Enterprise, _ = strconv.ParseInt(q.Get("enterprise"), 10, 64)
	return f
}

func (s *Server) renderEscalations(w http.ResponseWriter, r *http.Request, ferr error) error {
	a := actorOf(r)
	f := escalationFilterOf(r)
	f.Page = pageOf(r, listSize)
	list, total, err := s.Enforce.Escalations(r.Context(), a, f)
	if err != nil {
		return err
	}
	own := a.Unit.Kind == org.KindDepartment && a.Can(org.PermEnforcePenalty)
	v := escalationsView{List: list, Filter: f, May: own, Credit: own && a.Can(org.PermEntCredit), Pager: newPager(r, listSize, total)}
	for _, c := range enforce.EscalationKinds {
		v.Kinds = append(v.Kinds, enforceChoice{c.Key, c.Name})
	}
	for _, c := range enforce.EscalationStates {
		v.States = append(v.States, enforceChoice{c.Key, c.Name})
	}
	pd := pageData{Title: "提请关闭、移送司法和失信列入", Actor: a, Flash: flashOf(r), Data: v}
	if ferr != nil {
		return s.formErr(w, r, "enforce/escalations", pd, ferr)
	}
	s.pages.render(w, r, "enforce/escalations", pd)
	return nil
}

func (s *Server) escalationsPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderEscalations(w, r, nil)
}

// escalationAct records what the department did with a flag.
func (s *Server) escalationAct(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f := r.PostForm
	if err := s.Enforce.ActOnEscalation(r.Context(), actorOf(r), id, enforce.EscalationInput{Action: f.Get("action"), ToWhom: f.Get("to_whom"),
		Note: f.Get("note")}); err != nil {
		return s.renderEscalations(w, r, err)
	}
	http.Redirect(w, r, fmt.Sprintf("/enforce/escalations?ok=escalation-done#x%d", id), http.StatusSeeOther)
	return nil
}
