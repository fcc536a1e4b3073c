package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestInvalidBytesAreRefusedNamingTheField: a form field, a JSON string or
// a query parameter with a NUL or with bytes that are not UTF-8 is a 422
// naming the field, on both databases, and nothing is stored.
func TestInvalidBytesAreRefusedNamingTheField(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, e *env) {
		c := e.login("enterprise")
		count := func() int {
			var n int
			if err := e.app.DB.QueryRow(context.Background(), "SELECT COUNT(*) FROM hazards").Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		var me struct{ Unit struct{ ID int64 } }
		if code, body := e.do(c, "GET", "/api/v1/me", ""); code != 200 || json.Unmarshal([]byte(body), &me) != nil {
			t.Fatalf("me: %d %s", code, body)
		}
		multipartBody := func(field, value string) (string, string) {
			var buf bytes.Buffer
			mw := multipart.NewWriter(&buf)
			for k, v := range map[string]string{"place": "二号仓库", "description": "消防通道堵塞", "source": "self"} {
				if k == field {
					v = value
				}
				_ = mw.WriteField(k, v)
			}
			_ = mw.Close()
			return buf.String(), mw.FormDataContentType()
		}
		form := func(field, value string) string {
			v := url.Values{"place": {"二号仓库"}, "description": {"消防通道堵塞"}, "source": {"self"}}
			v.Set(field, value)
			return v.Encode()
		}
		jsonBody := func(field, raw string) string {
			return `{"enterprise_id":` + fmtID(me.Unit.ID) + `,"place":"二号仓库","description":"消防通道堵塞","source":"self","` + field + `":"` + raw + `"}`
		}
		type tc struct {
			name, method, path, body, ctype, field string
		}
		mp1, ct1 := multipartBody("description", "消防\x00通道")
		mp2, ct2 := multipartBody("place", "\xff\xfe仓库")
		cases := []tc{
			{"form NUL", "POST", "/hazards/new", form("description", "消防\x00通道"), "application/x-www-form-urlencoded", "description"},
			{"form not UTF-8", "POST", "/hazards/new", form("description", "\xff\xfe堵塞"), "application/x-www-form-urlencoded", "description"},
			{"form key not UTF-8", "POST", "/hazards/new", form("pl\xffce", "x"), "application/x-www-form-urlencoded", "pl\ufffdce"},
			{"multipart NUL", "POST", "/hazards/new", mp1, ct1, "description"},
			{"multipart not UTF-8", "POST", "/hazards/new", mp2, ct2, "place"},
			{"JSON NUL escape", "POST", "/api/v1/hazards", jsonBody("description", `消防\u0000通道`), "application/json", "description"},
			{"JSON raw NUL (not JSON)", "POST", "/api/v1/hazards", jsonBody("place", "仓\x00库"), "application/json", ""},
			{"JSON not UTF-8", "POST", "/api/v1/hazards", jsonBody("description", "\xff\xfe堵塞"), "application/json", "description"},
			{"query NUL (API)", "GET", "/api/v1/hazards?q=a%00b", "", "", "q"},
			{"query not UTF-8 (page)", "GET", "/hazards?q=%FF%FE", "", "", "q"},
			{"path not UTF-8 (API)", "GET", "/api/v1/regions/%FF", "", "", ""},
			{"path NUL (page)", "GET", "/enterprises/1%00", "", "", ""},
			{"query NUL in a form POST", "POST", "/hazards/new?source=%00", form("place", "二号仓库"), "application/x-www-form-urlencoded", "source"},
		}
		before := count()
		for _, c2 := range cases {
			t.Run(c2.name, func(t *testing.T) {
				req, err := http.NewRequest(c2.method, e.srv.URL+c2.path, strings.NewReader(c2.body))
				if err != nil {
					t.Fatal(err)
				}
				if c2.ctype != "" {
					req.Header.Set("Content-Type", c2.ctype)
				}
				resp, err := c.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				body := string(b)
				if resp.StatusCode != http.StatusUnprocessableEntity {
					t.Fatalf("%d, want 422: %.300s", resp.StatusCode, body)
				}
				if c2.field == "" {
					return
				}
				want := "字段 " + c2.field + " 含有无效字符"
				if !strings.Contains(body, want) {
					t.Errorf("the message does not name the field (%q): %.300s", want, body)
				}
				if strings.HasPrefix(c2.path, "/api/") && !strings.Contains(body, `"field":"`+c2.field+`"`) {
					t.Errorf("the JSON error lacks field %q: %s", c2.field, body)
				}
			})
		}
		if after := count(); after != before {
			t.Errorf("hazards stored: %d before, %d after", before, after)
		}
		// The same requests with clean values still work.
		if code, body := e.do(c, "POST", "/api/v1/hazards", jsonBody("description", "消防通道堵塞")); code != 201 {
			t.Errorf("clean JSON report: %d %s", code, body)
		}
		if code, body := e.do(c, "POST", "/hazards/new", form("description", "消防通道堵塞")); code != 303 {
			t.Errorf("clean form report: %d %.300s", code, body)
		}
		if after := count(); after != before+2 {
			t.Errorf("clean reports stored: %d before, %d after", before, after)
		}
	})
}
