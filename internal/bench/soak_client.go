package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
)

func (s *soakRun) get(ctx context.Context, user, path string) error {
	return s.send(ctx, user, "GET", path, "", nil, nil)
}

func (s *soakRun) getJSON(ctx context.Context, user, path string, v any) error {
	return s.send(ctx, user, "GET", path, "", nil, v)
}

// httpError is an answer the soak does not count as done: its status and
// the start of its body.
type httpError struct {
	method, path string
	status       int
	location     string
	body         []byte
}

func (e *httpError) Error() string {
	if e.location != "" {
		return fmt.Sprintf("%s %s: HTTP %d → %s", e.method, e.path, e.status, e.location)
	}
	return fmt.Sprintf("%s %s: HTTP %d %s", e.method, e.path, e.status, e.body)
}

// done reports whether an answer is the one asked for: a 2xx, or for a
// form's POST a 303 to anything but the sign-in page. A redirect to
// /login is a session that ended (web/session.go), not a fast success; a
// GET is never answered with a redirect by the routes the soak reads.
func done(method string, status int, location string) bool {
	if status >= 200 && status < 300 {
		return true
	}
	return method == http.MethodPost && status == http.StatusSeeOther && !strings.HasPrefix(location, "/login")
}

// send makes one request as user; an answer that is not done is an
// *httpError. The body is read to its end (an export whole), and decoded
// into v if given.
func (s *soakRun) send(ctx context.Context, user, method, path, ctype string, body []byte, v any) error {
	req, err := http.NewRequestWithContext(ctx, method, s.base+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	req.AddCookie(s.users[user].cookie)
	resp, err := s.client.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	if loc := resp.Header.Get("Location"); !done(method, resp.StatusCode, loc) {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 300))
		return &httpError{method: method, path: path, status: resp.StatusCode, location: loc, body: b}
	}
	if v != nil {
		return json.NewDecoder(resp.Body).Decode(v)
	}
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}
