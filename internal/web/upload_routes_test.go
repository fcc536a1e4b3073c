package web_test

import (
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http/httptest"
	"net/textproto"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"anwei/internal/web"
)

// uploadRoute is a route that takes files: who may use it, the most of its
// body it reads (the limit its handler sets: Server.upload's, or spool's
// for an API body that is the file), and how many files one request may
// carry (0: one sheet, read from the field "file").
type uploadRoute struct {
	user  string
	limit int64
	files int
}

const mib = 1 << 20

// The limits (uploads.go).
const (
	filesBody  = web.FilesBody
	sheetBody  = web.SheetBody
	sheetAPI   = web.SheetAPIBody
	planText   = web.PlanTextBody
	progress   = web.ProgressSheetBody
	formBody   = web.FormBody // every other signed-in form; a JSON body is web.JSONBody, the same
	publicBody = web.PublicBody
)

// uploadRoutes are the routes allowed a body larger than formBody, and
// those that take a file under a smaller limit of their own (a holiday
// notice), checked at it. A new
// route that reads more is caught by TestEveryWriteRouteBoundsItsBody,
// which then asks for it here — with its limit, count limit, sniffing and
// safe serving checked (this file, upload_limits_test.go, upload_test.go).
var uploadRoutes = map[string]uploadRoute{
	"POST /plans/review":               {"office", planText, 0},
	"POST /plans/import":               {"office", planText, 0},
	"POST /plans/{id}/progress":        {"member", progress, 0},
	"POST /tasks/{id}/reports":         {"member", filesBody, web.MaxFiles},
	"POST /enterprises/import":         {"office", sheetBody, 0},
	"POST /hazards/new":                {"enterprise", filesBody, web.MaxFiles},
	"POST /hazards/{id}/act":           {"enterprise", filesBody, web.MaxFiles},
	"POST /api/v1/hazards":             {"enterprise", filesBody, web.MaxFiles},
	"POST /api/v1/plans/{id}/progress": {"member", sheetAPI, 0},
	"POST /api/v1/enterprises/import":  {"office", sheetAPI, 0},
	"POST /org/calendar":               {"admin", web.NoticeBody, 0},
	"POST /api/v1/calendar":            {"admin", web.NoticeAPIBody, 0},
	// An inspection's photos, sounds and videos (issue 23): the officer's.
	"POST /enforce/inspections/{id}/findings":     {"officer", filesBody, web.MaxFiles},
	"POST /enforce/inspections/{id}/media":        {"officer", filesBody, web.MaxFiles},
	"POST /api/v1/enforce/inspections/{id}/media": {"officer", filesBody, web.MaxFiles},
}

// realIDs are, for the upload routes that look their object up before
// they read the files, one their user may use.
var realIDs = map[string]string{
	"POST /tasks/{id}/reports": `SELECT MIN(pa.task_id) FROM plan_assignments pa JOIN users u ON u.unit_id = pa.unit_id WHERE u.username = 'member'`,
	"POST /hazards/{id}/act":   `SELECT MIN(h.id) FROM hazards h JOIN users u ON u.unit_id = h.unit_id WHERE u.username = 'enterprise'`,
	// the page comes back with the form's error on the inspection's page
	"POST /enforce/inspections/{id}/findings": inspectionOfOfficer,
	"POST /enforce/inspections/{id}/media":    inspectionOfOfficer,
}

const inspectionOfOfficer = `SELECT MIN(i.id) FROM enforce_inspections i JOIN users u ON u.unit_id = i.unit_id WHERE u.username = 'officer'`

// publicRoutes are the write routes one may use without a session: their
// body is limited to publicBody.
var publicRoutes = map[string]bool{"POST /login": true}

// counter counts what the handler read of a body.
type counter struct {
	r io.Reader
	n int64
}

func (c *counter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// multipartOf is a multipart body (boundary "B") of count files of size
// bytes each (a PNG's first bytes, then zeros) in field, streamed.
func multipartOf(field string, count int, size int64) io.Reader {
	pr, pw := io.Pipe()
	go func() {
		mw := multipart.NewWriter(pw)
		_ = mw.SetBoundary("B")
		err := func() error {
			for i := range count {
				h := textproto.MIMEHeader{}
				h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename="现场%d.png"`, field, i))
				h.Set("Content-Type", "image/png")
				w, err := mw.CreatePart(h)
				if err != nil {
					return err
				}
				if _, err := io.Copy(w, pngOf(int(size))); err != nil {
					return err
				}
			}
			return mw.Close()
		}()
		pw.CloseWithError(err)
	}()
	return pr
}

// repeat is an endless run of one byte.
type repeat byte

func (r repeat) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}

// fill puts an id no record has into the route's path parameters.
func fill(path string) string {
	return strings.NewReplacer("{id}", "999999", "{inst}", "999999", "{code}", "999999999", "{member}", "999999").Replace(path)
}

// serveIn sends a multipart body to the handler in process (no socket
// buffers between: the count is what the handler read) as user, and
// returns the status, the body and how much of the request body was read.
func (e *env) serveIn(t *testing.T, user, method, path, ctype string, body io.Reader) (int, string, int64) {
	t.Helper()
	req := httptest.NewRequest(method, e.srv.URL+path, nil)
	c := &counter{r: body}
	req.Body = io.NopCloser(c)
	req.ContentLength = -1
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("Origin", e.srv.URL)
	if user != "" {
		u, _ := url.Parse(e.srv.URL)
		for _, ck := range e.login(user).Jar.Cookies(u) { // a session of its own: a route may end it
			req.AddCookie(ck)
		}
	}
	rec := httptest.NewRecorder()
	e.srv.Config.Handler.ServeHTTP(rec, req)
	if cl, ok := body.(io.Closer); ok {
		cl.Close()
	}
	return rec.Code, rec.Body.String(), c.n
}

// TestEveryWriteRouteBoundsItsBody walks every write route of Routes() —
// pages and API, so a route added later is walked the day it is added —
// and sends it a multipart body just over its limit (formBody, publicBody
// or its uploadRoutes entry; those over 2 MB — some 2 GB in all, 1.2 s —
// only in CI's own step, ANWEI_TEST_UPLOAD_LIMITS): the handler reads no more than the limit and
// refuses the request with a 4xx (an oversized form: 413/422 with the
// Chinese "超过" message); a route that ignores its body reads none of it.
// An API route is sent JSON and, unless it is an upload route, a multipart
// file as well, so one that takes files is caught when missing here too.
// Every upload route takes at most its file count, and every entry of
// uploadRoutes is a route that exists.
func TestEveryWriteRouteBoundsItsBody(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	big := os.Getenv("ANWEI_TEST_UPLOAD_LIMITS") != ""
	seen := map[string]bool{}
	const slack = 256 << 10
	for _, rt := range e.app.Web.Routes() {
		if !rt.Write() {
			continue
		}
		key := rt.String()
		seen[key] = true
		user, limit := "office", int64(formBody)
		up, isUpload := uploadRoutes[key]
		switch {
		case isUpload:
			user, limit = up.user, up.limit
		case publicRoutes[key]:
			user, limit = "", publicBody
		}
		t.Run(key, func(t *testing.T) {
			if limit > 2*mib && !big {
				t.Skip("over 2 MB: ANWEI_TEST_UPLOAD_LIMITS=1")
			}
			field := "file"
			if up.files > 0 {
				field = "files"
			}
			ctype, send := "multipart/form-data; boundary=B", multipartOf(field, 1, limit+slack)
			if rt.API && !isUpload {
				ctype, send = "application/json", io.MultiReader(strings.NewReader(`{"name":"`), io.LimitReader(repeat('a'), limit+slack), strings.NewReader(`"}`))
			}
			want := "超过"
			if rt.API && !isUpload {
				want = "请求体超过 1 MB" // a JSON body: no file to compress
			}
			bounded(t, e, user, rt, ctype, send, limit, want)
			if rt.API && !isUpload {
				// An API route may also take multipart files (POST
				// /api/v1/hazards does): one not in uploadRoutes reads
				// no more of a file than of a JSON body.
				bounded(t, e, user, rt, "multipart/form-data; boundary=B", multipartOf("files", 1, limit+slack), limit, "超过")
			}
		})
		if up.files > 0 {
			t.Run(key+" file count", func(t *testing.T) {
				path := fill(rt.Path)
				if q, ok := realIDs[key]; ok {
					var id int64
					if err := e.app.DB.QueryRow(context.Background(), q).Scan(&id); err != nil {
						t.Fatal(err)
					}
					path = strings.Replace(rt.Path, "{id}", fmtID(id), 1)
				}
				code, body, _ := e.serveIn(t, up.user, rt.Method, path, "multipart/form-data; boundary=B", multipartOf("files", up.files+1, 100))
				if code != 422 || !strings.Contains(body, fmt.Sprintf("最多上传 %d 个", up.files)) {
					t.Errorf("%d files: %d %.300s", up.files+1, code, body)
				}
			})
		}
	}
	for key := range uploadRoutes {
		if !seen[key] {
			t.Errorf("uploadRoutes names %s, which is no route", key)
		}
	}
}

// bounded sends rt the oversized body send as user and checks that the
// handler read no more than limit of it (and 64 KB of buffers) and refused
// it (413/422 with the message want), or ignored it unread.
func bounded(t *testing.T, e *env, user string, rt web.Route, ctype string, send io.Reader, limit int64, want string) {
	t.Helper()
	code, body, read := e.serveIn(t, user, rt.Method, fill(rt.Path), ctype, send)
	if read > limit+64<<10 {
		t.Errorf("%s: read %d KB of a body over its limit of %d KB (a route that takes more belongs in uploadRoutes)", ctype, read>>10, limit>>10)
	}
	switch {
	case code >= 500:
		t.Errorf("%s: %d %.300s", ctype, code, body)
	case code < 400 && read > 0:
		t.Errorf("%s: %d after reading %d KB of an oversized body", ctype, code, read>>10)
	case read > limit && (code != 413 && code != 422 || !strings.Contains(body, want)):
		t.Errorf("%s: an oversized body: %d %.300s, want 413/422 with %s", ctype, code, body, want)
	}
}

// TestStoredFilesAreServedOnlyBySendFile: the one handler that opens a
// stored file for a response is sendFile (download.go), which serves it by
// its sniffed bytes — raster images inline, anything else (SVG, HTML) as an
// attachment, under nosniff and a sandboxing CSP (upload_test.go) — so a
// download route added later cannot serve an upload another way. Uploads
// reach the store only through files.PutAll/PutPhotos, which sniff them.
func TestStoredFilesAreServedOnlyBySendFile(t *testing.T) {
	t.Parallel()
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") || name == "download.go" {
			continue
		}
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), "Files.Open(") {
			t.Errorf("%s opens a stored file: serve it through sendFile", name)
		}
	}
}
