package web_test

import (
	"bytes"
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"anwei/internal/audit"
	"anwei/internal/demo"
	"anwei/internal/org"
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
	// The office of a street (below the deployment's root) reads the log of
	// its jurisdiction, not the head of the whole chain.
	ctx := context.Background()
	street, err := e.app.Org.ActorByUsername(ctx, "street")
	if err != nil {
		t.Fatal(err)
	}
	lower, err := e.app.Org.CreateUnit(ctx, org.System, org.UnitInput{Name: street.Unit.Name + "安委会办公室", Kind: org.KindCommitteeOffice, RegionCode: street.Unit.Region})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.app.Org.CreateUser(ctx, org.System, org.UserInput{Username: "streetoffice", DisplayName: "街道安委办", UnitID: lower.ID,
		Roles: []org.Role{org.RoleOffice}, Password: demo.Password}); err != nil {
		t.Fatal(err)
	}
	lowerOffice := e.login("streetoffice")
	if code, _ := e.do(lowerOffice, "GET", "/audit/head", ""); code != http.StatusForbidden {
		t.Errorf("a street's office downloads the head of the whole chain: %d", code)
	}
	if code, page := e.do(lowerOffice, "GET", "/audit", ""); code != 200 || strings.Contains(page, `href="/audit/head"`) {
		t.Errorf("a street's office: audit page %d, shows the head: %v", code, strings.Contains(page, `href="/audit/head"`))
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
