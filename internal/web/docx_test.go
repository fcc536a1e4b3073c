package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"anwei/internal/demo"
	"anwei/internal/docs"
	"anwei/internal/org"
)

// Every writ downloads as .docx beside its PDF (issue 15), linked from the
// pages that link the PDF, to whom may read the PDF: an office of another
// county gets 404 for 天桥's notice and 督办通知书, and the bulletin of its
// own jurisdiction.
func TestWritsDownloadAsDOCX(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	var listing int64
	if err := e.app.DB.QueryRow(ctx, "SELECT MIN(id) FROM hazard_listings").Scan(&listing); err != nil || listing == 0 {
		t.Fatalf("the demo's listing: %v", err)
	}
	notice := e.expand(t, demoNotice)
	office := e.login("office")
	writs := []struct{ path, name, want string }{
		{"/notices/" + notice + "/docx", "天安办提〔2026〕1号.docx", "天安办提〔2026〕1号"},
		{"/hazard-listings/" + fmtID(listing) + "/docx", "〔2026〕", "济南泺口精细化工有限公司"},
		{"/hazards/bulletin.docx", "隐患治理通报-", "济南泺口精细化工有限公司"},
	}
	for _, w := range writs {
		code, body, h := e.get(office, w.path)
		if code != 200 || h.Get("Content-Type") != docs.DOCXType {
			t.Fatalf("%s: %d %s %.300s", w.path, code, h.Get("Content-Type"), body)
		}
		disp := h.Get("Content-Disposition")
		name, err := url.PathUnescape(strings.TrimPrefix(disp, "attachment; filename*=UTF-8''"))
		if err != nil || !strings.HasPrefix(disp, "attachment; filename*=UTF-8''") || !strings.Contains(name, w.name) || !strings.HasSuffix(name, ".docx") {
			t.Errorf("%s: Content-Disposition %q (%q)", w.path, disp, name)
		}
		if doc := documentXML(t, body); !strings.Contains(doc, w.want) {
			t.Errorf("%s: the document lacks %q", w.path, w.want)
		}
		if dir := os.Getenv("ANWEI_ARTIFACTS"); dir != "" {
			_ = os.MkdirAll(dir, 0o755)
			_ = os.WriteFile(filepath.Join(dir, "demo-"+name), []byte(body), 0o644)
		}
	}
	// The links beside the PDF's.
	for page, href := range map[string]string{"/notices/" + notice: "/notices/" + notice + "/docx", "/hazard-listings": "/hazard-listings/" + fmtID(listing) + "/docx",
		"/hazards/bulletin": "/hazards/bulletin.docx?from="} {
		if code, body, _ := e.get(office, page); code != 200 || !strings.Contains(body, `href="`+href) {
			t.Errorf("%s: %d, no link to %s", page, code, href)
		}
	}

	// An office of 历下区.
	if _, err := e.app.Org.CreateRegion(ctx, org.System, org.RegionInput{Code: "370102", Name: "历下区"}); err != nil {
		t.Fatal(err)
	}
	u, err := e.app.Org.CreateUnit(ctx, org.System, org.UnitInput{Name: "济南市历下区安全生产委员会办公室", Kind: org.KindCommitteeOffice, RegionCode: "370102"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.app.Org.CreateUser(ctx, org.System, org.UserInput{Username: "lixia", DisplayName: "历下区安委办", UnitID: u.ID,
		Roles: []org.Role{org.RoleOffice}, Password: demo.Password}); err != nil {
		t.Fatal(err)
	}
	lixia := e.login("lixia")
	for _, w := range writs[:2] {
		if code, body, _ := e.get(lixia, w.path); code != 404 || strings.HasPrefix(body, "PK") {
			t.Errorf("another county's office: %s %d", w.path, code)
		}
	}
	code, body, _ := e.get(lixia, writs[2].path)
	if doc := documentXML(t, body); code != 200 || strings.Contains(doc, "泺口") || !strings.Contains(doc, "历下区") {
		t.Errorf("another county's bulletin: %d, 泺口 %v", code, strings.Contains(doc, "泺口"))
	}
}

// documentXML is word/document.xml of a .docx, checked well-formed.
func documentXML(t *testing.T, body string) string {
	t.Helper()
	z, err := zip.NewReader(strings.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	for _, f := range z.File {
		if f.Name != "word/document.xml" {
			continue
		}
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(r)
		dec := xml.NewDecoder(bytes.NewReader(b))
		for {
			if _, err := dec.Token(); err == io.EOF {
				return string(b)
			} else if err != nil {
				t.Fatalf("document.xml: %v", err)
			}
		}
	}
	t.Fatal("no word/document.xml")
	return ""
}
