package web

import (
	"net/http"
	"strconv"

	"anwei/internal/plan"
)

func (s *Server) apiNotices(_ http.ResponseWriter, r *http.Request) (any, error) {
	p, q := apiPage(r), r.URL.Query()
	unit, _ := strconv.ParseInt(q.Get("unit_id"), 10, 64)
	ns, n, err := s.Plans.ListNotices(r.Context(), actorOf(r), plan.NoticeFilter{UnitID: unit, Status: q.Get("status"), Page: p})
	return newList(ns, n, p), err
}

func (s *Server) apiNotice(_ http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.Plans.GetNotice(r.Context(), actorOf(r), id)
}

type issued struct {
	IDs []int64 `json:"ids"`
}

func (s *Server) apiNoticeIssue(_ http.ResponseWriter, r *http.Request) (any, error) {
	in, err := body[plan.NoticeInput](r)
	if err != nil {
		return nil, err
	}
	ids, err := s.Plans.IssueNotices(r.Context(), actorOf(r), in)
	return issued{ids}, err
}

// answerBody is the body of POST /notices/{id}/answer.
type answerBody struct {
	Answer string `json:"answer"`
}

func (s *Server) apiNoticeAnswer(_ http.ResponseWriter, r *http.Request) (any, error) {
	id, in, err := idBody[answerBody](r)
	if err != nil {
		return nil, err
	}
	return done(s.Plans.AnswerNotice(r.Context(), actorOf(r), id, in.Answer))
}
