package web

import (
	"net/http"

	"anwei/internal/calendar"
	"anwei/internal/inbox"
	"anwei/internal/paging"
)

// todoData is a 待办: its items (the overdue first) and how many there are.
type todoData struct {
	Items []inbox.Todo
	Total int
	Pager pager
}

// todoOf reads the actor's unit's 待办, page pg.
func (s *Server) todoOf(r *http.Request, pg paging.Page) ([]inbox.Todo, int, error) {
	return s.Inbox.ListTodo(r.Context(), actorOf(r), calendar.Local(s.Clock.Now()).Format("2006-01-02"), pg)
}

// todoPage is the 待办: what the actor's unit is asked to do, the overdue
// first, each with its due date, its object as it is now and a link.
func (s *Server) todoPage(w http.ResponseWriter, r *http.Request) error {
	items, total, err := s.todoOf(r, pageOf(r, listSize))
	if err != nil {
		return err
	}
	s.pages.render(w, r, "todo", pageData{Title: "待办", Actor: actorOf(r), Flash: flashOf(r),
		Data: todoData{Items: items, Total: total, Pager: newPager(r, listSize, total)}})
	return nil
}
