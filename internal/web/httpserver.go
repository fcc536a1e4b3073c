package web

import (
	"net/http"
	"time"
)

// Timeouts bound how long one client may hold a connection, so that a
// client trickling its request a byte at a time cannot keep connections
// (and handlers) open without end.
type Timeouts struct {
	// ReadHeader: from the connection (or the end of the previous request)
	// to the end of the request's headers.
	ReadHeader time.Duration
	// Read: the whole request, body included.
	Read time.Duration
	// Write: from the end of the request's headers to the end of the
	// response.
	Write time.Duration
	// Idle: how long a kept-alive connection waits for the next request.
	Idle time.Duration
	// Upload replaces Read and Write for the routes that take files
	// (photos, sheets, plans), counted from when the handler starts; only
	// signed-in users reach those handlers.
	Upload time.Duration
}

// DefaultTimeouts are the server's timeouts unless configured otherwise.
var DefaultTimeouts = Timeouts{ReadHeader: 10 * time.Second, Read: 30 * time.Second, Write: 2 * time.Minute,
	Idle: 2 * time.Minute, Upload: 10 * time.Minute}

// orDefault fills the zero fields from DefaultTimeouts.
func (t Timeouts) orDefault() Timeouts {
	d := DefaultTimeouts
	for _, f := range []struct{ v, def *time.Duration }{{&t.ReadHeader, &d.ReadHeader}, {&t.Read, &d.Read},
		{&t.Write, &d.Write}, {&t.Idle, &d.Idle}, {&t.Upload, &d.Upload}} {
		if *f.v <= 0 {
			*f.v = *f.def
		}
	}
	return t
}

// HTTPServer returns the *http.Server that serves Handler with the
// configured timeouts (Services.Timeouts).
func (s *Server) HTTPServer() *http.Server {
	t := s.Timeouts.orDefault()
	return &http.Server{Handler: s.Handler(), ReadHeaderTimeout: t.ReadHeader, ReadTimeout: t.Read,
		WriteTimeout: t.Write, IdleTimeout: t.Idle}
}

// longBody gives an upload route Timeouts.Upload to read its body and
// write its answer instead of the server-wide Read and Write timeouts.
func (s *Server) longBody(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		until := time.Now().Add(s.Timeouts.orDefault().Upload)
		rc := http.NewResponseController(w)
		_ = rc.SetReadDeadline(until) // not supported: the server-wide timeouts stay
		_ = rc.SetWriteDeadline(until)
		h(w, r)
	}
}
