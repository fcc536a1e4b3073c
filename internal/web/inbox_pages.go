package web

import (
	"net/http"
	"strconv"
)

func (s *Server) inboxPage(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	ms, total, unread, err := s.Inbox.ListInbox(r.Context(), a, pageOf(r, listSize))
	if err != nil {
		return err
	}
	s.pages.render(w, r, "inbox", pageData{Title: "消息", Actor: a, Flash: flashOf(r),
		Data: map[string]any{"Messages": ms, "Unread": unread, "Pager": newPager(r, listSize, total)}})
	return nil
}

func (s *Server) inboxRead(w http.ResponseWriter, r *http.Request) error {
	id, _ := strconv.ParseInt(r.FormValue("id"), 10, 64)
	if err := s.Inbox.MarkRead(r.Context(), actorOf(r), s.Clock.Now(), id); err != nil {
		return err
	}
	if to := r.FormValue("to"); id != 0 && len(to) > 1 && to[0] == '/' && to[1] != '/' {
		http.Redirect(w, r, to, http.StatusSeeOther)
		return nil
	}
	redirectOK(w, r, "/inbox", "read")
	return nil
}
