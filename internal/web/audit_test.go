package web_test

import (
	"bytes"
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"anwei/internal/audit"
)

// TestAuditHeadDownload: the office sees the chain head on the 审计日志
// page and downloads it, in the form `anwei audit verify --head` takes, to
// keep outside the database; who may not read the audit log may not have
// the head either.
func TestAuditHeadDownload(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, user := range []string{"member", "enterprise"} {
		if code, _ := e.do(e.login(user), "GET", "/audit/head", ""); code != http.StatusForbidden {
			t.Fatalf("%s downloads the audit head: %d", user, code)
		}
	}
	office := e.login("office")
	// (Signing in is audited: the head is read after the last login.)
	seq, hash, err := audit.Head(context.Background(), e.app.DB)
	if err != nil || seq == 0 {
		t.Fatal(seq, err)
	}
	code, page := e.do(office, "GET", "/audit", "")
	if code != 200 || !strings.Contains(page, hash) || !strings.Contains(page, `href="/audit/head"`) {
		t.Fatalf("audit page lacks the head: %d", code)
	}
	req, _ := http.NewRequest("GET", e.srv.URL+"/audit/head", nil)
	resp, err := office.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body bytes.Buffer
	if _, err := body.ReadFrom(resp.Body); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("download: %d %v", resp.StatusCode, resp.Header)
	}
	if !regexp.MustCompile(`^\d+ [0-9a-f]{64}\n$`).MatchString(body.String()) || strings.Fields(body.String())[1] != hash {
		t.Fatalf("head file %q, head %d %s", body.String(), seq, hash)
	}
	if n, err := audit.VerifyTo(context.Background(), e.app.DB, hash); err != nil || n != seq {
		t.Fatalf("the downloaded head does not verify: %d %v", n, err)
	}
}
