package web

import (
	"context"
	"io"
	"net/http"
	"time"

	"anwei/internal/apperr"
	"anwei/internal/files"
)

// A form with files that comes back with an error keeps the files its
// user chose (issue 16.2): they are held in the data directory
// (files.Store.Hold), listed on the page with their names, and sent again
// as hidden held_<field> tokens; the next submission takes them with any
// new ones, and releases them once it goes through.

// heldUploads reads a form's files under field: the parts sent now, and
// those held from an earlier try of the same form. done closes them.
func (s *Server) heldUploads(r *http.Request, field string) ([]files.Upload, func(), error) {
	ups, done, err := uploadsOf(r, field)
	if err != nil {
		return ups, done, err
	}
	var closers []io.Closer
	for _, tok := range r.Form["held_"+field] {
		h, f, ok, err := s.Files.Kept(actorOf(r).UserID, tok)
		if err != nil {
			return ups, done, err
		}
		if ok { // gone (a day later, or sent) is as if never chosen
			closers = append(closers, f)
			ups = append(ups, files.Upload{Name: h.Name, ContentType: h.ContentType, Body: f})
		}
	}
	return ups, func() {
		done()
		for _, c := range closers {
			c.Close()
		}
	}, nil
}

// keepUploads holds the files of fields the request carried — those sent
// now, and those held already — for the page that shows the form again
// after err, and returns the request that page is rendered from. An error
// that shows no form again (refused, not found, failed) holds nothing: no
// token would reach the user, and the files would fill its quota.
func (s *Server) keepUploads(r *http.Request, err error, fields ...string) *http.Request {
	if c := apperr.CodeOf(err); c != apperr.Invalid && c != apperr.Conflict {
		return r
	}
	user := actorOf(r).UserID
	kept := map[string][]files.Held{}
	for _, field := range fields {
		for _, tok := range r.Form["held_"+field] {
			if h, f, ok, err := s.Files.Kept(user, tok); err == nil && ok {
				f.Close()
				kept[field] = append(kept[field], h)
			}
		}
		if r.MultipartForm == nil {
			continue
		}
		for _, fh := range r.MultipartForm.File[field] {
			if fh.Filename == "" || fh.Size == 0 {
				continue
			}
			f, err := fh.Open()
			if err != nil {
				continue
			}
			// Held files age by the machine's time, as the job and Kept read them.
			h, err := s.Files.Hold(user, time.Now(), files.Upload{Name: fh.Filename, ContentType: fh.Header.Get("Content-Type"), Body: f})
			f.Close()
			if err == nil { // over the quota: the page asks for the file again, as before
				kept[field] = append(kept[field], h)
			}
		}
	}
	return r.WithContext(context.WithValue(r.Context(), heldKey, kept))
}

// releaseUploads drops the held files a form that went through carried.
func (s *Server) releaseUploads(r *http.Request, fields ...string) {
	for _, field := range fields {
		for _, tok := range r.Form["held_"+field] {
			s.Files.Release(actorOf(r).UserID, tok)
		}
	}
}

type heldCtx struct{}

var heldKey heldCtx

// heldOf is what keepUploads kept for the page being rendered.
func heldOf(r *http.Request) map[string][]files.Held {
	m, _ := r.Context().Value(heldKey).(map[string][]files.Held)
	return m
}

// heldView is a form field's held files, for the "held" template.
type heldView struct {
	Field string
	Items []files.Held
}

// held is the template function: the files kept for field of the page d.
func held(d pageData, field string) heldView { return heldView{field, d.Held[field]} }
