package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"mime/multipart"
	"slices"
	"strconv"
	"strings"
	"time"

	"anwei/internal/calendar"
)

// act does one thing a user of role does and returns its class and route
// (the path as listed below, or the write's name).
func (s *soakRun) act(ctx context.Context, r *rand.Rand, role string) (int, string, error) {
	var class int
	var routes []string
	switch p := r.IntN(100); {
	case p < soakMix[0]:
		class, routes = classPage, soakPages[role]
	case p < soakMix[1]:
		class, routes = classRead, soakReads[role]
	case p < soakMix[2]:
		route, err := s.write(ctx, r, role)
		return classWrite, route, err
	default:
		class, routes = classExport, soakExports[role]
		switch role {
		case "office":
			routes = slices.Concat(routes, s.pdfs)
		case "officer", "member", "street":
			routes = slices.Concat(routes, s.pdfs[:1])
		}
	}
	route := routes[r.IntN(len(routes))]
	return class, route, s.get(ctx, role, s.fill(r, route))
}

// soakMix is the load's mix in percent, summed: pages 45%, API reads 35%,
// writes 15%, the rest (5%) exports.
var soakMix = [3]int{45, 80, 95}

// soakRoles are the demo users the clients sign in as, in turn: the
// committee office, the department (区应急局: its inspector, officer, and its
// committee contact, member), the street (泺口街道) and the enterprise.
var soakRoles = []string{"office", "officer", "member", "street", "enterprise"}

// The routes each role reads, with their filters and orders; {e} is the
// enterprise, {h} a hazard, {t} a task.
var soakPages = map[string][]string{
	"office": {"/", "/hazards", "/hazards?open=1&sort=deadline", "/hazards?level=major&sort=reported&desc=1", "/hazards/{h}",
		"/enterprises", "/enterprises?q=化工&sort=name", "/enterprises/{e}", "/hazards/figures", "/plans", "/tasks", "/scorecard",
		"/supervise", "/todo", "/inbox", "/risks", "/hazards/bulletin", "/tasks/{t}"},
	"officer": {"/", "/hazards", "/hazards?state=reported&sort=enterprise", "/hazards/{h}", "/enterprises?sort=street&desc=1",
		"/enterprises/{e}", "/tasks", "/tasks/{t}", "/todo", "/hazards/figures"},
	"street": {"/", "/hazards?overdue=1", "/hazards?sort=street", "/hazards/{h}", "/enterprises", "/enterprises?q=泺口",
		"/enterprises/{e}", "/todo", "/risks"},
	"enterprise": {"/", "/hazards", "/hazards?open=1", "/hazards/{h}", "/hazards/new", "/enterprises/{e}", "/todo", "/inbox"},
}

var soakReads = map[string][]string{
	"office": {"/api/v1/me", "/api/v1/hazards?sort=reported&desc=1", "/api/v1/hazards?state=assigned&sort=deadline",
		"/api/v1/hazards/figures", "/api/v1/hazards/trend", "/api/v1/enterprises?q=有限公司&sort=name", "/api/v1/hazards/{h}",
		"/api/v1/instances?status=overdue", "/api/v1/units?q=街道", "/api/v1/scorecard/ranking"},
	"officer": {"/api/v1/me", "/api/v1/hazards?open=1&sort=deadline", "/api/v1/hazards/{h}", "/api/v1/enterprises?sort=updated&desc=1",
		"/api/v1/assignments", "/api/v1/instances?sort=due", "/api/v1/tasks/{t}"},
	"street": {"/api/v1/me", "/api/v1/hazards?sort=state", "/api/v1/hazards/{h}", "/api/v1/enterprises?q=化工", "/api/v1/hazards/figures",
		"/api/v1/risks"},
	"enterprise": {"/api/v1/me", "/api/v1/hazards?sort=reported&desc=1", "/api/v1/hazards/{h}", "/api/v1/enterprises/{e}",
		"/api/v1/enterprises/{e}/file"},
}

func init() {
	soakPages["member"], soakReads["member"], soakExports["member"] = soakPages["officer"], soakReads["officer"], soakExports["officer"]
}

var soakExports = map[string][]string{
	"office":     {"/hazards/ledger.xlsx?year={y}", "/enterprises.xlsx?q=化工"},
	"officer":    {"/hazards/ledger.xlsx?enterprise={e}", "/enterprises.xlsx"},
	"street":     {"/hazards/ledger.xlsx", "/enterprises.xlsx"},
	"enterprise": {"/hazards/ledger.xlsx"},
}

// fill fills a route's placeholders.
func (s *soakRun) fill(r *rand.Rand, p string) string {
	return strings.NewReplacer("{e}", strconv.FormatInt(s.enterp, 10), "{h}", strconv.FormatInt(s.hazard, 10),
		"{t}", strconv.FormatInt(s.tasks[r.IntN(len(s.tasks))], 10), "{y}", calendar.Local(time.Now()).Format("2006")).Replace(p)
}

// write is one write of role: the enterprise reports hazards (one in five
// through the page's form with a photo) and takes its steps; the
// government users take theirs; the department's committee contact
// (member) reports progress on its tasks. A role with no step waiting does its other write.
func (s *soakRun) write(ctx context.Context, r *rand.Rand, role string) (string, error) {
	if h := s.take(role); h != nil {
		return "hazard " + h.next, s.advance(ctx, h)
	}
	switch role {
	case "enterprise":
		form := r.IntN(5) == 0
		id, err := s.report(ctx, form)
		if err != nil || form {
			return "hazard report (form, photo)", err
		}
		s.put(&soakHazard{id: id, gov: s.gov[r.IntN(len(s.gov))], next: "judge"})
		return "hazard report", nil
	case "member":
		body, _ := json.Marshal(map[string]string{"kind": "progress", "text": "已组织开展专项检查，排查整改隐患若干，按期推进"})
		return "progress report", s.send(ctx, "member", "POST", fmt.Sprintf("/api/v1/tasks/%d/reports", s.tasks[r.IntN(len(s.tasks))]), "application/json", body, nil)
	default: // the office, the officer and the street with nothing to handle mark their inbox read
		return "inbox read", s.send(ctx, role, "POST", "/inbox/read", "application/x-www-form-urlencoded", []byte("all=1"), nil)
	}
}

// take returns a hazard whose next step is role's, removed from the pipe
// so that no other client takes it too.
func (s *soakRun) take(role string) *soakHazard {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, h := range s.pipe {
		if h.side() == role {
			s.pipe = append(s.pipe[:i], s.pipe[i+1:]...)
			return h
		}
	}
	return nil
}

func (s *soakRun) put(h *soakHazard) {
	s.mu.Lock()
	s.pipe = append(s.pipe, h)
	s.mu.Unlock()
}

func (h *soakHazard) side() string {
	if h.next == "start" || h.next == "submit" {
		return "enterprise"
	}
	return h.gov
}

// advance takes the hazard's next step and puts it back for the one after.
func (s *soakRun) advance(ctx context.Context, h *soakHazard) error {
	if err := s.step(ctx, h.side(), h.id, h.next); err != nil {
		return err
	}
	then := map[string]string{"judge": "assign", "assign": "start", "start": "submit", "submit": "pass"}[h.next]
	if then != "" {
		h.next = then
		s.put(h)
	}
	return nil
}

func (s *soakRun) step(ctx context.Context, user string, id int64, action string) error {
	body := map[string]string{"action": action}
	switch action {
	case "judge":
		body["level"] = "general"
	case "assign":
		body["deadline"] = calendar.Local(time.Now()).AddDate(0, 0, 30).Format("2006-01-02")
		body["writ"] = "济天应急责改〔2026〕18号"
	case "submit":
		body["evidence"] = "已拆除临时线路并穿管敷设，经班组验收"
	}
	b, _ := json.Marshal(body)
	return s.send(ctx, user, "POST", fmt.Sprintf("/api/v1/hazards/%d/actions", id), "application/json", b, nil)
}

// report has the enterprise report a hazard, through the API or, with a
// photo, through the page's form (whose answer is a redirect: its id is
// then not followed).
func (s *soakRun) report(ctx context.Context, form bool) (int64, error) {
	if form {
		var b bytes.Buffer
		w := multipart.NewWriter(&b)
		for k, v := range map[string]string{"enterprise": strconv.FormatInt(s.enterp, 10), "place": "原料仓库",
			"description": "消防通道堆放杂物", "source": "self"} {
			_ = w.WriteField(k, v)
		}
		f, _ := w.CreateFormFile("files", "现场.png")
		_, _ = f.Write(s.photo)
		_ = w.Close()
		return 0, s.send(ctx, "enterprise", "POST", "/hazards/new", w.FormDataContentType(), b.Bytes(), nil)
	}
	b, _ := json.Marshal(map[string]any{"enterprise_id": s.enterp, "place": "原料仓库", "description": "电气线路私拉乱接，未穿管保护",
		"source": "self"})
	var h struct {
		ID int64 `json:"id"`
	}
	err := s.send(ctx, "enterprise", "POST", "/api/v1/hazards", "application/json", b, &h)
	return h.ID, err
}
