package web

import (
	"net/http"

	"anwei/internal/inbox"
)

type inboxList struct {
	list[inbox.Message]
	Unread int `json:"unread"`
}

func (s *Server) apiInbox(_ http.ResponseWriter, r *http.Request) (any, error) {
	p := apiPage(r)
	ms, n, unread, err := s.Inbox.ListInbox(r.Context(), actorOf(r), p)
	return inboxList{newList(ms, n, p), unread}, err
}

// readBody is the body of POST /inbox/read: one message, or all when id is 0.
type readBody struct {
	ID int64 `json:"id"`
}

func (s *Server) apiInboxRead(_ http.ResponseWriter, r *http.Request) (any, error) {
	in, err := body[readBody](r)
	if err != nil {
		return nil, err
	}
	return done(s.Inbox.MarkRead(r.Context(), actorOf(r), s.Clock.Now(), in.ID))
}
