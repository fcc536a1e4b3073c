package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
)

func (s *soakRun) get(ctx context.Context, user, path string) error {
	return s.send(ctx, user, "GET", path, "", nil, nil)
}

func (s *soakRun) getJSON(ctx context.Context, user, path string, v any) error {
	return s.send(ctx, user, "GET", path, "", nil, v)
}

// send makes one request as user; any answer but 2xx or 3xx is an error.
// The body is read to its end (an export whole), and decoded into v if
// given.
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
	if resp.StatusCode >= 400 {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 300))
		return fmt.Errorf("%s %s: HTTP %d %s", method, path, resp.StatusCode, b)
	}
	if v != nil {
		return json.NewDecoder(resp.Body).Decode(v)
	}
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}
