package app_test

import (
	"archive/zip"
	"bytes"
	"cmp"
	"compress/zlib"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"anwei/internal/app"
	"anwei/internal/app/apptest"
	"anwei/internal/auth"
	"anwei/internal/calendar"
	"anwei/internal/enterprise"
	"anwei/internal/files"
	"anwei/internal/hazard"
	"anwei/internal/inbox"
	"anwei/internal/org"
	"anwei/internal/plan"
	"anwei/internal/risk"
	"anwei/internal/rules"
	"anwei/internal/store"
	"anwei/internal/store/storetest"
	"anwei/internal/web"
)

// The scope matrix (issue 17.1): every route the web server registers
// (web.Server.Routes, recorded from the registration itself) is tried by
// every role of one side on the objects of the other: two counties of one
// deployment, two streets of one county, two enterprises, a department and
// an enterprise it does not supervise, an expert of the other county's pool,
// and the public. No answer may carry the other side's rows, counts, export
// lines, PDFs, attachments or photos; no write naming the other side's
// object may succeed or change a row; a filter parameter naming the other
// side (region, unit, enterprise, plan, status, year …) only narrows.
//
// A route needs an entry in matrixRoutes: the test fails naming a route
// that has none (and an entry whose route is gone).

// side is what one viewer must not reach: ids of its objects by kind (the
// values of path parameters and filters) and the texts that mark them in an
// answer (names, numbers, codes).
type side struct {
	name    string
	ids     map[string]string
	markers []string
	lacks   bool // a body asked for a kind the side has not
}

func (s *side) id(kind string) (string, bool) { v, ok := s.ids[kind]; return v, ok }

// v is the side's object of kind for a body; a kind the side lacks is
// noted, and the side skipped for the route.
func (s *side) v(kind string) string {
	v, ok := s.ids[kind]
	if !ok {
		s.lacks = true
	}
	return v
}

// n is the side's object of kind as a number, for JSON bodies.
func (s *side) n(kind string) int64 { v, _ := strconv.ParseInt(s.v(kind), 10, 64); return v }

// viewer is one signed-in user (or the public) and the sides it tries.
type viewer struct {
	name     string
	username string // "" for the public
	sides    []*side
	cookie   string
}

// mroute is a route's entry: how to fill it with the other side's objects
// and what it sends.
type mroute struct {
	// path maps each path parameter to the kind of the other side's object
	// it takes ("id": "hazard"); a kind the side lacks skips the side.
	path map[string]string
	// lit fills a path parameter that names no object (a credit code to check).
	lit map[string]string
	// fixed is a query the route needs to reach its scope check ("year=2026").
	fixed string
	// body is what a write sends: JSON for /api/, a URL-encoded form for
	// pages (multipart with upload). It may name the other side's objects.
	body func(s *side) map[string]any
	// raw is the name of a file a write sends (an import): the API's body,
	// a page's "file" field; its content is body's "file" or rawFiles[raw].
	raw string
	// field is the form field the raw file goes in ("file" when empty; an
	// inspection's media go as "files").
	field string
	// upload: the page takes multipart/form-data.
	upload bool
	// own says why the route names no object of the other side (a listing
	// of the viewer's scope, a calculator, the viewer's own account): its
	// answer is checked for the other side's marks, and a write may change
	// only the tables in changes.
	own     string
	changes []string
	// quiet: a write naming the other side's object that answers success
	// but does nothing there (marking a message read: the unit's own
	// messages only); the rows must still be unchanged.
	quiet string
	// query are a page's filter parameters (the API's come from its table).
	query []string
	// fresh: the route ends the session; it runs on a session of its own.
	fresh bool
	// by is who of the other side does the write there in the control run
	// (which shows that the write is refused for its scope, not its body):
	// "office" (the default), "department", "expert", "admin".
	by string
	// noControl says why the control run skips the write.
	noControl string
	// sameAfter says why a GET's answer may change when only the other
	// side's rows do (the audit chain's head is one for the deployment).
	sameAfter string
}

// now is when the fixture's objects are made, in Asia/Shanghai: the month
// and year filters are tried with it ({month}, {year}).
var now = time.Now().In(calendar.Shanghai)

// filterValues are the values a filter parameter is tried with: the other
// side's object, or a value that could widen (the city above both counties,
// every status).
var filterValues = map[string][]string{
	"region": {"{region}", "3701"}, "parent": {"{region}", "3701"},
	"unit_id": {"{unit}", "{firm}"}, "unit": {"{unit}", "{firm}"}, "enterprise": {"{firm}"}, "dept": {"{dept}"},
	"plan_id": {"{plan}"}, "plan": {"{plan}"}, "task_id": {"{task}"}, "object_id": {"{firm}"}, "actor": {"{user}"},
	"status": {"all", "overdue"}, "year": {"2024", "{year}"}, "all": {"1"}, "mine": {"0"}, "active": {"all"}, "q": {"历下"},
	"tab": {"hazards"}, "from": {"2020-01-01"}, "days": {"3650"}, "month": {"{month}", "2026-06"}, "closed_month": {"{month}"}, "category": {"hazchem"},
}

// matrixRoutes is the entry of every route. A new route gets one here (its
// "METHOD /pattern" as web.Server.Routes gives it).
var matrixRoutes = map[string]mroute{
	// outside the session
	"GET /static/":             {own: "the embedded static files"},
	"GET /healthz":             {own: "the health check"},
	" /":                       {own: "the pages' mux: an unknown address"},
	" /api/":                   {own: "an unknown API address"},
	"GET /api/v1/openapi.json": {own: "the API's document"},

	// signing in and out
	"GET /login":             {own: "the sign-in form", query: []string{"next"}},
	"POST /login":            {own: "signing in (an unknown name)", fresh: true, body: func(*side) map[string]any { return map[string]any{"username": "nobody", "password": "x"} }},
	"POST /logout":           {own: "signing out", fresh: true},
	"POST /api/v1/session":   {own: "signing in (an unknown name)", fresh: true, body: func(*side) map[string]any { return map[string]any{"username": "nobody", "password": "x"} }},
	"DELETE /api/v1/session": {own: "signing out", fresh: true},
	"GET /api/v1/me":         {own: "the viewer itself"},
	"GET /{$}":               {own: "the home page of the viewer's scope"},

	// organisation
	"GET /org/regions": {own: "regions in scope", query: []string{"parent", "q"}},
	"POST /org/regions": {by: "admin", body: func(s *side) map[string]any {
		return map[string]any{"code": s.v("region") + "9" + next()[2:], "name": "测试" + next() + "街道"}
	}, path: map[string]string{}},
	"GET /org/regions/{code}/edit":    {path: map[string]string{"code": "region"}},
	"POST /org/regions/{code}/edit":   {by: "admin", path: map[string]string{"code": "region"}, body: func(*side) map[string]any { return map[string]any{"name": "改名街道"} }},
	"POST /org/regions/{code}/active": {by: "admin", path: map[string]string{"code": "region"}, body: func(*side) map[string]any { return map[string]any{"active": "0"} }},
	"GET /org/units":                  {own: "units in scope", query: []string{"kind", "region", "q", "active"}},
	"GET /org/units/new":              {own: "the unit form"},
	"POST /org/units/new": {body: func(s *side) map[string]any {
		return map[string]any{"name": "测试局" + next(), "kind": "department", "region_code": s.v("region")}
	}},
	"GET /org/units/{id}":      {path: map[string]string{"id": "unit"}},
	"GET /org/units/{id}/edit": {path: map[string]string{"id": "unit"}},
	"POST /org/units/{id}/edit": {path: map[string]string{"id": "unit"}, body: func(s *side) map[string]any {
		return map[string]any{"name": "改名街道办事处", "kind": "street", "region_code": s.v("street-region")}
	}},
	"POST /org/units/{id}/active":                  {path: map[string]string{"id": "unit"}, body: func(*side) map[string]any { return map[string]any{"active": "0"} }},
	"POST /org/units/{id}/members":                 {path: map[string]string{"id": "committee"}, body: func(s *side) map[string]any { return map[string]any{"member_id": s.v("unit"), "role": "member"} }},
	"POST /org/units/{id}/members/{member}/remove": {path: map[string]string{"id": "committee", "member": "unit"}},
	"GET /org/committees":                          {own: "committees in scope"},
	"GET /org/users":                               {own: "users in scope", query: []string{"unit", "role", "q", "active"}},
	"GET /org/users/new":                           {own: "the user form", query: []string{"unit"}},
	"POST /org/users/new":                          {by: "admin", body: func(s *side) map[string]any { return userBody(s) }},
	"GET /org/users/{id}/edit":                     {path: map[string]string{"id": "user"}},
	"POST /org/users/{id}/edit":                    {by: "admin", path: map[string]string{"id": "user"}, body: func(s *side) map[string]any { return userBody(s) }},
	"POST /org/users/{id}/active":                  {by: "admin", path: map[string]string{"id": "user"}, body: func(*side) map[string]any { return map[string]any{"active": "0"} }},
	"POST /org/users/{id}/password":                {by: "admin", path: map[string]string{"id": "user"}, body: func(*side) map[string]any { return map[string]any{"password": "Xinmima2027"} }},
	"POST /org/users/{id}/unlock":                  {by: "admin", path: map[string]string{"id": "user"}},
	"GET /org/calendar":                            {own: "the deployment's holiday table (the State Council's notices: no object of any side)"},
	"POST /org/calendar":                           {own: "the deployment's one holiday table, an administrator's: every viewer here is refused", upload: true, raw: "holidays.csv", body: noticeBody},
	"GET /api/v1/calendar":                         {own: "the deployment's holiday table (the State Council's notices: no object of any side)"},
	"POST /api/v1/calendar":                        {own: "the deployment's one holiday table, an administrator's: every viewer here is refused", raw: "holidays.csv", body: noticeBody},
	"GET /api/v1/regions":                          {own: "regions in scope"},
	"GET /api/v1/regions/{code}":                   {path: map[string]string{"code": "region"}},
	"POST /api/v1/regions": {by: "admin", body: func(s *side) map[string]any {
		return map[string]any{"code": s.v("region") + "9" + next()[2:], "name": "测试" + next() + "街道"}
	}},
	"PUT /api/v1/regions/{code}":        {by: "admin", path: map[string]string{"code": "region"}, body: func(*side) map[string]any { return map[string]any{"name": "改名街道"} }},
	"PUT /api/v1/regions/{code}/active": {by: "admin", path: map[string]string{"code": "region"}, body: func(*side) map[string]any { return map[string]any{"active": false} }},
	"GET /api/v1/units":                 {own: "units in scope (the unit picker)"},
	"POST /api/v1/units": {body: func(s *side) map[string]any {
		return map[string]any{"name": "测试局" + next(), "kind": "department", "region_code": s.v("region")}
	}},
	"GET /api/v1/units/{id}": {path: map[string]string{"id": "unit"}},
	"PUT /api/v1/units/{id}": {path: map[string]string{"id": "unit"}, body: func(s *side) map[string]any {
		return map[string]any{"name": "改名街道办事处", "kind": "street", "region_code": s.v("street-region")}
	}},
	"PUT /api/v1/units/{id}/active":                   {path: map[string]string{"id": "unit"}, body: func(*side) map[string]any { return map[string]any{"active": false} }},
	"GET /api/v1/committees/{id}/members":             {path: map[string]string{"id": "committee"}},
	"PUT /api/v1/committees/{id}/members/{member}":    {path: map[string]string{"id": "committee", "member": "unit"}, body: func(*side) map[string]any { return map[string]any{"role": "member"} }},
	"DELETE /api/v1/committees/{id}/members/{member}": {path: map[string]string{"id": "committee", "member": "unit"}},
	"GET /api/v1/users":                               {own: "users in scope"},
	"POST /api/v1/users": {by: "admin", body: func(s *side) map[string]any {
		b := userBody(s)
		b["unit_id"] = s.n("unit")
		b["roles"] = []string{"member"}
		return b
	}},
	"GET /api/v1/users/{id}": {path: map[string]string{"id": "user"}},
	"PUT /api/v1/users/{id}": {by: "admin", path: map[string]string{"id": "user"}, body: func(s *side) map[string]any {
		b := userBody(s)
		b["unit_id"] = s.n("unit")
		b["roles"] = []string{"member"}
		return b
	}},
	"PUT /api/v1/users/{id}/active":   {by: "admin", path: map[string]string{"id": "user"}, body: func(*side) map[string]any { return map[string]any{"active": false} }},
	"PUT /api/v1/users/{id}/password": {by: "admin", path: map[string]string{"id": "user"}, body: func(*side) map[string]any { return map[string]any{"password": "Xinmima2027"} }},
	"POST /api/v1/users/{id}/unlock":  {by: "admin", path: map[string]string{"id": "user"}},

	// audit
	"GET /audit":                     {own: "the log of the viewer's scope", query: []string{"action", "object_kind", "object_id", "actor"}},
	"GET /audit/head":                {own: "the chain head"},
	"GET /api/v1/audit/events":       {own: "the log of the viewer's scope"},
	"GET /api/v1/audit/events/{seq}": {path: map[string]string{"seq": "event"}},

	// plans
	"GET /plans":         {own: "plans in scope"},
	"POST /plans/review": {own: "a plan's text read back, nothing stored", upload: true, body: func(*side) map[string]any { return map[string]any{"text": planText} }},
	"POST /plans/import": {own: "a plan of the viewer's own office (its text names no unit of the other side)", upload: true, changes: planTables,
		body: func(*side) map[string]any { return map[string]any{"text": planText} }},
	"GET /plans/{id}":            {path: map[string]string{"id": "plan"}},
	"POST /plans/{id}/cadence":   {path: map[string]string{"id": "plan"}, body: func(*side) map[string]any { return map[string]any{"cadence": "month", "cadence_days": "5"} }},
	"GET /plans/{id}/figures":    {path: map[string]string{"id": "plan"}},
	"GET /plans/{id}/sheet.xlsx": {path: map[string]string{"id": "plan"}},
	"POST /plans/{id}/progress": {by: "department", body: func(s *side) map[string]any {
		return map[string]any{"file": "任务编号,任务内容,本单位进展\n" + s.v("task") + "," + s.v("task-text") + ",已研究3次\n"}
	}, quiet: "a unit that reads the plan but leads none of its tasks gets every row rejected; the other county's plan is not found", path: map[string]string{"id": "plan"}, upload: true, raw: "progress.csv"},
	"GET /tasks/{id}":                     {path: map[string]string{"id": "task"}},
	"POST /tasks/{id}/reports":            {by: "department", path: map[string]string{"id": "task"}, upload: true, body: func(*side) map[string]any { return map[string]any{"kind": "progress", "text": "已研究"} }},
	"POST /plans/reports/{id}/decision":   {path: map[string]string{"id": "report"}, body: func(*side) map[string]any { return map[string]any{"decision": "accept"} }},
	"GET /attachments/{id}":               {path: map[string]string{"id": "attachment"}},
	"GET /tasks":                          {own: "the viewer's tasks", query: []string{"status", "plan", "year"}},
	"POST /tasks/instances/{id}/complete": {by: "department", path: map[string]string{"id": "instance"}, body: func(*side) map[string]any { return map[string]any{"evidence": "已研究"} }},
	"GET /scorecard":                      {own: "the scorecards of the viewer's scope", query: []string{"unit", "year"}},
	"GET /supervise":                      {own: "the office's chase page", query: []string{"plan", "status"}},
	"POST /notices": {body: func(s *side) map[string]any {
		return map[string]any{"kind": "reminder", "instance": s.v("instance-open"), "answer_by": soon(10)}
	}},
	"GET /notices":                         {own: "notices in scope", query: []string{"status", "plan"}},
	"GET /notices/{id}":                    {path: map[string]string{"id": "notice"}},
	"GET /notices/{id}/pdf":                {path: map[string]string{"id": "notice"}},
	"GET /notices/{id}/docx":               {path: map[string]string{"id": "notice"}},
	"POST /notices/{id}/answer":            {by: "department", path: map[string]string{"id": "notice"}, body: func(*side) map[string]any { return map[string]any{"answer": "已办"} }},
	"GET /api/v1/plans":                    {own: "plans in scope"},
	"GET /api/v1/plans/{id}":               {path: map[string]string{"id": "plan"}},
	"PUT /api/v1/plans/{id}":               {path: map[string]string{"id": "plan"}, body: func(*side) map[string]any { return map[string]any{"cadence": "month", "cadence_days": 5} }},
	"POST /api/v1/plans/parse":             {own: "a parser", body: func(*side) map[string]any { return map[string]any{"text": planText, "year": 2024} }},
	"POST /api/v1/plans/review":            {own: "units in scope", body: func(*side) map[string]any { return map[string]any{"text": planText, "year": 2024} }},
	"GET /api/v1/assignments":              {own: "assignments in scope"},
	"GET /api/v1/duties":                   {own: "duties in scope"},
	"GET /api/v1/instances":                {own: "dated duties in scope"},
	"POST /api/v1/instances/{id}/complete": {by: "department", path: map[string]string{"id": "instance"}, body: func(*side) map[string]any { return map[string]any{"evidence": "已研究"} }},
	"GET /api/v1/tasks/{id}":               {path: map[string]string{"id": "task"}},
	"GET /api/v1/reports":                  {own: "reports in scope"},
	"POST /api/v1/tasks/{id}/reports":      {by: "department", path: map[string]string{"id": "task"}, body: func(*side) map[string]any { return map[string]any{"kind": "progress", "text": "已研究"} }},
	"POST /api/v1/reports/{id}/decision":   {path: map[string]string{"id": "report"}, body: func(*side) map[string]any { return map[string]any{"accept": true} }},
	"POST /api/v1/plans/{id}/progress": {by: "department", body: func(s *side) map[string]any {
		return map[string]any{"file": "任务编号,任务内容,本单位进展\n" + s.v("task") + "," + s.v("task-text") + ",已研究3次\n"}
	}, quiet: "a unit that reads the plan but leads none of its tasks gets every row rejected; the other county's plan is not found", path: map[string]string{"id": "plan"}, raw: "progress.csv"},
	"GET /api/v1/plans/{id}/figures":   {path: map[string]string{"id": "plan"}},
	"GET /api/v1/units/{id}/scorecard": {path: map[string]string{"id": "dept"}, fixed: "year=" + strconv.Itoa(thisYear())},
	"GET /api/v1/notices":              {own: "notices in scope"},
	"GET /api/v1/notices/{id}":         {path: map[string]string{"id": "notice"}},
	"POST /api/v1/notices": {body: func(s *side) map[string]any {
		return map[string]any{"kind": "reminder", "instance_ids": []int64{s.n("instance-open")}, "answer_by": soon(10)}
	}},
	"POST /api/v1/notices/{id}/answer": {by: "department", path: map[string]string{"id": "notice"}, body: func(*side) map[string]any { return map[string]any{"answer": "已办"} }},

	// enterprises
	"GET /enterprises":                      {own: "the register of the viewer's scope", query: []string{"q", "region", "category", "class", "status", "major", "blacklisted", "dept", "unsupervised", "keylist"}},
	"GET /enterprises.xlsx":                 {own: "the register's export", query: []string{"region", "dept"}},
	"GET /enterprises/new":                  {own: "the registration form"},
	"POST /enterprises/new":                 {body: func(s *side) map[string]any { return firmBody(s) }},
	"GET /enterprises/import":               {own: "the import form"},
	"GET /enterprises/import/template.xlsx": {own: "the import template"},
	"GET /plans/import/template.txt":        {own: "the plan import template"},
	"POST /enterprises/import": {quiet: "the import answers with its rows, refusing those outside the viewer's scope", upload: true, raw: "enterprises.csv", body: func(s *side) map[string]any {
		return map[string]any{"file": "企业名称,统一社会信用代码,所在街道,监管类别\n矩阵导入" + next() + "有限公司," +
			creditCode("91"+s.v("region")[:min(6, len(s.v("region")))]+"MA3Q"+next()+"1") + "," + s.v("street-region") + ",危险化学品\n"}
	}},
	"GET /enterprises/changes":      {own: "change requests in scope", query: []string{"status"}},
	"POST /enterprise-changes/{id}": {path: map[string]string{"id": "change"}, body: func(*side) map[string]any { return map[string]any{"decision": "approve"} }},
	"GET /enterprises/duties":       {own: "the duty rules of the viewer's level"},
	"POST /enterprises/duties": {body: func(s *side) map[string]any {
		return map[string]any{"category": "hazchem", "dept_id": s.v("dept"), "on": "1"}
	}},
	"POST /enterprises/class-rule":   {own: "the deployment's class rule, the viewer's own level", body: func(*side) map[string]any { return map[string]any{"rule": ""} }},
	"GET /enterprises/expiring":      {own: "expiring papers in scope", query: []string{"days"}},
	"POST /enterprises/major-source": {own: "a calculator", body: func(*side) map[string]any { return map[string]any{"people": "10", "chem_0": "液氯", "t_0": "1"} }},
	"GET /enterprises/{id}":          {path: map[string]string{"id": "firm"}, query: []string{"tab"}},
	"GET /enterprises/{id}/edit":     {path: map[string]string{"id": "firm"}},
	"POST /enterprises/{id}/edit":    {path: map[string]string{"id": "firm"}, body: func(s *side) map[string]any { return firmBody(s) }},
	"POST /enterprises/{id}/installations": {path: map[string]string{"id": "firm"}, body: func(*side) map[string]any {
		return map[string]any{"name": "罐区", "kind": "storage", "people": "10", "chem_0": "液氯", "t_0": "1"}
	}},
	"POST /enterprises/{id}/credit": {path: map[string]string{"id": "firm"}, body: func(*side) map[string]any { return creditBody() }},
	"POST /enterprises/{id}/credit/repair": {path: map[string]string{"id": "firm"}, body: func(s *side) map[string]any {
		return map[string]any{"listing": s.v("credit"), "decision": "天安办〔2026〕9号"}
	}},
	"POST /enterprises/{id}/certificates": {path: map[string]string{"id": "firm"}, body: func(*side) map[string]any { return certBody() }},
	"POST /enterprises/{id}/licences": {path: map[string]string{"id": "firm"}, body: func(*side) map[string]any {
		return map[string]any{"kind": "安全生产许可证", "number": "L9", "issuer": "省应急厅", "issued_on": soon(-30), "expires_on": soon(300)}
	}},
	"POST /enterprises/{id}/supervisors": {path: map[string]string{"id": "firm"}, body: func(s *side) map[string]any { return map[string]any{"dept_id": s.v("dept")} }},
	"POST /enterprises/{id}/keylist": {path: map[string]string{"id": "firm"}, body: func(*side) map[string]any {
		return map[string]any{"included": "1", "reason": "涉及重点监管危险化工工艺"}
	}},
	"GET /api/v1/enterprises":                           {own: "the register of the viewer's scope"},
	"POST /api/v1/enterprises":                          {body: func(s *side) map[string]any { return firmBody(s) }},
	"GET /api/v1/enterprises/{id}":                      {path: map[string]string{"id": "firm"}},
	"PUT /api/v1/enterprises/{id}":                      {path: map[string]string{"id": "firm"}, body: func(s *side) map[string]any { return firmBody(s) }},
	"GET /api/v1/enterprises/{id}/file":                 {path: map[string]string{"id": "firm"}},
	"POST /api/v1/enterprises/{id}/installations":       {path: map[string]string{"id": "firm"}, body: func(*side) map[string]any { return installationBody() }},
	"PUT /api/v1/enterprises/{id}/installations/{inst}": {path: map[string]string{"id": "firm", "inst": "installation"}, body: func(*side) map[string]any { return installationBody() }},
	"POST /api/v1/enterprises/{id}/credit":              {path: map[string]string{"id": "firm"}, body: func(*side) map[string]any { return creditBody() }},
	"POST /api/v1/credit/{id}/repair":                   {path: map[string]string{"id": "credit"}, body: func(*side) map[string]any { return map[string]any{"decision": "天安办〔2026〕9号"} }},
	"POST /api/v1/enterprises/{id}/certificates":        {path: map[string]string{"id": "firm"}, body: func(*side) map[string]any { return certBody() }},
	"GET /api/v1/expiring":                              {own: "expiring papers in scope"},
	"POST /api/v1/enterprises/import": {quiet: "the import answers with its rows, refusing those outside the viewer's scope", raw: "enterprises.csv", body: func(s *side) map[string]any {
		return map[string]any{"file": "企业名称,统一社会信用代码,所在街道,监管类别\n矩阵导入" + next() + "有限公司," +
			creditCode("91"+s.v("region")[:min(6, len(s.v("region")))]+"MA3Q"+next()+"1") + "," + s.v("street-region") + ",危险化学品\n"}
	}},
	"GET /api/v1/enterprise-changes":                {own: "change requests in scope"},
	"POST /api/v1/enterprise-changes/{id}/decision": {path: map[string]string{"id": "change"}, body: func(*side) map[string]any { return map[string]any{"approve": true} }},
	"POST /api/v1/rules/penalty": {own: "a calculator", body: func(*side) map[string]any {
		return map[string]any{"article": 114, "grade": "较大"}
	}},
	"POST /api/v1/rules/major-source": {own: "a calculator", body: func(*side) map[string]any {
		return map[string]any{"people": 10, "holdings": []rules.Holding{{Chemical: "液氯", Tonnes: 1}}}
	}},
	"GET /api/v1/rules/credit-code/{code}":    {own: "a calculator", lit: map[string]string{"code": "91370102MA3C000020"}},
	"GET /api/v1/rules/major-hazard-criteria": {own: "the criteria's text"},
	"GET /api/v1/rules/violations":            {own: "the law's table of violations"},

	// hazards
	"GET /hazards":     {own: "hazards in scope", query: []string{"enterprise", "state", "level", "source", "handling", "open", "overdue", "listed", "escalated", "q", "all", "mine", "region", "dept", "category", "year", "month", "closed_month"}},
	"GET /hazards/new": {own: "the report form", query: []string{"enterprise"}},
	"POST /hazards/new": {upload: true, body: func(s *side) map[string]any {
		return map[string]any{"enterprise": s.v("firm"), "place": "仓库", "description": "通道堵塞", "source": "inspection"}
	}},
	"GET /hazards/ledger.xlsx":   {own: "the ledger of the viewer's scope", query: []string{"enterprise", "all", "region", "dept", "year"}},
	"GET /hazards/figures":       {own: "the figures of the viewer's scope", query: []string{"year"}},
	"GET /hazards/bulletin":      {own: "the bulletin of the viewer's scope", query: []string{"from", "to"}},
	"GET /hazards/bulletin.pdf":  {own: "the bulletin of the viewer's scope (its period is tried on the page: one service call)"},
	"GET /hazards/bulletin.docx": {own: "the bulletin of the viewer's scope (its period is tried on the page: one service call)"},
	"GET /hazards/{id}":          {path: map[string]string{"id": "hazard"}},
	"POST /hazards/{id}/act": {path: map[string]string{"id": "hazard"}, upload: true, body: func(*side) map[string]any {
		return map[string]any{"action": "assign", "deadline": soon(30), "writ": "济天应急责改〔2026〕9号"}
	}},
	"POST /hazards/{id}/listing": {path: map[string]string{"id": "hazard"}, body: func(*side) map[string]any { return map[string]any{"deadline": soon(60)} }},
	"POST /hazards/{id}/experts": {path: map[string]string{"id": "hazard"}, body: func(s *side) map[string]any {
		return map[string]any{"expert_ids": s.v("expert"), "question": "是否重大"}
	}},
	"GET /hazard-requests":              {own: "the expert's or unit's requests", query: []string{"status"}},
	"GET /hazard-requests/{id}":         {path: map[string]string{"id": "opinion"}},
	"POST /hazard-requests/{id}/answer": {by: "expert", path: map[string]string{"id": "opinion"}, body: func(*side) map[string]any { return map[string]any{"level": "general", "reasoning": "可即改"} }},
	"GET /hazard-photos/{id}":           {path: map[string]string{"id": "photo"}},
	"GET /hazard-listings":              {own: "listings in scope", query: []string{"mine", "active"}},
	"GET /hazard-listings/{id}/pdf":     {path: map[string]string{"id": "listing"}},
	"GET /hazard-listings/{id}/docx":    {path: map[string]string{"id": "listing"}},
	"GET /api/v1/hazards":               {own: "hazards in scope"},
	"POST /api/v1/hazards": {body: func(s *side) map[string]any {
		return map[string]any{"enterprise_id": s.n("firm"), "place": "仓库", "description": "通道堵塞", "source": "inspection"}
	}},
	"GET /api/v1/hazards/figures":  {own: "the figures of the viewer's scope"},
	"GET /api/v1/hazards/trend":    {own: "the monthly trend of the viewer's scope"},
	"GET /api/v1/hazards/bulletin": {own: "the bulletin of the viewer's scope"},
	"GET /api/v1/hazards/{id}":     {path: map[string]string{"id": "hazard"}},
	"POST /api/v1/hazards/{id}/actions": {path: map[string]string{"id": "hazard"}, body: func(*side) map[string]any {
		return map[string]any{"action": "assign", "deadline": soon(30), "writ": "济天应急责改〔2026〕9号"}
	}},
	"POST /api/v1/hazards/{id}/listings": {path: map[string]string{"id": "hazard"}, body: func(*side) map[string]any { return map[string]any{"deadline": soon(60)} }},
	"GET /api/v1/experts":                {own: "the experts the viewer may ask"},
	"GET /api/v1/hazards/{id}/opinions":  {path: map[string]string{"id": "hazard"}},
	"POST /api/v1/hazards/{id}/opinions": {path: map[string]string{"id": "hazard"}, body: func(s *side) map[string]any {
		return map[string]any{"expert_ids": []int64{s.n("expert")}, "question": "是否重大"}
	}},
	"GET /api/v1/hazard-requests":              {own: "the expert's or unit's requests"},
	"GET /api/v1/hazard-requests/{id}":         {path: map[string]string{"id": "opinion"}},
	"POST /api/v1/hazard-requests/{id}/answer": {by: "expert", path: map[string]string{"id": "opinion"}, body: func(*side) map[string]any { return map[string]any{"level": "general", "reasoning": "可即改"} }},
	"GET /api/v1/hazard-listings":              {own: "listings in scope"},

	// risks
	"GET /risks":                         {own: "risk points in scope", query: []string{"enterprise", "colour", "region"}},
	"GET /risks/new":                     {own: "the risk form", query: []string{"enterprise"}},
	"POST /risks/new":                    {body: func(s *side) map[string]any { b := riskForm(); b["enterprise"] = s.v("firm"); return b }},
	"POST /risks/scheme":                 {own: "the grading scheme of the viewer's own jurisdiction", changes: []string{"settings"}, body: func(*side) map[string]any { return map[string]any{"method": "lec"} }},
	"GET /risks/{id}":                    {path: map[string]string{"id": "risk"}},
	"POST /risks/{id}":                   {path: map[string]string{"id": "risk"}, body: func(s *side) map[string]any { b := riskForm(); b["enterprise"] = s.v("firm"); return b }},
	"GET /risks/{id}/card.pdf":           {path: map[string]string{"id": "risk"}},
	"GET /api/v1/risks":                  {own: "risk points in scope"},
	"GET /api/v1/risks/by-street":        {own: "the four-colour map of the viewer's streets"},
	"GET /api/v1/scorecard/ranking":      {own: "the ranking of the plans the viewer reads"},
	"POST /api/v1/risks":                 {body: func(s *side) map[string]any { return riskBody(s) }},
	"GET /api/v1/risks/colours":          {own: "the colours of the viewer's scope"},
	"GET /api/v1/risks/scheme":           {own: "the viewer's own scheme"},
	"PUT /api/v1/risks/scheme":           {own: "the grading scheme of the viewer's own jurisdiction", changes: []string{"settings"}, body: func(*side) map[string]any { return map[string]any{"method": "lec"} }},
	"GET /api/v1/risks/{id}":             {path: map[string]string{"id": "risk"}},
	"PUT /api/v1/risks/{id}":             {path: map[string]string{"id": "risk"}, body: func(s *side) map[string]any { return riskBody(s) }},
	"GET /api/v1/risks/{id}/assessments": {path: map[string]string{"id": "risk"}},

	// the unit's messages and to-dos, the own account
	"GET /todo":                        {own: "the unit's own to-dos"},
	"GET /inbox":                       {own: "the unit's own messages"},
	"POST /inbox/read":                 {quiet: "marks the unit's own messages only", body: func(s *side) map[string]any { return map[string]any{"id": s.v("message")} }},
	"GET /api/v1/todo":                 {own: "the unit's own to-dos"},
	"GET /api/v1/inbox":                {own: "the unit's own messages"},
	"POST /api/v1/inbox/read":          {quiet: "marks the unit's own messages only", body: func(s *side) map[string]any { return map[string]any{"id": s.n("message2")} }},
	"GET /account/tokens":              {own: "the viewer's own tokens"},
	"POST /account/tokens":             {own: "a token of the viewer's own", changes: []string{"api_tokens"}, body: func(*side) map[string]any { return map[string]any{"name": "矩阵", "password": "Anquan2026"} }},
	"POST /account/tokens/{id}/revoke": {path: map[string]string{"id": "token"}},
	"GET /api/v1/tokens":               {own: "the viewer's own tokens"},
	"POST /api/v1/tokens":              {own: "a token of the viewer's own", changes: []string{"api_tokens"}, body: func(*side) map[string]any { return map[string]any{"name": "矩阵", "password": "Anquan2026"} }},
	"DELETE /api/v1/tokens/{id}":       {path: map[string]string{"id": "token2"}},

	// the viewer's own second factor (issue 17.3); the steps that need a
	// current code or a pending sign-in are tried by auth's and web's
	// two-factor tests, the control run cannot make the code
	"GET /account":                                   {own: "the viewer's own account"},
	"GET /api/v1/account/two-factor":                 {own: "the viewer's own second factor"},
	"GET /login/code":                                {own: "the second step of signing in"},
	"POST /login/code":                               {own: "the second step of signing in (none pending)", fresh: true, noControl: "needs a pending sign-in and its current code"},
	"POST /api/v1/session/code":                      {own: "the second step of signing in (none pending)", fresh: true, noControl: "needs a pending sign-in and its current code"},
	"POST /account/two-factor":                       {own: "enrolling the viewer's own second factor", changes: []string{"user_factors"}, body: func(*side) map[string]any { return map[string]any{"password": "Anquan2026"} }},
	"POST /api/v1/account/two-factor":                {own: "enrolling the viewer's own second factor", changes: []string{"user_factors"}, body: func(*side) map[string]any { return map[string]any{"password": "Anquan2026"} }},
	"POST /account/two-factor/confirm":               {own: "confirming the viewer's own second factor", changes: []string{"user_factors", "recovery_codes"}, noControl: "needs the current code of the factor being enrolled"},
	"POST /api/v1/account/two-factor/confirm":        {own: "confirming the viewer's own second factor", changes: []string{"user_factors", "recovery_codes"}, noControl: "needs the current code of the factor being enrolled"},
	"POST /account/two-factor/recovery-codes":        {own: "the viewer's own recovery codes", changes: []string{"recovery_codes"}, noControl: "needs a confirmed factor and its current code"},
	"POST /api/v1/account/two-factor/recovery-codes": {own: "the viewer's own recovery codes", changes: []string{"recovery_codes"}, noControl: "needs a confirmed factor and its current code"},
	"POST /account/two-factor/disable":               {own: "removing the viewer's own second factor", changes: []string{"user_factors", "recovery_codes"}, noControl: "needs a confirmed factor and its current code"},
	"POST /api/v1/account/two-factor/disable":        {own: "removing the viewer's own second factor", changes: []string{"user_factors", "recovery_codes"}, noControl: "needs a confirmed factor and its current code"},
	"POST /account/two-factor/setting":               {own: "the deployment's two-factor setting (an administrator's)", noControl: "a deployment-wide setting; auth's TestSettingForcesEnrolment turns it on"},
	"PUT /api/v1/settings/two-factor":                {own: "the deployment's two-factor setting (an administrator's)", noControl: "a deployment-wide setting; auth's TestSettingForcesEnrolment turns it on"},
}

// noticeBody is the invented 2027 holiday notice (a test fixture, not the
// State Council's: internal/calendar/testdata/README.md).
func noticeBody(*side) map[string]any {
	b, _ := os.ReadFile("../calendar/testdata/holidays_2027_invented.csv")
	return map[string]any{"file": string(b)}
}

var planTables = []string{"plans", "plan_items", "plan_tasks", "plan_assignments", "plan_obligations", "plan_instances", "plan_unit_names", "counters"}

const planText = "2026年工作要点\n一、总则\n(一)加强领导。每季度至少研究1次。\n"

func userBody(s *side) map[string]any {
	return map[string]any{"username": "matrix" + next(), "display_name": "矩阵", "unit_id": s.v("unit"), "roles": "member", "password": "Anquan2026"}
}

func firmBody(s *side) map[string]any {
	return map[string]any{"name": "矩阵" + next() + "有限公司", "credit_code": creditCode("91" + s.v("region")[:min(6, len(s.v("region")))] + "MA3M" + next() + "1"),
		"region_code": s.v("street-region"), "categories": "危险化学品"}
}

func creditBody() map[string]any {
	return map[string]any{"reason": "瞒报事故", "basis": "办法第八条", "listed_on": soon(-10)}
}

func certBody() map[string]any {
	return map[string]any{"person": "李四", "post": "安全生产管理人员", "number": "M" + next(), "issued_on": soon(-30)}
}

func installationBody() map[string]any {
	return map[string]any{"name": "罐区", "kind": "storage", "people": 10, "holdings": []rules.Holding{{Chemical: "液氯", Tonnes: 1}}}
}

func riskForm() map[string]any {
	return map[string]any{"name": "装卸区", "factors": "泄漏", "accidents": "火灾", "measures": "巡检", "responsible": "李四", "l": "3", "e": "6", "c": "7"}
}

func riskBody(s *side) map[string]any {
	return map[string]any{"enterprise_id": s.n("firm"), "name": "装卸区", "factors": "泄漏", "accidents": "火灾", "measures": "巡检",
		"responsible": "李四", "inputs": map[string]any{"l": 3, "e": 6, "c": 7}}
}

// matrixTally counts what the matrix tried.
type matrixTally struct {
	requests, refusals, leaks, skipped int
	pairs                              map[string]bool // route × viewer tried
}

// TestScopeMatrix runs the matrix on SQLite; PostgreSQL's run is CI's step
// of its own (ANWEI_TEST_MATRIX_PG=1, see .ci/run): it takes longer than the
// suite's budget allows.
func TestScopeMatrix(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { runMatrix(t, storetest.SQLite(t)) })
	t.Run("postgres", func(t *testing.T) {
		if os.Getenv("ANWEI_TEST_MATRIX_PG") == "" {
			t.Skip("the matrix on PostgreSQL is a CI step of its own: ANWEI_TEST_MATRIX_PG=1 go test -run TestScopeMatrix ./internal/app")
		}
		runMatrix(t, storetest.Postgres(t))
	})
}

// TestEveryRouteHasAMatrixEntry fails naming a route the server registers
// without an entry in matrixRoutes, and an entry no route has.
func TestEveryRouteHasAMatrixEntry(t *testing.T) {
	for _, msg := range matrixGaps(routesOf(t, storetest.SQLite(t)), matrixRoutes) {
		t.Error(msg)
	}
}

func routesOf(t *testing.T, db *store.DB) []web.Route {
	s := apptest.New(t, db, app.Wiring{})
	srv, err := web.New(s.Services, web.Options{Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	return srv.Routes()
}

func routeKey(r web.Route) string { return r.Method + " " + r.Path }

// matrixGaps names the routes without an entry and the entries without a route.
func matrixGaps(routes []web.Route, entries map[string]mroute) []string {
	var out []string
	have := map[string]bool{}
	for _, r := range routes {
		have[routeKey(r)] = true
		if _, ok := entries[routeKey(r)]; !ok {
			out = append(out, fmt.Sprintf("route %q has no entry in the scope matrix: add one to matrixRoutes (internal/app/matrix_test.go)", routeKey(r)))
		}
	}
	for k := range entries {
		if !have[k] {
			out = append(out, fmt.Sprintf("matrixRoutes has an entry for %q, which the server no longer registers", k))
		}
	}
	sort.Strings(out)
	return out
}

// matrixWorld is the fixture served through the real handler.
type matrixWorld struct {
	f       *fixture
	h       http.Handler
	routes  []web.Route
	viewers []*viewer
	tally   matrixTally
	answers []string // the current write route's requests and statuses
	// digestAll read each table's rows as one text, a row per table
	digestAll []string
}

func runMatrix(t *testing.T, db *store.DB) {
	start := time.Now()
	ctx := context.Background()
	f := newFixture(t, db)
	srv, err := web.New(f.svc.Services, web.Options{Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	w := &matrixWorld{f: f, h: srv.Handler(), routes: srv.Routes(), tally: matrixTally{pairs: map[string]bool{}}}
	for _, gap := range matrixGaps(w.routes, matrixRoutes) {
		t.Error(gap) // and the route is not tried
	}
	w.viewers = matrixViewers(t, ctx, f)
	built := time.Since(start)
	for _, v := range w.viewers {
		if v.username != "" {
			v.cookie = w.login(t, v.username)
		}
	}
	w.counts(t, ctx)
	for _, rt := range w.routes {
		e, ok := matrixRoutes[routeKey(rt)]
		if !ok {
			continue
		}
		write := rt.Method != "GET" && rt.Method != ""
		// A write is refused without a trace: the database's rows are
		// compared before and after the route's requests (after each one
		// where the entry allows its own changes).
		var base map[string]string
		if write {
			base = w.digest(t)
		}
		w.answers = w.answers[:0]
		for _, v := range w.viewers {
			if len(e.path) == 0 && (e.body == nil || e.own != "") && e.quiet == "" {
				// the request names nothing of a side: once, against all of them
				w.try(t, rt, e, v, v.sides)
			} else {
				for _, sd := range v.sides {
					w.try(t, rt, e, v, []*side{sd})
				}
			}
			if write && len(e.changes) > 0 {
				after := w.digest(t)
				if changed := diff(base, after, e.changes); len(changed) > 0 {
					w.tally.leaks++
					t.Errorf("LEAK %s as %s: the write changed %v", routeKey(rt), v.name, changed)
				}
				base = after
			}
		}
		if write && len(e.changes) == 0 {
			if changed := diff(base, w.digest(t), nil); len(changed) > 0 {
				w.tally.leaks++
				t.Errorf("LEAK %s: a write changed %v; the answers were:\n%s", routeKey(rt), changed, strings.Join(w.answers, "\n"))
			}
		}
	}
	controls, conflicts := w.control(t)
	t.Logf("scope matrix (%s): control: %d writes done by the other side's own users on their objects with the same bodies (%d met the object's state: 409)", db.Dialect, controls, conflicts)
	t.Logf("scope matrix (%s): %d routes × %d viewers (7 users of county A in 6 roles, and the public; the administrator's scope is the whole deployment) = %d route×viewer pairs tried (%d viewer×side pairs), %d requests, %d refusals, %d leaks; %d route×side pairs not applicable (the side has no such object); fixture %v, run %v",
		db.Dialect, len(w.routes), len(w.viewers), len(w.tally.pairs), w.sidePairs(), w.tally.requests, w.tally.refusals, w.tally.leaks, w.tally.skipped,
		built.Round(time.Millisecond), (time.Since(start) - built).Round(time.Millisecond))
	if w.tally.leaks > 0 {
		t.Errorf("%d leaks", w.tally.leaks)
	}
}

func (w *matrixWorld) sidePairs() int {
	n := 0
	for _, v := range w.viewers {
		n += len(v.sides)
	}
	return n
}

func (w *matrixWorld) login(t *testing.T, username string) string {
	t.Helper()
	sess, _, err := w.f.auth.Login(context.Background(), username, "Anquan2026", "192.0.2.1")
	if err != nil {
		t.Fatalf("sign in %s: %v", username, err)
	}
	return sess
}

// matrixViewers extends the two-county fixture with what the matrix needs
// (a second street with its enterprise, a department that supervises none
// of county A's, its officer, a street's user) and returns every viewer with
// the sides it must not reach. The administrator is no viewer: its scope is
// the whole deployment (org.ScopeOf), so it has no other side.
func matrixViewers(t *testing.T, ctx context.Context, f *fixture) []*viewer {
	t.Helper()
	for _, c := range []*county{&f.a, &f.b} {
		f.matrixInspections(t, c) // an inspection in every state, for the routes that write one
	}
	county := func(c *county) *side {
		s := &side{name: "county " + c.code, ids: map[string]string{
			"region": c.code, "street-region": c.street.RegionCode, "unit": sid(c.street.ID), "dept": sid(c.dept.ID), "committee": sid(c.committee.ID),
			"user": sid(c.entUs.UserID), "plan": sid(c.plan.PlanID), "task": sid(c.task), "report": sid(c.report), "attachment": sid(c.attachment),
			"notice": sid(c.notice), "message": sid(c.message), "firm": sid(c.firm), "hazard": sid(c.hazard), "photo": sid(c.hazardPhoto),
			"listing": sid(c.hazardListing), "risk": sid(c.riskPoint), "opinion": sid(c.opinion), "change": sid(c.change), "credit": sid(c.listing),
			"expert": sid(c.expert.UserID),
		}, markers: []string{c.code, org.OfficialName(c.code)}}
		maps.Copy(s.ids, enforceIDs(c))
		is, err := instances(ctx, f, c)
		if err != nil {
			t.Fatal(err)
		}
		s.ids["instance"], s.ids["instance-open"] = sid(is[2].ID), sid(is[1].ID)
		var text string // the task's text, which a progress sheet repeats
		if err := f.db.QueryRow(ctx, "SELECT text FROM plan_tasks WHERE id = ?", c.task).Scan(&text); err != nil {
			t.Fatal(err)
		}
		s.ids["task-text"] = text
		for _, k := range []string{"message", "message2"} { // unread messages to the office, one for each read route
			var id int64
			err := f.db.Tx(ctx, func(tx *store.Tx) error {
				err := inbox.Send(ctx, tx, time.Now(), c.office.ID, "notice", "矩阵测试消息", "/inbox", "matrix:"+k)
				return err
			})
			if err == nil {
				err = f.db.QueryRow(ctx, "SELECT id FROM inbox WHERE unit_id = ? AND dedup = ?", c.office.ID, "matrix:"+k).Scan(&id)
			}
			if err != nil {
				t.Fatal(err)
			}
			s.ids[k] = sid(id)
		}
		inst, err := f.ents.SaveInstallation(ctx, c.officeUser, c.firm, 0, enterprise.InstallationInput{Name: "液氯罐区", Kind: "storage", People: 10,
			Holdings: []rules.Holding{{Chemical: "液氯", Tonnes: 1}}})
		if err != nil {
			t.Fatal(err)
		}
		s.ids["installation"] = sid(inst.ID)
		ts, err := f.auth.ListTokens(ctx, c.officeUser)
		if err != nil || len(ts) == 0 {
			t.Fatalf("county %s's office's tokens: %v", c.code, err)
		}
		s.ids["token"] = sid(ts[0].ID)
		if _, tk, err := f.auth.IssueToken(ctx, c.officeUser, auth.TokenInput{Name: "对接二", Area: "hazard"}); err != nil {
			t.Fatal(err)
		} else {
			s.ids["token2"] = sid(tk.ID)
		}
		var seq string
		if err := f.db.QueryRow(ctx, "SELECT seq FROM audit_events WHERE action = 'unit.create' AND object_id = ?", sid(c.enterprise.ID)).Scan(&seq); err != nil {
			t.Fatal(err)
		}
		s.ids["event"] = seq
		return s
	}
	a, b := &f.a, &f.b
	sideB := county(b)
	sideA := county(a)

	// the objects of one enterprise of county A: what another enterprise,
	// a department that does not supervise it, a street it is not in see
	// nothing of
	firm, err := f.ents.Get(ctx, org.System, a.firm)
	if err != nil {
		t.Fatal(err)
	}
	firmSide := func(name string, e enterprise.Enterprise, hz hazard.Hazard, photo, rp int64) *side {
		return &side{name: name, ids: map[string]string{
			"firm": sid(e.UnitID), "unit": sid(e.UnitID), "hazard": sid(hz.ID), "photo": sid(photo), "risk": sid(rp),
		}, markers: []string{e.Name, e.CreditCode, hz.Number}}
	}
	hzA, err := f.hzs.Get(ctx, org.System, a.hazard)
	if err != nil {
		t.Fatal(err)
	}
	sideFirm := firmSide("an enterprise of county A", firm, hzA, a.hazardPhoto, a.riskPoint)
	sideFirm.ids["opinion"], sideFirm.ids["listing"], sideFirm.ids["change"], sideFirm.ids["credit"] = sid(a.opinion), sid(a.hazardListing), sid(a.change), sid(a.listing)
	ins, err := f.ents.Installations(ctx, org.System, a.firm)
	if err != nil || len(ins) == 0 {
		t.Fatalf("installations: %v", err)
	}
	sideFirm.ids["installation"] = sid(ins[0].ID)

	// a second street of county A with an enterprise, its hazard and risk point
	rs, err := org.Subtree(a.code)
	if err != nil {
		t.Fatal(err)
	}
	var street2 string
	for _, r := range rs {
		if r.Level == org.LevelTownship && r.Code != a.street.RegionCode {
			street2 = r.Code
			break
		}
	}
	e2, err := f.ents.Create(ctx, a.officeUser, enterprise.Input{Name: "天桥区二街矩阵机械有限公司", CreditCode: creditCode("91370105MA3M00991"),
		RegionCode: street2, Categories: "危险化学品"})
	if err != nil {
		t.Fatal(err)
	}
	h2, err := f.hzs.Report(ctx, a.officeUser, hazard.ReportInput{EnterpriseID: e2.UnitID, Place: "车间", Description: "护栏缺失", Source: "inspection",
		Photos: []files.Upload{{Name: "护栏.jpg", ContentType: "image/jpeg", Body: strings.NewReader("\xff\xd8\xff\xe0 jpeg street2")}}})
	if err != nil {
		t.Fatal(err)
	}
	ps, err := f.hzs.ListPhotos(ctx, org.System, h2.ID)
	if err != nil || len(ps) != 1 {
		t.Fatalf("photos: %v", err)
	}
	rp2, err := f.risks.Create(ctx, a.officeUser, risk.Input{EnterpriseID: e2.UnitID, Name: "冲压区", Factors: "机械伤害", Accidents: "机械伤害",
		Measures: "防护", Responsible: "王五", Inputs: risk.Inputs{L: 3, E: 6, C: 7}})
	if err != nil {
		t.Fatal(err)
	}
	sideStreet := firmSide("the other street of county A", e2, h2, ps[0].ID, rp2.ID)
	sideStreet.ids["region"], sideStreet.ids["street-region"] = street2, street2

	// county A's department's plan work (its report and attachment, its
	// dated duties, the office's reminder to it, the office's messages):
	// nothing of it is another unit's. Its names are no marks (a street
	// sees the county's departments in pickers): the objects are tried by
	// id. The plan and its tasks are read by every government unit of the
	// county (issued to the whole jurisdiction, plan.planScope), not by an
	// enterprise or an expert (sideWorkAll).
	sideWork := &side{name: "county A's department's plan work", ids: map[string]string{
		"report": sid(a.report), "attachment": sid(a.attachment), "notice": sid(a.notice), "instance": sideA.ids["instance"],
		"instance-open": sideA.ids["instance-open"], "committee": sid(a.committee.ID), "message": sideA.ids["message"], "message2": sideA.ids["message2"],
	}}
	maps.Copy(sideWork.ids, enforceIDs(a)) // county A's department's enforcement: its own
	sideWorkAll := &side{name: "county A's plan", ids: maps.Clone(sideWork.ids)}
	sideWorkAll.ids["plan"], sideWorkAll.ids["task"], sideWorkAll.ids["task-text"] = sid(a.plan.PlanID), sid(a.task), sideA.ids["task-text"]
	mk := func(name string, in org.UnitInput) org.Unit {
		u, err := f.orgs.CreateUnit(ctx, org.System, in)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return u
	}
	dept2 := mk("dept2", org.UnitInput{Name: "天桥区市场监督管理局", Kind: org.KindDepartment, RegionCode: a.code})
	f.user(t, a.code+"d2", dept2, org.RoleMember)
	f.user(t, a.code+"p2", dept2, org.RoleOfficer)
	f.user(t, a.code+"s", a.street, org.RoleTerritorial)
	f.user(t, b.code+"a", b.gov, org.RoleAdmin) // county B's administrator, for the control run

	return []*viewer{
		{name: "office of county A", username: "u" + a.code + "o", sides: []*side{sideB}},
		{name: "department of county A", username: "u" + a.code + "d", sides: []*side{sideB}},
		{name: "a department of county A supervising none of its enterprises", username: "u" + a.code + "d2", sides: []*side{sideFirm, sideWork, sideB}},
		{name: "an officer of that department", username: "u" + a.code + "p2", sides: []*side{sideFirm, sideWork, sideB}},
		{name: "a street of county A", username: "u" + a.code + "s", sides: []*side{sideStreet, sideWork, sideB}},
		{name: "an enterprise of county A", username: "u" + a.code + "e", sides: []*side{sideFirm, sideWorkAll, sideB}},
		{name: "an expert of county A's pool", username: "u" + a.code + "x", sides: []*side{sideWorkAll, sideB}},
		{name: "the public", sides: []*side{sideB}},
	}
}

var paramRe = regexp.MustCompile(`\{([a-z]+)(\.\.\.)?\}`)

// try runs one route as one viewer against sides: the plain request, then
// each filter parameter, with the sides' values where it names an object.
// A request naming an object is tried on one side; one naming none on all
// of the viewer's sides at once. base is the database's digest before; it
// returns the digest after.
func (w *matrixWorld) try(t *testing.T, rt web.Route, e mroute, v *viewer, sides []*side) {
	t.Helper()
	vw := v.name
	sd := sides[0]
	method, p := rt.Method, rt.Path
	if method == "" {
		method = "GET"
		p += "matrix-nowhere"
	}
	if p == "/{$}" {
		p = "/"
	}
	if p == "/static/" {
		p = "/static/app.js"
	}
	foreign := false
	missing := ""
	p = paramRe.ReplaceAllStringFunc(p, func(m string) string {
		name := paramRe.FindStringSubmatch(m)[1]
		if l, ok := e.lit[name]; ok {
			return l
		}
		kind, ok := e.path[name]
		if !ok {
			missing = "path parameter " + name + " has no kind in its entry"
			return m
		}
		id, ok := sd.id(kind)
		if !ok {
			missing = "-"
			return m
		}
		foreign = true
		return url.PathEscape(id)
	})
	if e.fixed != "" {
		p += "?" + e.fixed
	}
	key := routeKey(rt)
	switch {
	case missing == "-":
		w.tally.skipped++
		return
	case missing != "":
		t.Errorf("%s: %s", key, missing)
		return
	}
	w.tally.pairs[key+"|"+v.name] = true
	write := method != "GET" && method != "HEAD"
	var body map[string]any
	if e.body != nil {
		sd.lacks = false
		body = e.body(sd)
		if sd.lacks {
			w.tally.skipped++
			return
		}
		if e.own == "" {
			foreign = true // the body names the other side's object
		}
	}
	if e.quiet != "" {
		foreign = true
	}
	cookie := v.cookie
	if e.fresh && v.username != "" {
		cookie = w.login(t, v.username)
	}
	on := sd.name
	if len(sides) > 1 {
		on = "every side"
	}
	req, asked := w.request(t, method, p, e, body, cookie)
	status, loc, text := w.serve(req)
	w.tally.requests++
	refused := status >= 400 || (status == http.StatusSeeOther && strings.HasPrefix(loc, "/login"))
	if refused {
		w.tally.refusals++
	}
	what := fmt.Sprintf("%s as %s on %s (%s %s → %d)", key, v.name, on, method, p, status)
	w.leaks(t, what, text, asked, sides)
	if write {
		w.answers = append(w.answers, what)
		if foreign && e.quiet == "" && !refused {
			w.tally.leaks++
			t.Errorf("LEAK %s: a write naming the other side's object was not refused: %.300s", what, text)
		}
		return
	}
	if foreign && e.own == "" && !refused {
		w.tally.leaks++
		t.Errorf("LEAK %s: the other side's object was not refused: %.300s", what, text)
	}
	// filters only narrow: a value naming a side's object is tried per
	// side, a plain value (a status, a year) once
	if foreign || method != "GET" {
		return
	}
	for _, q := range w.filtersOf(rt, e) {
		for _, val := range filterValues[q] {
			for _, sd := range sides {
				v := strings.NewReplacer("{region}", sd.ids["region"], "{unit}", sd.ids["unit"], "{firm}", sd.ids["firm"], "{dept}", sd.ids["dept"],
					"{plan}", sd.ids["plan"], "{task}", sd.ids["task"], "{user}", sd.ids["user"],
					// the fixture's objects are made now: a month or year filter
					// of another time finds nothing and could not show a leak
					"{month}", now.Format("2006-01"), "{year}", now.Format("2006")).Replace(val)
				against := []*side{sd}
				if v == val {
					against = sides
				}
				if v != "" {
					sep := "?"
					if strings.Contains(p, "?") {
						sep = "&"
					}
					fr, asked := w.request(t, method, p+sep+url.Values{q: {v}}.Encode(), e, nil, cookie)
					st, _, text := w.serve(fr)
					w.tally.requests++
					if st >= 400 {
						w.tally.refusals++
					}
					w.leaks(t, fmt.Sprintf("%s as %s, filter %s=%s (→ %d)", key, vw, q, v, st), text, asked, against)
				}
				if v == val {
					break // a plain value: once for all sides
				}
			}
		}
	}
}

// counts shows that no answer counts the other side: every listing,
// figure, export and page that names no object is asked by every viewer,
// then county B (every viewer's other side) gains a hazard, an enterprise,
// a risk point and a report, and every answer must be the same as before.
func (w *matrixWorld) counts(t *testing.T, ctx context.Context) {
	t.Helper()
	type ask struct {
		key  string
		v    *viewer
		req  func() *http.Request
		seen string
	}
	var asks []*ask
	for _, rt := range w.routes {
		e, ok := matrixRoutes[routeKey(rt)]
		if !ok || rt.Method != "GET" || len(e.path) > 0 || e.lit != nil || e.sameAfter != "" {
			continue
		}
		if strings.HasSuffix(rt.Path, ".pdf") {
			continue // a PDF's figures are its .docx twin's, from one service call (a PDF costs 50 ms)
		}
		p := strings.Replace(rt.Path, "/{$}", "/", 1)
		for _, v := range w.viewers {
			a := &ask{key: routeKey(rt), v: v, req: func() *http.Request { r, _ := w.request(t, "GET", p, e, nil, v.cookie); return r }}
			_, _, seen := w.serve(a.req())
			a.seen = comparable(seen)
			asks = append(asks, a)
		}
	}
	b := &w.f.b
	e, err := w.f.ents.Create(ctx, b.officeUser, enterprise.Input{Name: org.OfficialName(b.code) + "矩阵新增有限公司", CreditCode: creditCode("91370102MA3N00771"),
		RegionCode: b.street.RegionCode, Categories: "危险化学品"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.f.hzs.Report(ctx, b.officeUser, hazard.ReportInput{EnterpriseID: e.UnitID, Place: "仓库", Description: "通道堵塞", Source: "inspection"}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.f.risks.Create(ctx, b.officeUser, risk.Input{EnterpriseID: e.UnitID, Name: "仓库", Factors: "火源", Accidents: "火灾",
		Measures: "禁火", Responsible: "赵六", Inputs: risk.Inputs{L: 6, E: 6, C: 15}}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.f.plans.SubmitReport(ctx, b.deptUser, b.task, plan.KindProgress, "已部署", nil); err != nil {
		t.Fatal(err)
	}
	for _, a := range asks {
		w.tally.requests++
		_, _, now := w.serve(a.req())
		if now = comparable(now); now != a.seen {
			w.tally.leaks++
			i := 0
			for i < len(now) && i < len(a.seen) && now[i] == a.seen[i] {
				i++
			}
			lo := max(0, i-90)
			t.Errorf("LEAK %s as %s: the answer changed when only county B's rows did (a count of the other side?): before …%s…, after …%s…",
				a.key, a.v.name, a.seen[lo:min(len(a.seen), i+90)], now[lo:min(len(now), i+90)])
		}
	}
}

// control does every write that named the other side's object as county
// B's own user (entry.by) on county B's object, with the same body: it must
// be done (or meet the object's state, 409), so the matrix's refusals were
// for the scope, not for a body the route refuses anyway. It runs after the
// matrix, in route order, and changes county B.
func (w *matrixWorld) control(t *testing.T) (done, conflicts int) {
	t.Helper()
	b := w.viewers[0].sides[0] // county B
	users := map[string]string{"office": "u" + w.f.b.code + "o", "department": "u" + w.f.b.code + "d", "expert": "u" + w.f.b.code + "x",
		"admin": "u" + w.f.b.code + "a"}
	cookies := map[string]string{}
	for _, rt := range w.routes {
		e := matrixRoutes[routeKey(rt)]
		if rt.Method == "GET" || rt.Method == "" || e.own != "" || e.noControl != "" {
			continue
		}
		by := cmp.Or(e.by, "office")
		if cookies[by] == "" {
			cookies[by] = w.login(t, users[by])
		}
		p := paramRe.ReplaceAllStringFunc(rt.Path, func(m string) string {
			name := paramRe.FindStringSubmatch(m)[1]
			if l, ok := e.lit[name]; ok { // a literal parameter, as in the viewers' runs
				return l
			}
			return url.PathEscape(b.ids[e.path[name]])
		})
		var body map[string]any
		if e.body != nil {
			body = e.body(b)
		}
		var before map[string]string
		if e.quiet != "" {
			before = w.digest(t) // its answer says success either way: the rows tell
		}
		req, _ := w.request(t, rt.Method, p, e, body, cookies[by])
		status, loc, text := w.serve(req)
		switch {
		case status == http.StatusConflict:
			conflicts++
		case e.quiet != "" && len(diff(before, w.digest(t), nil)) == 0:
			t.Errorf("control: %s by county B's %s on its own object changed nothing → %d: %s", routeKey(rt), by, status, errorOf(text))
		case status < 300 || (status == http.StatusSeeOther && !strings.HasPrefix(loc, "/login")):
			done++
		default:
			t.Errorf("control: %s by county B's %s on its own object → %d: the matrix's refusal may be for the body, not the scope (set the entry's body, by, or noControl with the reason): %s",
				routeKey(rt), by, status, errorOf(text))
		}
	}
	return done, conflicts
}

var errRe = regexp.MustCompile(`"message":"([^"]*)"|class="flash err"[^>]*>([^<]*)<|<p class="error">([^<]*)<`)

// errorOf is the error message of an answer, for a failure's report.
func errorOf(text string) string {
	if m := errRe.FindStringSubmatch(text); m != nil {
		return m[1] + m[2] + m[3]
	}
	return fmt.Sprintf("%.200s", text)
}

// filtersOf are the filter parameters of a listing: the API table's
// documented query parameters, or the page entry's.
func (w *matrixWorld) filtersOf(rt web.Route, e mroute) []string {
	qs := e.query
	if strings.HasPrefix(rt.Path, "/api/") {
		qs = append(slices.Clone(qs), rt.Query...)
	}
	var out []string
	for _, q := range qs {
		if _, ok := filterValues[q]; ok && !slices.Contains(out, q) {
			out = append(out, q)
		}
	}
	return out
}

func (w *matrixWorld) request(t *testing.T, method, target string, e mroute, body map[string]any, cookie string) (*http.Request, string) {
	t.Helper()
	var rd io.Reader
	ctype := ""
	switch {
	case e.raw != "" && !e.upload:
		target += "?name=" + e.raw
		rd, ctype = strings.NewReader(fileOf(e, body)), "text/csv"
	case e.upload:
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		for k, v := range body {
			for _, s := range formValues(v) {
				if k != "file" || e.raw == "" {
					_ = mw.WriteField(k, s)
				}
			}
		}
		if e.raw != "" {
			field := e.field
			if field == "" {
				field = "file"
			}
			fw, _ := mw.CreateFormFile(field, e.raw)
			_, _ = fw.Write([]byte(fileOf(e, body)))
		}
		_ = mw.Close()
		rd, ctype = &buf, mw.FormDataContentType()
	case body != nil && strings.HasPrefix(target, "/api/"):
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd, ctype = bytes.NewReader(b), "application/json"
	case body != nil:
		vals := url.Values{}
		for k, v := range body {
			vals[k] = formValues(v)
		}
		rd, ctype = strings.NewReader(vals.Encode()), "application/x-www-form-urlencoded"
	}
	r := httptest.NewRequest(method, target, rd)
	if ctype != "" {
		r.Header.Set("Content-Type", ctype)
	}
	if cookie != "" {
		r.AddCookie(&http.Cookie{Name: "anwei_session", Value: cookie})
	}
	r.RemoteAddr = "192.0.2.1:4000"
	asked := target
	if u, err := url.QueryUnescape(target); err == nil {
		asked += " " + u
	}
	if e.raw != "" {
		asked += " " + fileOf(e, body)
	}
	for k, v := range body {
		asked += " " + k + "=" + strings.Join(formValues(v), ",")
	}
	return r, asked
}

// rawFiles are the files an entry sends unless its body gives one.
var rawFiles = map[string]string{}

// fileOf is the file a raw entry sends.
func fileOf(e mroute, body map[string]any) string {
	if f, ok := body["file"].(string); ok {
		return f
	}
	return rawFiles[e.raw]
}

func formValues(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []string:
		return x
	case []int64:
		var out []string
		for _, n := range x {
			out = append(out, strconv.FormatInt(n, 10))
		}
		return out
	default:
		return []string{fmt.Sprint(x)}
	}
}

// extracted parts a binary answer's bytes from the text read out of them.
const extracted = "\x00extracted:\x00"

// comparable is what of an answer counts when two are compared: a binary
// answer's text (its bytes carry dates and ids of their own), as a sorted
// list of its markup's pieces (rows read from a map may come in any order).
func comparable(text string) string {
	if _, x, ok := strings.Cut(text, extracted); ok {
		text = x
	}
	parts := strings.Split(text, "<")
	sort.Strings(parts)
	return strings.Join(parts, "<")
}

// serve answers the request in-process and returns its status, redirect
// and every text it carries: the body, the text inside a .xlsx or .docx,
// a PDF's text layer.
func (w *matrixWorld) serve(r *http.Request) (int, string, string) {
	rec := httptest.NewRecorder()
	w.h.ServeHTTP(rec, r)
	b := rec.Body.Bytes()
	text := string(b)
	switch {
	case bytes.HasPrefix(b, []byte("PK")):
		text += extracted + zipText(b)
	case bytes.HasPrefix(b, []byte("%PDF")):
		text += extracted + pdfText(b)
	}
	return rec.Code, rec.Header().Get("Location"), text + "\n" + rec.Header().Get("Content-Disposition")
}

// leaks reports a mark of the sides in an answer, unless the request
// itself carried it (a refusal may repeat what was asked).
func (w *matrixWorld) leaks(t *testing.T, what, text, asked string, sides []*side) {
	t.Helper()
	for _, sd := range sides {
		for _, m := range sd.markers {
			if m == "" || strings.Contains(asked, m) {
				continue
			}
			if i := strings.Index(text, m); i >= 0 {
				w.tally.leaks++
				lo, hi := max(0, i-120), min(len(text), i+len(m)+120)
				t.Errorf("LEAK %s: the answer shows %s's %q: …%s…", what, sd.name, m, text[lo:hi])
				return
			}
		}
	}
}

// zipText is the text of the XML parts of a .xlsx or .docx.
func zipText(b []byte) string {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return ""
	}
	var sb strings.Builder
	for _, f := range zr.File {
		if !strings.HasSuffix(f.Name, ".xml") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			continue
		}
		x, _ := io.ReadAll(io.LimitReader(rc, 1<<24))
		rc.Close()
		sb.Write(x)
	}
	return sb.String()
}

var (
	pdfBfRe    = regexp.MustCompile(`<([0-9A-Fa-f]+)><([0-9A-Fa-f]+)><([0-9A-Fa-f]+)>`)
	pdfFontRe  = regexp.MustCompile(`/F(\d+)\s+(\d+) 0 R`)
	pdfTUniRe  = regexp.MustCompile(`/ToUnicode\s+(\d+) 0 R`)
	pdfTextOps = regexp.MustCompile(`/F(\d+) [\d.]+ Tf|<([0-9A-Fa-f]*)>`)
)

// pdfText reads a PDF's text layer as internal/docs writes it (gopdf: each
// font's ToUnicode map, hex glyph strings in the page contents).
func pdfText(b []byte) string {
	dict, data := map[string][]byte{}, map[string][]byte{}
	for rest := b; ; {
		i := bytes.Index(rest, []byte(" 0 obj"))
		if i < 0 {
			break
		}
		j := i
		for j > 0 && rest[j-1] >= '0' && rest[j-1] <= '9' {
			j--
		}
		n := string(rest[j:i])
		rest = rest[i+len(" 0 obj"):]
		end := bytes.Index(rest, []byte("endobj"))
		if end < 0 {
			break
		}
		body := rest[:end]
		rest = rest[end:]
		k := bytes.Index(body, []byte("stream"))
		if k < 0 {
			dict[n] = body
			continue
		}
		dict[n] = body[:k]
		if bytes.Contains(body[:k], []byte("/Length1")) || bytes.Contains(body[:k], []byte("/Subtype /Image")) {
			continue // a font program or a picture: no text
		}
		s := bytes.TrimLeft(body[k+len("stream"):], "\r\n")
		if e := bytes.LastIndex(s, []byte("endstream")); e >= 0 {
			s = s[:e]
		}
		if bytes.Contains(body[:k], []byte("FlateDecode")) {
			if z, err := zlib.NewReader(bytes.NewReader(s)); err == nil {
				s, _ = io.ReadAll(z)
			}
		}
		data[n] = s
	}
	// font resource name → glyph → rune, from every font dictionary
	fonts := map[string]map[uint64]rune{}
	for _, d := range dict {
		for _, fr := range pdfFontRe.FindAllSubmatch(d, -1) {
			fm := pdfTUniRe.FindSubmatch(dict[string(fr[2])])
			if fm == nil {
				continue
			}
			cmap := map[uint64]rune{}
			for _, m := range pdfBfRe.FindAllSubmatch(data[string(fm[1])], -1) {
				g, _ := strconv.ParseUint(string(m[1]), 16, 32)
				r, _ := strconv.ParseUint(string(m[3]), 16, 32)
				cmap[g] = rune(r)
			}
			fonts[string(fr[1])] = cmap
		}
	}
	nums := make([]int, 0, len(data))
	for n := range data {
		k, _ := strconv.Atoi(n)
		nums = append(nums, k)
	}
	sort.Ints(nums) // the pages in the order written
	var sb strings.Builder
	for _, k := range nums {
		s := data[strconv.Itoa(k)]
		var cur map[uint64]rune
		for _, m := range pdfTextOps.FindAllSubmatch(s, -1) {
			if m[1] != nil {
				cur = fonts[string(m[1])]
				continue
			}
			for i := 0; cur != nil && i+4 <= len(m[2]); i += 4 {
				g, _ := strconv.ParseUint(string(m[2][i:i+4]), 16, 16)
				sb.WriteRune(cur[g])
			}
		}
	}
	return sb.String()
}

// digest is a hash of every table's rows, by table, apart from what a
// request changes without writing an object: sessions, the audit log (a
// refusal may be recorded), failed sign-ins, the outbound cursor. The
// database concatenates each table's rows itself (one statement a table).
func (w *matrixWorld) digest(t *testing.T) map[string]string {
	t.Helper()
	ctx := context.Background()
	out := map[string]string{}
	if w.digestAll == nil {
		var parts []string
		q := "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'enterprise_fts%'"
		if w.f.db.Dialect == store.Postgres {
			q = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
		}
		rows, err := w.f.db.Query(ctx, q)
		tables, err := store.Collect(rows, err, store.Value[string])
		if err != nil {
			t.Fatal(err)
		}
		skip := []string{"sessions", "audit_events", "audit_head", "login_failures", "inbox_outbound", "goose_db_version"}
		for _, tb := range tables {
			if slices.Contains(skip, tb) {
				continue
			}
			if w.f.db.Dialect == store.Postgres {
				parts = append(parts, "SELECT '"+tb+"', md5(COALESCE(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM "+tb+" t")
				continue
			}
			rows, err := w.f.db.Query(ctx, "SELECT name FROM pragma_table_info(?)", tb)
			cols, err := store.Collect(rows, err, store.Value[string])
			if err != nil {
				t.Fatal(err)
			}
			for i, c := range cols {
				cols[i] = "quote(" + c + ")"
			}
			parts = append(parts, "SELECT '"+tb+"', COALESCE(group_concat("+strings.Join(cols, "||','||")+", char(10)), '') FROM "+tb)
		}
		// in statements short enough for the store to keep prepared
		for len(parts) > 0 {
			n := 1
			for n < len(parts) && len(strings.Join(parts[:n+1], " UNION ALL ")) < 2900 {
				n++
			}
			w.digestAll = append(w.digestAll, strings.Join(parts[:n], " UNION ALL "))
			parts = parts[n:]
		}
	}
	for _, q := range w.digestAll {
		rows, err := w.f.db.Query(ctx, q)
		err = store.Each(rows, err, func(r store.Scanner) error {
			var tb, v string
			if err := r.Scan(&tb, &v); err != nil {
				return err
			}
			sum := sha256.Sum256([]byte(v))
			out[tb] = fmt.Sprintf("%x", sum[:8])
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// diff names the tables whose rows differ, apart from those allowed.
func diff(before, after map[string]string, allowed []string) []string {
	var out []string
	for tb, h := range after {
		if before[tb] != h && !slices.Contains(allowed, tb) {
			out = append(out, tb)
		}
	}
	sort.Strings(out)
	return out
}
