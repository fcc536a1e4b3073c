package web_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"anwei/internal/demo"
	"anwei/internal/store"
)

// TestNoTokenOnPages: no API token is a session for a page — not even one
// made before tokens had areas ("*", every area, writing), which used to
// turn the two-factor setting on through POST /account/two-factor/setting
// and begin a binding through POST /account/two-factor. On the API it
// still works (within its term), but not on the account's own routes.
func TestNoTokenOnPages(t *testing.T) {
	t.Parallel()
	tokensDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		admin, err := e.app.Org.ActorByUsername(ctx, "admin")
		if err != nil {
			t.Fatal(err)
		}
		old := "anw_made-before-scopes-admin"
		sum := sha256.Sum256([]byte(old))
		if err := e.app.DB.Tx(ctx, func(tx *store.Tx) error {
			_, err := tx.Exec(ctx, "INSERT INTO api_tokens (token_hash, user_id, name, created_at) VALUES (?, ?, ?, ?)",
				hex.EncodeToString(sum[:]), admin.UserID, "旧令牌", e.clock.Now())
			return err
		}); err != nil {
			t.Fatal(err)
		}
		bearer := []string{"Authorization", "Bearer " + old}
		if code, body := e.do(e.client(), "GET", "/api/v1/me", "", bearer...); code != http.StatusOK {
			t.Fatalf("the old token on the API: %d %.200s", code, body)
		}
		if code, _ := e.do(e.client(), "PUT", "/api/v1/settings/two-factor", `{"required":true}`, bearer...); code != http.StatusForbidden {
			t.Fatalf("the old token on the API's setting: %d, want 403", code)
		}
		for _, p := range []struct{ method, path, body string }{
			{"GET", "/account", ""},
			{"GET", "/hazards", ""},
			{"GET", "/account/tokens", ""},
			{"POST", "/account/two-factor/setting", "required=1"},
			{"POST", "/account/two-factor", "password=" + url.QueryEscape(demo.Password)},
			{"POST", "/account/tokens", "name=x&area=hazard&password=" + url.QueryEscape(demo.Password)},
		} {
			req, err := http.NewRequest(p.method, e.srv.URL+p.path, strings.NewReader(p.body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Authorization", "Bearer "+old)
			if p.body != "" {
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			resp, err := e.client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/login") {
				t.Errorf("%s %s with the old token: %d to %q, want the login", p.method, p.path, resp.StatusCode, loc)
			}
		}
		if on, err := e.app.Auth.FactorRequired(ctx); err != nil || on {
			t.Errorf("the old token turned the two-factor setting on through the page: %v %v", on, err)
		}
		if st, err := e.app.Auth.FactorStatus(ctx, admin); err != nil || st.Pending != nil || st.Enrolled {
			t.Errorf("the old token began a binding through the page: %+v %v", st, err)
		}
		if ts, err := e.app.Auth.ListTokens(ctx, admin); err != nil || len(ts) != 1 {
			t.Errorf("the old token made a token through the page: %d %v", len(ts), err)
		}
	})
}
