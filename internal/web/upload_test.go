package web_test

import (
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"strings"
	"testing"

	"anwei/internal/store"
)

// part is one file of a multipart form: the form field, the file name and
// the type the client claims for it.
type part struct {
	field, name, ctype string
	body               io.Reader
}

// pngOf is n bytes that start like a PNG file.
func pngOf(n int) io.Reader {
	return io.MultiReader(strings.NewReader("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), io.LimitReader(zeros{}, int64(n-16)))
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// svg is a picture whose script takes over whoever opens it.
const svg = `<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>fetch("/api/v1/tokens",{method:"POST"})</script></svg>`

// post sends fields and parts as a multipart form, streamed so that large
// files are never held in memory, and returns the status, body and headers.
func (e *env) post(c *http.Client, path string, fields url.Values, parts ...part) (int, string, http.Header) {
	e.t.Helper()
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		err := func() error {
			for k, vs := range fields {
				for _, v := range vs {
					if err := mw.WriteField(k, v); err != nil {
						return err
					}
				}
			}
			for _, p := range parts {
				h := textproto.MIMEHeader{}
				h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=%q`, p.field, p.name))
				h.Set("Content-Type", p.ctype)
				w, err := mw.CreatePart(h)
				if err != nil {
					return err
				}
				if _, err := io.Copy(w, p.body); err != nil {
					return err
				}
			}
			return mw.Close()
		}()
		pw.CloseWithError(err)
	}()
	req, err := http.NewRequest("POST", e.srv.URL+path, pr)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", e.srv.URL)
	resp, err := c.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

// get fetches path as c and returns the status, body and headers.
func (e *env) get(c *http.Client, path string) (int, string, http.Header) {
	e.t.Helper()
	resp, err := c.Get(e.srv.URL + path)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

// count returns the number of rows of a table.
func (e *env) count(table string) int {
	e.t.Helper()
	var n int
	if err := e.app.DB.QueryRow(context.Background(), "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// exec runs a write statement with ? placeholders in a transaction of its
// own, on either database, as the services write.
func (e *env) exec(q string, args ...any) {
	e.t.Helper()
	if err := e.app.DB.Tx(context.Background(), func(tx *store.Tx) error {
		_, err := tx.Exec(context.Background(), q, args...)
		return err
	}); err != nil {
		e.t.Fatal(err)
	}
}

var hazardForm = url.Values{"place": {"仓库"}, "description": {"线路老化"}, "source": {"self"}}

// checkSafeDownload checks the headers every stored file is served with, and
// that the file is shown inline exactly when it is a raster image.
func checkSafeDownload(t *testing.T, what string, h http.Header, wantType string, inline bool) {
	t.Helper()
	if got := h.Get("Content-Type"); got != wantType {
		t.Errorf("%s: Content-Type %q, want %q", what, got, wantType)
	}
	disp := h.Get("Content-Disposition")
	if inline != strings.HasPrefix(disp, "inline") || !inline && !strings.HasPrefix(disp, "attachment") {
		t.Errorf("%s: Content-Disposition %q (inline %v)", what, disp, inline)
	}
	if h.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("%s: no nosniff", what)
	}
	if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "sandbox") ||
		!strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("%s: Content-Security-Policy %q", what, csp)
	}
}

// TestHazardPhotosMustBeRasterImages: an SVG (or HTML named .jpg) offered as
// a hazard photo is refused by its bytes, whatever type the client claims,
// and nothing is stored; a PNG the client calls octet-stream is kept as
// image/png and shown inline under a sandboxing policy.
func TestHazardPhotosMustBeRasterImages(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		ent, office := e.login("enterprise"), e.login("office")
		hazards, photos := e.count("hazards"), e.count("hazard_photos")
		for _, p := range []part{
			{"files", "x.svg", "image/svg+xml", strings.NewReader(svg)},
			{"files", "现场.jpg", "image/jpeg", strings.NewReader("<html><script>alert(1)</script></html>")},
		} {
			code, body, _ := e.post(ent, "/hazards/new", hazardForm, part{"files", "好的.png", "image/png", pngOf(100)}, p)
			if want := "照片 " + p.name + " 不是 JPEG/PNG/WebP 图片"; code != 422 || !strings.Contains(body, want) {
				t.Errorf("%s as a photo: %d, want 422 with %q", p.name, code, want)
			}
		}
		if e.count("hazards") != hazards || e.count("hazard_photos") != photos {
			t.Fatal("a refused report stored a hazard or a photo")
		}
		code, _, _ := e.post(ent, "/hazards/new", hazardForm, part{"files", "现场.png", "application/octet-stream", pngOf(2000)})
		if code != 303 {
			t.Fatalf("a PNG photo: %d", code)
		}
		var id int64
		var ct string
		if err := e.app.DB.QueryRow(context.Background(), "SELECT id, content_type FROM hazard_photos ORDER BY id DESC LIMIT 1").Scan(&id, &ct); err != nil {
			t.Fatal(err)
		}
		if ct != "image/png" {
			t.Errorf("the PNG is recorded as %q, not by its bytes", ct)
		}
		code, body, h := e.get(office, "/hazard-photos/"+fmtID(id))
		if code != 200 || !strings.HasPrefix(body, "\x89PNG") {
			t.Fatalf("the photo: %d", code)
		}
		checkSafeDownload(t, "PNG photo", h, "image/png", true)
	})
}

// TestStoredFilesAreServedByTheirBytes: files already stored under a type
// the client claimed (an SVG recorded as image/svg+xml, HTML recorded as
// image/png) download as the type their bytes show, never inline, under
// nosniff and a sandboxing policy; the hazard page links the SVG instead of
// showing it; a progress-report attachment is recorded by its bytes.
func TestStoredFilesAreServedByTheirBytes(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		ent, office := e.login("enterprise"), e.login("office")
		if code, _, _ := e.post(ent, "/hazards/new", hazardForm); code != 303 {
			t.Fatalf("report: %d", code)
		}
		var hz, user int64
		if err := e.app.DB.QueryRow(ctx, "SELECT id, created_by FROM hazards ORDER BY id DESC LIMIT 1").Scan(&hz, &user); err != nil {
			t.Fatal(err)
		}
		stored := map[string]int64{}
		for name, c := range map[string][2]string{"x.svg": {svg, "image/svg+xml"}, "y.png": {"<html><script>alert(1)</script></html>", "image/png"}} {
			sum, n, err := e.app.Files.Put(strings.NewReader(c[0]))
			if err != nil {
				t.Fatal(err)
			}
			e.exec(`INSERT INTO hazard_photos (hazard_id, stage, name, size, sha256, content_type, created_at, created_by)
				VALUES (?, 'report', ?, ?, ?, ?, ?, ?)`, hz, name, n, sum, c[1], e.clock.Now(), user)
			var id int64
			if err := e.app.DB.QueryRow(ctx, "SELECT MAX(id) FROM hazard_photos").Scan(&id); err != nil {
				t.Fatal(err)
			}
			stored[name] = id
		}
		for name, want := range map[string]string{"x.svg": "text/xml; charset=utf-8", "y.png": "text/html; charset=utf-8"} {
			code, _, h := e.get(office, "/hazard-photos/"+fmtID(stored[name]))
			if code != 200 {
				t.Fatalf("%s: %d", name, code)
			}
			checkSafeDownload(t, name, h, want, false)
		}
		_, page, _ := e.get(office, "/hazards/"+fmtID(hz))
		if svgID := fmtID(stored["x.svg"]); strings.Contains(page, `<img src="/hazard-photos/`+svgID+`"`) || !strings.Contains(page, `href="/hazard-photos/`+svgID+`"`) {
			t.Error("the hazard page shows the SVG as a picture, or does not link it")
		}

		// A progress report's attachment may be any file, recorded by its bytes.
		member, err := e.app.Org.ActorByUsername(ctx, "member")
		if err != nil {
			t.Fatal(err)
		}
		var task int64
		if err := e.app.DB.QueryRow(ctx, "SELECT MIN(task_id) FROM plan_assignments WHERE unit_id = ?", member.Unit.ID).Scan(&task); err != nil {
			t.Fatal(err)
		}
		code, body, _ := e.post(e.login("member"), "/tasks/"+fmtID(task)+"/reports", url.Values{"kind": {"progress"}, "text": {"已检查企业12家"}},
			part{"files", "记录.png", "image/png", strings.NewReader("<html><script>alert(1)</script></html>")})
		if code != 303 {
			t.Fatalf("progress report: %d %s", code, body)
		}
		var att int64
		var ct string
		if err := e.app.DB.QueryRow(ctx, "SELECT id, content_type FROM plan_attachments ORDER BY id DESC LIMIT 1").Scan(&att, &ct); err != nil {
			t.Fatal(err)
		}
		if ct != "text/html; charset=utf-8" {
			t.Errorf("the attachment is recorded as %q, not by its bytes", ct)
		}
		code, _, h := e.get(office, "/attachments/"+fmtID(att))
		if code != 200 {
			t.Fatalf("attachment: %d", code)
		}
		checkSafeDownload(t, "attachment", h, "text/html; charset=utf-8", false)
	})
}
