package web_test

import (
	"os"
	"strings"
	"testing"

	"anwei/internal/calendar"
)

// multipartFile is a form with one file in the field "file", as a browser
// posts it: its Content-Type and body.
func multipartFile(name, content string) (string, string) {
	return "multipart/form-data; boundary=NOTICE",
		"--NOTICE\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name + "\"\r\nContent-Type: text/csv\r\n\r\n" +
			content + "\r\n--NOTICE--\r\n"
}

// TestCalendarScenarios: the holiday table's page and API. Everybody reads
// the table; the administrator alone loads a year's notice (the invented
// 2027 one, a test fixture, not the State Council's); a wrong file is
// refused whole, each wrong row named; once loaded, the API lists 2027 as
// 导入, the table is known through 2027, and the audit log names the
// import.
func TestCalendarScenarios(t *testing.T) {
	t.Parallel()
	t.Cleanup(func() { calendar.Load() }) // the holiday table is the process's
	e := newEnv(t)
	b, err := os.ReadFile("../calendar/testdata/holidays_2027_invented.csv")
	if err != nil {
		t.Fatal(err)
	}
	good := string(b)
	bad := strings.NewReplacer("2027-06-09,holiday", "2027-06-09,workday", "2027-02-07,", "2027-02-30,").Replace(good)
	formCT, goodForm := multipartFile("2027.csv", strings.Replace(good, "2027-06-09,holiday,端午节\n", "2027-06-09,holiday,端午节\n2027-06-10,holiday,端午节\n", 1))
	_, badForm := multipartFile("2027.csv", bad)
	runScenarios(t, e, []scenario{
		{Name: "the administrator's page: the built-in years and the form", URL: "/org/calendar", As: "admin", Status: 200,
			Want:    []string{"<h1>节假日安排</h1>", "已知至 <strong>2026-12-31</strong>", "<td>2026</td><td>内置</td><td>33</td><td>6</td>", `action="/org/calendar"`, `name="file"`},
			NotWant: []string{"即将用完", "导入</span>"}},
		{Name: "in the administrator's navigation", URL: "/", As: "admin", Status: 200, Want: []string{`href="/org/calendar"`}},
		{Name: "not in the office's", URL: "/", As: "office", Status: 200, NotWant: []string{`href="/org/calendar"`}},
		{Name: "the office reads the table, without the form", URL: "/org/calendar", As: "office", Status: 200,
			Want: []string{"<td>2026</td>"}, NotWant: []string{`name="file"`}},
		{Name: "the office may not load a notice (page)", Method: "POST", URL: "/org/calendar", As: "office", Header: sameOrigin,
			ContentType: formCT, Body: goodForm, Status: 403, Want: []string{"需要「载入节假日安排」权限"}},
		{Name: "the office may not load a notice (API)", Method: "POST", URL: "/api/v1/calendar", As: "office",
			ContentType: "text/csv", Body: good, Status: 403, Want: []string{`"code":"forbidden"`, "载入节假日安排"}},
		{Name: "a wrong file: every wrong row, on the page", Method: "POST", URL: "/org/calendar", As: "admin", Header: sameOrigin,
			ContentType: formCT, Body: badForm, Status: 422,
			Want: []string{"请修改以下 2 处后再提交", "第7行「日期」“2027-02-30”无效", "第24行「类型」2027-06-09 是星期三，调休上班日 (workday) 只能是星期六或星期日"}},
		{Name: "a wrong file: every wrong row, in the API", Method: "POST", URL: "/api/v1/calendar", As: "admin",
			ContentType: "text/csv", Body: bad, Status: 422,
			Want: []string{`"code":"invalid"`, `"field":"file"`, "第7行「日期」“2027-02-30”无效", "第24行「类型」2027-06-09 是星期三"}},
		{Name: "nothing loaded", URL: "/api/v1/calendar", As: "member", Status: 200,
			Want: []string{`"known_through":"2026-12-31"`, `"runs_out":false`}, NotWant: []string{`"year":2027`}},
		{Name: "the administrator loads 2027 (API)", Method: "POST", URL: "/api/v1/calendar", As: "admin",
			ContentType: "text/csv", Body: good, Status: 201,
			Want: []string{`{"year":2027,"source":"导入","imported":true,"holidays":27,"workdays":6}`}},
		{Name: "the API lists 2027 as 导入", URL: "/api/v1/calendar", As: "member", Status: 200,
			Want: []string{`"known_through":"2027-12-31"`, `{"year":2027,"source":"导入","imported":true,"holidays":27,"workdays":6}`,
				`{"year":2026,"source":"内置","imported":false,"holidays":33,"workdays":6}`}},
		{Name: "the administrator loads it again, changed (page)", Method: "POST", URL: "/org/calendar", As: "admin", Header: sameOrigin,
			ContentType: formCT, Body: goodForm, Status: 303, WantHeader: map[string]string{"Location": "/org/calendar?ok=holidays"}},
		{Name: "the page shows it", URL: "/org/calendar?ok=holidays", As: "admin", Status: 200,
			Want: []string{"已载入节假日安排", "已知至 <strong>2027-12-31</strong>", `<td>2027</td><td><span class="badge">导入</span></td><td>28</td><td>6</td>`}},
		{Name: "the audit log names the imports", URL: "/audit?action=calendar.import", As: "office", Status: 200,
			Want: []string{"载入节假日安排", "2027 年节假日安排"}},
	})
}
