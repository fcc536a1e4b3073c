package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"anwei/internal/docs/sheettest"
	"anwei/internal/enterprise"
)

// badRows is a CSV of n rows that are all refused (no valid credit code).
func badRows(n int) string {
	var b strings.Builder
	b.WriteString("企业名称,统一社会信用代码,所在街道,监管类别\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "坏公司%d,不是代码%d,无影山街道,工贸\n", i, i)
	}
	return b.String()
}

// TestImportAPISummary: the synchronous import answers with counts and the
// first 100 rejected rows, says how many it left out and how to get them,
// and rejects=csv answers with all of them as CSV.
func TestImportAPISummary(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	street := e.login("street")
	code, body := e.do(street, "POST", "/api/v1/enterprises/import?name=a.csv", badRows(150))
	var res struct {
		Rejected        []json.RawMessage `json:"rejected"`
		RejectedTotal   int               `json:"rejected_total"`
		RejectedOmitted int               `json:"rejected_omitted"`
		Note            string            `json:"rejects_note"`
	}
	if err := json.Unmarshal([]byte(body), &res); code != 201 || err != nil {
		t.Fatalf("import: %d %.300s", code, body)
	}
	if len(res.Rejected) != enterprise.MaxListed || res.RejectedTotal != 150 || res.RejectedOmitted != 50 || !strings.Contains(res.Note, "rejects=csv") {
		t.Errorf("summary: %d listed, total %d, omitted %d, note %q", len(res.Rejected), res.RejectedTotal, res.RejectedOmitted, res.Note)
	}
	code, body = e.do(street, "POST", "/api/v1/enterprises/import?name=a.csv&rejects=csv", badRows(150))
	if lines := strings.Split(strings.TrimSpace(body), "\n"); code != 200 || len(lines) != 151 || !strings.HasPrefix(lines[0], "\ufeff行号,原因") {
		t.Errorf("rejects csv: %d, %d lines: %.200s", code, len(lines), body)
	}
	// The page: the report says what it left out; the checkbox downloads all.
	form := func(rejects bool) (int, string) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		if rejects {
			_ = mw.WriteField("rejects", "csv")
		}
		fw, _ := mw.CreateFormFile("file", "a.csv")
		_, _ = fw.Write([]byte(badRows(150)))
		_ = mw.Close()
		req, _ := http.NewRequest("POST", e.srv.URL+"/enterprises/import", &buf)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Origin", e.srv.URL)
		resp, err := street.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		out, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(out)
	}
	if code, page := form(false); code != 200 || !strings.Contains(page, "退回 150 行") || !strings.Contains(page, "另有 50 行未列出") {
		t.Errorf("page: %d %q", code, page[max(0, strings.Index(page, "退回")-100):min(len(page), strings.Index(page, "退回")+400)])
	}
	if code, csv := form(true); code != 200 || strings.Count(csv, "\n") != 151 {
		t.Errorf("page rejects download: %d %.200s", code, csv)
	}
}

// TestImportAPIWideSheet: the attacker's workbook (one value at XFD on each
// of 4,000 rows) is refused by both import endpoints, naming the cell.
func TestImportAPIWideSheet(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	wide := string(sheettest.WideXLSX(t, []string{"企业名称", "统一社会信用代码", "所在街道", "监管类别", "任务编号", "任务内容", "本单位进展"}, 4000,
		sheettest.Same(`<c r="XFD{r}" t="inlineStr"><is><t>x</t></is></c>`)))
	street := e.login("street")
	if code, body := e.do(street, "POST", "/api/v1/enterprises/import?name=x.xlsx", wide); code != 422 || !strings.Contains(body, "第2行第XFD列有内容") {
		t.Errorf("enterprises: %d %.300s", code, body)
	}
	member := e.login("member")
	_, body := e.do(member, "GET", "/api/v1/plans", "")
	var plans struct{ Items []struct{ ID int64 } }
	if err := json.Unmarshal([]byte(body), &plans); err != nil || len(plans.Items) == 0 {
		t.Fatalf("plans: %.300s", body)
	}
	path := fmt.Sprintf("/api/v1/plans/%d/progress?name=x.xlsx", plans.Items[0].ID)
	if code, body := e.do(member, "POST", path, wide); code != 422 || !strings.Contains(body, "第2行第XFD列有内容") {
		t.Errorf("progress: %d %.300s", code, body)
	}
}
