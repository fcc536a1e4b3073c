package web

import (
	"mime"
	"net/http"
	"strconv"

	"anwei/internal/apperr"
	"anwei/internal/enforce"
)

// The inspection's API (issue 23): the same steps as its page, for a
// phone app or a province's system.

func (s *Server) apiInspection(_ http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.Enforce.GetInspection(r.Context(), actorOf(r), id)
}

func (s *Server) apiInspectionExchange(_ http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.Enforce.ExchangeOf(r.Context(), actorOf(r), id)
}

func (s *Server) apiTaskSet(_ http.ResponseWriter, r *http.Request) (any, error) {
	id, in, err := idBodyOf[enforce.TaskInput, enforce.TaskInput](r)
	if err != nil {
		return nil, err
	}
	return done(s.Enforce.SetTask(r.Context(), actorOf(r), id, in))
}

func (s *Server) apiTaskApprove(_ http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return done(s.Enforce.ApproveTask(r.Context(), actorOf(r), id))
}

// checkinBody is the entry code an officer's phone read.
type checkinBody struct {
	Token string `json:"token"`
}

func (s *Server) apiCheckin(_ http.ResponseWriter, r *http.Request) (any, error) {
	in, err := body[checkinBody](r)
	if err != nil {
		return nil, err
	}
	id, err := s.Enforce.CheckIn(r.Context(), actorOf(r), in.Token)
	return created{ID: id}, err
}

func (s *Server) apiInspectionStart(_ http.ResponseWriter, r *http.Request) (any, error) {
	id, in, err := idBodyOf[enforce.StartInput, enforce.StartInput](r)
	if err != nil {
		return nil, err
	}
	return done(s.Enforce.Start(r.Context(), actorOf(r), id, in))
}

// marksBody is checklist marks, one or all.
type marksBody struct {
	Marks []enforce.MarkInput `json:"marks"`
}

func (s *Server) apiMarks(_ http.ResponseWriter, r *http.Request) (any, error) {
	id, in, err := idBodyOf[marksBody, marksBody](r)
	if err != nil {
		return nil, err
	}
	return done(s.Enforce.Mark(r.Context(), actorOf(r), id, in.Marks))
}

func (s *Server) apiFindingAdd(_ http.ResponseWriter, r *http.Request) (any, error) {
	id, in, err := idBodyOf[enforce.FindingInput, enforce.Finding](r)
	if err != nil {
		return nil, err
	}
	return s.Enforce.AddFinding(r.Context(), actorOf(r), id, in)
}

func (s *Server) apiFindingRemove(_ http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	fid, err := pathID(r, "fid")
	if err != nil {
		return nil, err
	}
	return done(s.Enforce.RemoveFinding(r.Context(), actorOf(r), id, fid))
}

// apiMediaAdd takes files as multipart/form-data: files, and item_key or
// finding_id when they belong to one.
func (s *Server) apiMediaAdd(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct != "multipart/form-data" {
		return nil, errMultipart
	}
	r.Body = http.MaxBytesReader(w, r.Body, filesBody)
	if err := checkForm(r, filesBody); err != nil {
		return nil, err
	}
	ups, closeAll, err := uploadsOf(r, "files")
	defer closeAll()
	if err != nil {
		return nil, err
	}
	fid, _ := strconv.ParseInt(r.PostForm.Get("finding_id"), 10, 64)
	return s.Enforce.AddMedia(r.Context(), actorOf(r), id, enforce.MediaInput{ItemKey: r.PostForm.Get("item_key"), FindingID: fid, Files: ups})
}

func (s *Server) apiSign(_ http.ResponseWriter, r *http.Request) (any, error) {
	id, in, err := idBodyOf[enforce.SignInput, enforce.SignInput](r)
	if err != nil {
		return nil, err
	}
	return done(s.Enforce.Sign(r.Context(), actorOf(r), id, in))
}

func (s *Server) apiInspectionClose(_ http.ResponseWriter, r *http.Request) (any, error) {
	id, in, err := idBodyOf[enforce.CloseInput, enforce.CloseInput](r)
	if err != nil {
		return nil, err
	}
	return s.Enforce.Close(r.Context(), actorOf(r), id, in)
}

func (s *Server) apiInspectionFigures(_ http.ResponseWriter, r *http.Request) (any, error) {
	return s.Enforce.Figures(r.Context(), actorOf(r), s.yearOf(r))
}

// entryCodeBody is an enterprise's entry code and the address its QR names.
type entryCodeBody struct {
	Token string `json:"token"`
	URL   string `json:"url"`
}

func (s *Server) apiEntryCode(_ http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	t, err := s.Enforce.CheckinToken(r.Context(), actorOf(r), id)
	return entryCodeBody{Token: t, URL: baseURL(r) + "/enforce/checkin/" + t}, err
}

// errMultipart is the answer to files sent otherwise than as a form.
var errMultipart = apperr.Field("files", "请以 multipart/form-data 提交文件 (字段 files)")
