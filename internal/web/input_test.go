package web_test

import (
	"bytes"
	"mime/multipart"
	"net/url"
	"strings"
	"testing"
)

// TestInvalidBytesAreRefusedNamingTheField: a form field, a JSON string or
// a query parameter with a NUL or with bytes that are not UTF-8 is a 422
// naming the field, on both databases, and nothing is stored.
func TestInvalidBytesAreRefusedNamingTheField(t *testing.T) {
	t.Parallel()
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
		return `{"enterprise_id":` + luokou + `,"place":"二号仓库","description":"消防通道堵塞","source":"self","` + field + `":"` + raw + `"}`
	}
	// refused is a 422 naming field ("" when the request cannot say which),
	// in the JSON error's field too on the API.
	refused := func(name, method, path, body, ctype, field string) scenario {
		s := scenario{Name: name, Method: method, URL: path, As: "enterprise", Body: body, ContentType: ctype, Status: 422}
		if field != "" {
			s.Want = []string{"字段 " + field + " 含有无效字符"}
			if strings.HasPrefix(path, "/api/") {
				s.Want = append(s.Want, `"field":"`+field+`"`)
			}
		}
		return s
	}
	const formType = "application/x-www-form-urlencoded"
	mp1, ct1 := multipartBody("description", "消防\x00通道")
	mp2, ct2 := multipartBody("place", "\xff\xfe仓库")
	var before int
	eachDB(t, func(t *testing.T, e *env) {
		runScenarios(t, e, []scenario{
			{Name: "the enterprise signs in", URL: "/api/v1/me", As: "enterprise", Status: 200,
				After: func(t *testing.T, e *env, a *answer) { before = e.count("hazards") }},
			refused("form NUL", "POST", "/hazards/new", form("description", "消防\x00通道"), formType, "description"),
			refused("form not UTF-8", "POST", "/hazards/new", form("description", "\xff\xfe堵塞"), formType, "description"),
			refused("form key not UTF-8", "POST", "/hazards/new", form("pl\xffce", "x"), formType, "pl\ufffdce"),
			refused("multipart NUL", "POST", "/hazards/new", mp1, ct1, "description"),
			refused("multipart not UTF-8", "POST", "/hazards/new", mp2, ct2, "place"),
			refused("JSON NUL escape", "POST", "/api/v1/hazards", jsonBody("description", `消防\u0000通道`), "", "description"),
			refused("JSON raw NUL (not JSON)", "POST", "/api/v1/hazards", jsonBody("place", "仓\x00库"), "", ""),
			refused("JSON not UTF-8", "POST", "/api/v1/hazards", jsonBody("description", "\xff\xfe堵塞"), "", "description"),
			refused("query NUL (API)", "GET", "/api/v1/hazards?q=a%00b", "", "", "q"),
			refused("query not UTF-8 (page)", "GET", "/hazards?q=%FF%FE", "", "", "q"),
			refused("path not UTF-8 (API)", "GET", "/api/v1/regions/%FF", "", "", ""),
			refused("path NUL (page)", "GET", "/enterprises/"+luokou+"%00", "", "", ""),
			refused("query NUL in a form POST", "POST", "/hazards/new?source=%00", form("place", "二号仓库"), formType, "source"),
			{Name: "nothing was stored", URL: "/api/v1/me", As: "enterprise", Status: 200, After: func(t *testing.T, e *env, a *answer) {
				if after := e.count("hazards"); after != before {
					t.Errorf("hazards stored: %d before, %d after", before, after)
				}
			}},
			// The same requests with clean values still work.
			{Name: "clean JSON report", Method: "POST", URL: "/api/v1/hazards", As: "enterprise", Body: jsonBody("description", "消防通道堵塞"), Status: 201},
			{Name: "clean form report", Method: "POST", URL: "/hazards/new", As: "enterprise", Body: form("description", "消防通道堵塞"), Status: 303,
				After: func(t *testing.T, e *env, a *answer) {
					if after := e.count("hazards"); after != before+2 {
						t.Errorf("clean reports stored: %d before, %d after", before, after)
					}
				}},
		})
	})
}
