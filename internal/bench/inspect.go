package bench

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"net/http"
	"strings"
	"time"

	"anwei/internal/calendar"
	"anwei/internal/demo"
	"anwei/internal/enforce"
	"anwei/internal/enterprise"
	"anwei/internal/org"
	"anwei/internal/rules"
)

// inspectionTasks is how many approved tasks each client has waiting: its
// share of 400 inspections a second of the run, at least six. A client that
// runs out checks in to its re-check tasks, whose window opens with the
// orders' deadline, and fails the run: ten a second per client ran out in
// the suite's 110 ms run once the machine was quiet (four clients did
// more than 55 a second each), while 32 clients share about 300 a second.
func inspectionTasks(o Options) int {
	return max(6, int(math.Ceil((o.Duration+o.Warmup).Seconds()*400/float64(max(o.Clients, 1)))))
}

// benchInspectionSubmit measures inspections completed on site through the
// HTTP API by an officer (session cookie), each a 九小场所's: check in by
// the entry code, start, mark the checklist's 20 items in one request,
// record two findings (a general hazard and a violation, both ordered
// rectified), sign the record three times (PNG signatures; the second
// officer his own box, from his own session), close — the
// record and the order numbered, the hazard made in the hazard mechanism,
// the re-check task set. One op is the whole sequence of nine requests.
// The tasks were staffed and approved beforehand; the ceiling is a bare
// handler answering the same nine requests with the same JSON decode and
// encode.
func benchInspectionSubmit(ctx context.Context, o Options, emit func(string, float64, string)) error {
	d, err := startDemo(ctx, o, 10, "officer")
	if err != nil {
		return err
	}
	defer d.close()
	a := d.a
	actor := func(u string) (*org.Actor, error) { return a.Org.ActorByUsername(ctx, u) }
	office, err := actor("office")
	if err != nil {
		return err
	}
	member, err := actor("member")
	if err != nil {
		return err
	}
	head, err := actor("head")
	if err != nil {
		return err
	}
	officer, err := actor("officer")
	if err != nil {
		return err
	}
	officer2, err := actor("officer2")
	if err != nil {
		return err
	}
	if _, err := a.Ents.SetDutyRule(ctx, office, "small", member.Unit.ID, true); err != nil {
		return fmt.Errorf("监管职责: %w", err)
	}
	today := calendar.Local(time.Now())
	window := enforce.TaskInput{Officers: []int64{officer.UserID, officer2.UserID}, From: today.Format("2006-01-02"),
		To: today.AddDate(0, 0, 3).Format("2006-01-02")}
	tokens := make([]string, o.Clients)
	for c := range tokens {
		first17 := fmt.Sprintf("92%s%09d", demo.Root, 500000000+c)[:17]
		check, err := rules.CreditCheckChar(first17)
		if err != nil {
			return err
		}
		e, err := a.Ents.Create(ctx, office, enterprise.Input{Name: fmt.Sprintf("济南压测小超市%03d", c), CreditCode: first17 + string(check),
			RegionCode: demo.Root + "015", Address: "济南市天桥区泺口街道", Categories: "九小场所"})
		if err != nil {
			return fmt.Errorf("压测企业: %w", err)
		}
		for range inspectionTasks(o) {
			in, err := a.Enforce.AddInspection(ctx, member, enforce.InspectionInput{EnterpriseID: e.UnitID, Basis: enforce.BasisComplaint})
			if err == nil {
				err = a.Enforce.SetTask(ctx, member, in.ID, window)
			}
			if err == nil {
				err = a.Enforce.ApproveTask(ctx, head, in.ID)
			}
			if err != nil {
				return fmt.Errorf("检查任务: %w", err)
			}
		}
		if tokens[c], err = a.Enforce.CheckinToken(ctx, officer, e.UnitID); err != nil {
			return err
		}
	}
	sig := base64.StdEncoding.EncodeToString(signaturePNG())
	deadline := today.AddDate(0, 0, 14).Format("2006-01-02")
	steps := inspectionSteps(sig, deadline)
	cookie := d.cookie
	second, err := login(d.client, d.base, "officer2") // signs his own box
	if err != nil {
		return err
	}
	// A first inspection, as a check and for the ceiling's answers.
	answers := map[string][]byte{}
	run := func(ctx context.Context, base string, client *http.Client, c int, keep bool) error {
		var id int64
		var items []string
		for _, st := range steps {
			path, body := st.path, st.body(tokens[c], items)
			path = strings.ReplaceAll(path, "{id}", fmt.Sprint(id))
			r, _ := http.NewRequestWithContext(ctx, st.method, base+path, bytes.NewReader(body))
			r.Header.Set("Content-Type", "application/json")
			if st.second {
				r.AddCookie(second)
			} else {
				r.AddCookie(cookie)
			}
			resp, err := client.Do(r)
			if err != nil {
				return err
			}
			doc, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode/100 != 2 {
				return fmt.Errorf("%s %s: HTTP %d %.300s", st.method, st.path, resp.StatusCode, doc)
			}
			if keep {
				answers[st.method+" "+st.path] = doc
			}
			switch st.path {
			case "/api/v1/enforce/checkin":
				var got struct{ ID int64 }
				if err := json.Unmarshal(doc, &got); err != nil {
					return err
				}
				id = got.ID
			case "/api/v1/enforce/inspections/{id}/start":
				// the checklist: read once per inspection by the phone
				r, _ := http.NewRequestWithContext(ctx, "GET", base+fmt.Sprintf("/api/v1/enforce/inspections/%d", id), nil)
				r.AddCookie(cookie)
				resp, err := client.Do(r)
				if err != nil {
					return err
				}
				raw, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				if err != nil {
					return err
				}
				var dt struct {
					Items []struct{ Key string } `json:"items"`
				}
				if err := json.Unmarshal(raw, &dt); err != nil {
					return err
				}
				if keep {
					answers["GET detail"] = raw
				}
				items = items[:0]
				for _, it := range dt.Items {
					items = append(items, it.Key)
				}
			}
		}
		if keep && len(items) != 20 {
			return fmt.Errorf("检查表 %d 项，应为 20 项", len(items))
		}
		return nil
	}
	if err := run(ctx, d.base, d.client, 0, true); err != nil {
		return err
	}
	real, err := loadOps(ctx, o, func(ctx context.Context, c int) error { return run(ctx, d.base, d.client, c, false) })
	if err != nil {
		return fmt.Errorf("anwei: %w", err)
	}
	// The ceiling: the same nine requests, each decoded and answered with
	// the real answer re-encoded (and the GET of the checklist).
	bare := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in any
		if r.Method != "GET" {
			if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
				http.Error(w, err.Error(), 400)
				return
			}
		}
		key := r.Method + " " + templated(r.URL.Path)
		doc, ok := answers[key]
		if r.Method == "GET" {
			doc, ok = answers["GET detail"], true
		}
		if !ok {
			http.Error(w, "unknown "+key, 404)
			return
		}
		var out any
		if len(doc) > 0 {
			_ = json.Unmarshal(doc, &out)
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		if out == nil {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		_ = json.NewEncoder(w).Encode(out)
	})
	base, stop, err := serve(bare)
	if err != nil {
		return err
	}
	defer stop()
	bareClient := newClient(o.Clients)
	ceiling, err := loadOps(ctx, o, func(ctx context.Context, c int) error { return run(ctx, base, bareClient, c, false) })
	if err != nil {
		return fmt.Errorf("ceiling: %w", err)
	}
	emit("inspection_submit_http", real.opsPerSec, "inspections/s")
	emit("inspection_submit_http_p95", real.p95ms, "ms")
	emit("inspection_submit_http_ceiling", ceiling.opsPerSec, "inspections/s")
	emit("inspection_submit_http_ratio", real.opsPerSec/ceiling.opsPerSec, "x")
	return nil
}

// inspectionStep is one request of the officer's sequence (second: sent
// by the team's second officer, who signs his own box).
type inspectionStep struct {
	method, path string
	body         func(token string, items []string) []byte
	second       bool
}

func inspectionSteps(sig, deadline string) []inspectionStep {
	js := func(v any) []byte { b, _ := json.Marshal(v); return b }
	fixed := func(v any) func(string, []string) []byte {
		b := js(v)
		return func(string, []string) []byte { return b }
	}
	return []inspectionStep{
		{"POST", "/api/v1/enforce/checkin", func(token string, _ []string) []byte { return js(map[string]string{"token": token}) }, false},
		{"POST", "/api/v1/enforce/inspections/{id}/start", fixed(map[string]float64{"lat": 36.68, "lon": 117.0}), false},
		{"PUT", "/api/v1/enforce/inspections/{id}/marks", func(_ string, items []string) []byte {
			var ms []map[string]string
			for n, k := range items {
				r, note := "pass", ""
				if n < 2 {
					r, note = "fail", "现场发现问题"
				}
				ms = append(ms, map[string]string{"item": k, "result": r, "note": note})
			}
			return js(map[string]any{"marks": ms})
		}, false},
		{"POST", "/api/v1/enforce/inspections/{id}/findings", fixed(map[string]any{"place": "后厨", "description": "液化石油气钢瓶与灶具间距不足",
			"hazard": true, "level": "general", "deadline": deadline}), false},
		{"POST", "/api/v1/enforce/inspections/{id}/findings", fixed(map[string]any{"place": "后厨", "description": "使用燃气未安装可燃气体报警装置",
			"violation": "a99-8", "deadline": deadline}), false},
		{"PUT", "/api/v1/enforce/inspections/{id}/signatures", fixed(map[string]any{"role": "officer1", "signature": sig}), false},
		{"PUT", "/api/v1/enforce/inspections/{id}/signatures", fixed(map[string]any{"role": "officer2", "signature": sig}), true},
		{"PUT", "/api/v1/enforce/inspections/{id}/signatures", fixed(map[string]any{"role": "party", "name": "王店长", "signature": sig}), false},
		{"POST", "/api/v1/enforce/inspections/{id}/close", fixed(map[string]any{"place": "店内", "party": "王店长", "summary": "按检查表逐项检查"}), false},
	}
}

// templated turns /api/v1/enforce/inspections/123/marks back into its route.
func templated(path string) string {
	parts := strings.Split(path, "/")
	if len(parts) > 5 && parts[4] == "inspections" {
		parts[5] = "{id}"
	}
	return strings.Join(parts, "/")
}

// signaturePNG is a drawn signature: a zigzag stroke on 300×100.
func signaturePNG() []byte {
	img := image.NewNRGBA(image.Rect(0, 0, 300, 100))
	for x := 20; x < 280; x++ {
		y := 50 + (x%40 - 20)
		img.Set(x, y, color.Black)
		img.Set(x, y+1, color.Black)
	}
	var b bytes.Buffer
	_ = png.Encode(&b, img)
	return b.Bytes()
}
