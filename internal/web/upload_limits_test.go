package web_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"
)

// TestUploadsLeaveNoTempFiles: accepted and refused uploads, a body over
// its route's limit, and a multipart body sent to a form that takes no
// files all leave the temporary directory as they found it.
func TestUploadsLeaveNoTempFiles(t *testing.T) {
	e := newEnv(t)
	ent, office := e.login("enterprise"), e.login("office")
	var planID int64
	if err := e.app.DB.QueryRow(context.Background(), "SELECT MIN(id) FROM plans").Scan(&planID); err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	const mib = 1 << 20
	for _, c := range []struct {
		name   string
		who    *http.Client
		path   string
		fields url.Values
		file   part
		code   int
		want   string
		table  string // the rows the request may add to …
		added  int    // … and how many
	}{
		{"a 12 MiB photo", ent, "/hazards/new", hazardForm, part{"files", "现场.png", "image/png", pngOf(12 * mib)}, 303, "", "hazards", 1},
		{"a 51 MiB photo", ent, "/hazards/new", hazardForm, part{"files", "大.png", "image/png", pngOf(51 * mib)}, 422, "不能超过 50 MB", "hazards", 0},
		{"a 9 MiB SVG", ent, "/hazards/new", hazardForm, part{"files", "x.svg", "image/svg+xml", io.MultiReader(strings.NewReader(svg), io.LimitReader(zeros{}, 9*mib))}, 422, "不是 JPEG/PNG/WebP 图片", "hazards", 0},
		{"a 20 MiB task sheet", office, "/plans/" + fmtID(planID) + "/progress", nil, part{"file", "分工表.xlsx", "application/octet-stream", io.LimitReader(zeros{}, 20*mib)}, 422, "超过", "plan_reports", 0},
		{"a 70 MiB enterprise sheet", office, "/enterprises/import", nil, part{"file", "企业.xlsx", "application/octet-stream", io.LimitReader(zeros{}, 70*mib)}, 422, "超过", "enterprises", 0},
		{"a 40 MiB file to a form without files", office, "/plans/reports/999999/decision", url.Values{"decision": {"accept"}}, part{"file", "x.bin", "application/octet-stream", io.LimitReader(zeros{}, 40*mib)}, 422, "超过 1 MB", "plan_reports", 0},
		{"a 1 MiB login form", e.client(), "/login", url.Values{"username": {"office"}}, part{"password", "p.txt", "text/plain", io.LimitReader(zeros{}, mib)}, 422, "超过 64 KB", "sessions", 0},
	} {
		before := e.count(c.table)
		code, body, _ := e.post(c.who, c.path, c.fields, c.file)
		if code != c.code || !strings.Contains(body, c.want) {
			t.Errorf("%s: %d, want %d with %q", c.name, code, c.code, c.want)
		}
		if n := e.count(c.table) - before; n != c.added {
			t.Errorf("%s: %d rows added to %s, want %d", c.name, n, c.table, c.added)
		}
		left, err := os.ReadDir(tmp)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, f := range left {
			names = append(names, f.Name())
		}
		if len(names) > 0 {
			t.Errorf("%s left %v in the temporary directory", c.name, names)
			for _, n := range names {
				os.Remove(tmp + "/" + n)
			}
		}
	}
}

// counted counts what the server read of a request body.
type counted struct {
	r io.Reader
	n atomic.Int64
}

func (c *counted) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// TestUploadRefusedBeforeItIsRead: a signed-in user who may not use an
// upload route (an enterprise importing the register) is refused before
// the server reads the body, so nobody but those who may upload can make
// it spool files.
func TestUploadRefusedBeforeItIsRead(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const size = 40 << 20
	body := &counted{r: io.LimitReader(zeros{}, size)}
	code, _, _ := e.post(e.login("enterprise"), "/enterprises/import", nil, part{"file", "企业.xlsx", "application/octet-stream", body})
	if code != http.StatusForbidden {
		t.Errorf("an enterprise's import: %d, want 403", code)
	}
	if n := body.n.Load(); n > 8<<20 {
		t.Errorf("the server read %d MB of a refused upload", n>>20)
	}
}
