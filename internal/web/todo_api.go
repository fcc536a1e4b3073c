package web

import (
	"net/http"
)

// apiTodo is GET /api/v1/todo: the actor's unit's 待办.
func (s *Server) apiTodo(_ http.ResponseWriter, r *http.Request) (any, error) {
	p := pageOf(r, listSize)
	items, n, err := s.todoOf(r, p)
	return newList(items, n, p), err
}
