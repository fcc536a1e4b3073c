package enforce_test

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"anwei/internal/app"
	"anwei/internal/app/apptest"
	"anwei/internal/apperr"
	"anwei/internal/calendar"
	"anwei/internal/enforce"
	"anwei/internal/files"
	"anwei/internal/hazard"
	"anwei/internal/org"
	"anwei/internal/paging"
	"anwei/internal/store"
)

func signature(*testing.T) []byte { return apptest.Signature() }

// plannedTask is a 重点 inspection the demo's plan scheduled and nobody
// has staffed yet.
func plannedTask(t *testing.T, ctx context.Context, en *enforce.Service, member *org.Actor) enforce.Inspection {
	t.Helper()
	is, _, err := en.ListInspections(ctx, member, enforce.InspectionFilter{Year: 2026, State: enforce.StatePlanned, Kind: enforce.Routine,
		Page: paging.Page{Limit: 50}})
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range is {
		if i.Officers == "" && i.Basis == enforce.BasisPlan {
			return i
		}
	}
	t.Fatalf("no unstaffed planned inspection among %d", len(is))
	return enforce.Inspection{}
}

// TestInspectionFromTaskToRecheck walks an inspection as the law has it:
// the planner staffs the task, the head approves it (not his own team) and
// the enterprise gets the 执法检查通知书; the officer scans the entry code
// (a forged one is refused), starts, marks every item, records a hazard
// and a violation with a photo, and cannot close before the record is
// signed; closing issues the record and the order, makes the hazard (执法
// 检查, assigned under the order) and the re-check task; at the re-check the
// hazard is closed and the violation marked 拒不改正.
func TestInspectionFromTaskToRecheck(t *testing.T) {
	dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		dir := t.TempDir() // the attachment store, to count what is kept
		db, s := apptest.SeededDemo(t, dialect, app.Wiring{Clock: calendar.NewFixed(time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC)), FilesDir: dir}, 100, true)
		member, head, officer, officer2 := actor(t, s, "member"), actor(t, s, "head"), actor(t, s, "officer"), actor(t, s, "officer2")
		i := plannedTask(t, ctx, s.Enforce, member)
		team := []int64{officer.UserID, officer2.UserID}
		if err := s.Enforce.ApproveTask(ctx, head, i.ID); !isField(err, "officers") {
			t.Errorf("approving an unstaffed task: %v", err)
		}
		in := enforce.TaskInput{Officers: []int64{officer.UserID}, From: "2026-11-19", To: "2026-11-30"}
		err := s.Enforce.SetTask(ctx, member, i.ID, in)
		if !isField(err, "officers") || !isField(err, "from") {
			t.Errorf("one officer, a window in the past: %v", err)
		}
		in = enforce.TaskInput{Officers: team, From: "2026-11-20", To: "2026-11-30"}
		if err := s.Enforce.SetTask(ctx, member, i.ID, in); err != nil {
			t.Fatal(err)
		}
		if err := s.Enforce.ApproveTask(ctx, officer, i.ID); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("an officer approved a task: %v", err)
		}
		// The head on the team does not approve his own inspection.
		if err := s.Enforce.SetOfficer(ctx, member, enforce.OfficerInput{UserID: head.UserID, CertNo: "37010520100001", Active: true}); err != nil {
			t.Fatal(err)
		}
		if err := s.Enforce.SetTask(ctx, member, i.ID, enforce.TaskInput{Officers: []int64{head.UserID, officer.UserID}, From: "2026-11-20", To: "2026-11-30"}); err != nil {
			t.Fatal(err)
		}
		if err := s.Enforce.ApproveTask(ctx, head, i.ID); !isField(err, "officers") {
			t.Errorf("the head approved his own team's task: %v", err)
		}
		if err := s.Enforce.SetTask(ctx, member, i.ID, enforce.TaskInput{Officers: team, From: "2026-11-20", To: "2027-01-05"}); !isField(err, "from") {
			t.Errorf("a window into the next year: %v", err)
		}
		if err := s.Enforce.SetTask(ctx, member, i.ID, in); err != nil {
			t.Fatal(err)
		}
		if err := s.Enforce.ApproveTask(ctx, head, i.ID); err != nil {
			t.Fatal(err)
		}
		d, err := s.Enforce.GetInspection(ctx, officer, i.ID)
		if err != nil || d.State != enforce.StateApproved || len(d.Writs) != 1 || d.Writs[0].Kind != enforce.WritNotice ||
			!strings.Contains(fmt.Sprint(d.Writs[0].Fields), "申请回避") || !strings.Contains(fmt.Sprint(d.Writs[0].Fields), "上限") {
			t.Fatalf("approved: %s, writs %+v (%v)", d.State, d.Writs, err)
		}
		// The enterprise sees its inspection and the notice.
		entActor := enterpriseActor(t, ctx, s, d.EnterpriseID)
		if got, err := s.Enforce.GetInspection(ctx, entActor, i.ID); err != nil || got.Writs[0].Number != d.Writs[0].Number {
			t.Errorf("the enterprise reads its inspection: %v", err)
		}
		token, err := s.Enforce.CheckinToken(ctx, entActor, d.EnterpriseID)
		if err != nil {
			t.Fatal(err)
		}
		forged := token[:len(token)-1] + map[bool]string{true: "1", false: "0"}[strings.HasSuffix(token, "0")]
		if _, err := s.Enforce.CheckIn(ctx, officer, forged); err == nil {
			t.Error("a forged entry code was taken")
		}
		if _, err := s.Enforce.CheckIn(ctx, actor(t, s, "officer3"), token); err == nil {
			t.Error("an officer not on the team checked in")
		}
		got, err := s.Enforce.CheckIn(ctx, officer, token)
		if err != nil || got != i.ID {
			t.Fatalf("check-in: %d, %v", got, err)
		}
		if err := s.Enforce.Mark(ctx, officer, i.ID, []enforce.MarkInput{{Item: d.Items[0].Key, Result: "pass"}}); err == nil {
			t.Error("marked before starting")
		}
		lat, lon := 36.68, 117.0
		if err := s.Enforce.Start(ctx, officer, i.ID, enforce.StartInput{Lat: &lat, Lon: &lon}); err != nil {
			t.Fatal(err)
		}
		var marks []enforce.MarkInput
		for n, it := range d.Items {
			r := "pass"
			if n == 1 || n == 2 {
				r = "fail"
			}
			marks = append(marks, enforce.MarkInput{Item: it.Key, Result: r})
		}
		if err := s.Enforce.Mark(ctx, officer2, i.ID, marks[:len(marks)-1]); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Enforce.Close(ctx, officer, i.ID, enforce.CloseInput{Place: "厂区", Party: "张三", Summary: "检查了"}); !isField(err, "items") {
			t.Errorf("closing with an item unmarked: %v", err)
		}
		if err := s.Enforce.Mark(ctx, officer, i.ID, marks[len(marks)-1:]); err != nil {
			t.Fatal(err)
		}
		if err := s.Enforce.Mark(ctx, officer, i.ID, []enforce.MarkInput{{Item: "nope", Result: "pass"}}); !isField(err, "item") {
			t.Errorf("an item not on the checklist: %v", err)
		}
		hz, err := s.Enforce.AddFinding(ctx, officer, i.ID, enforce.FindingInput{ItemKey: d.Items[1].Key, Place: "二号仓库", Description: "消防通道堆放杂物",
			Hazard: true, Level: hazard.General, Deadline: "2026-11-27"})
		if err != nil {
			t.Fatal(err)
		}
		vi, err := s.Enforce.AddFinding(ctx, officer, i.ID, enforce.FindingInput{ItemKey: d.Items[2].Key, Place: "配电室", Description: "未设置安全警示标志",
			Violation: "a99-1", Deadline: "2026-11-27"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Enforce.AddFinding(ctx, officer, i.ID, enforce.FindingInput{Place: "x", Description: "y"}); !isField(err, "violation") {
			t.Errorf("a finding neither hazard nor violation: %v", err)
		}
		photo := signature(t)
		if _, err := s.Enforce.AddMedia(ctx, officer, i.ID, enforce.MediaInput{FindingID: hz.ID, Files: []files.Upload{{Name: "现场.png", Body: bytes.NewReader(photo)}}}); err != nil {
			t.Fatal(err)
		}
		kept := stored(t, dir)
		if _, err := s.Enforce.AddMedia(ctx, officer, i.ID, enforce.MediaInput{Files: []files.Upload{{Name: "a.html", Body: strings.NewReader("<html><script>")}}}); !isField(err, "files") {
			t.Errorf("an HTML page as media: %v", err)
		}
		if _, err := s.Enforce.AddMedia(ctx, actor(t, s, "officer3"), i.ID, enforce.MediaInput{Files: []files.Upload{{Name: "b.png", Body: bytes.NewReader(signature(t)[:200])}}}); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("a photo from an officer not on the team: %v", err)
		}
		if now := stored(t, dir); now != kept {
			t.Errorf("refused uploads left files: %d before, %d after", kept, now)
		}
		closeIn := enforce.CloseInput{Place: "厂区及仓库", Party: "张三", PartyPost: "安全主管", Summary: "按检查表逐项检查"}
		if _, err := s.Enforce.Close(ctx, officer, i.ID, closeIn); !isField(err, "signature") {
			t.Errorf("closing unsigned: %v", err)
		}
		if err := s.Enforce.Sign(ctx, officer, i.ID, enforce.SignInput{Role: "officer1", PNG: make([]byte, 10)}); !isField(err, "signature") {
			t.Errorf("a signature that is no PNG: %v", err)
		}
		if err := s.Enforce.Sign(ctx, officer, i.ID, enforce.SignInput{Role: "officer2", PNG: signature(t)}); !isField(err, "role") {
			t.Errorf("an officer signed the other's box: %v", err)
		}
		for _, o := range []struct {
			role string
			a    *org.Actor
		}{{"officer1", officer}, {"officer2", officer2}} {
			if err := s.Enforce.Sign(ctx, o.a, i.ID, enforce.SignInput{Role: o.role, PNG: signature(t)}); err != nil {
				t.Fatal(err)
			}
		}
		// A mark changed after signing: the record is no longer what was signed.
		if err := s.Enforce.Mark(ctx, officer, i.ID, []enforce.MarkInput{{Item: d.Items[0].Key, Result: "na"}}); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Enforce.GetInspection(ctx, officer, i.ID); len(got.Signatures) != 0 {
			t.Errorf("%d signatures kept after the record changed", len(got.Signatures))
		}
		for _, o := range []struct {
			role string
			a    *org.Actor
		}{{"officer1", officer}, {"officer2", officer2}} {
			if err := s.Enforce.Sign(ctx, o.a, i.ID, enforce.SignInput{Role: o.role, PNG: signature(t)}); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Enforce.Sign(ctx, officer, i.ID, enforce.SignInput{Role: "party", Name: "张三", Refused: true}); !isField(err, "reason") {
			t.Errorf("a refusal without its circumstances: %v", err)
		}
		if err := s.Enforce.Sign(ctx, officer, i.ID, enforce.SignInput{Role: "party", Name: "张三", PNG: signature(t)}); err != nil {
			t.Fatal(err)
		}
		d, err = s.Enforce.Close(ctx, officer, i.ID, closeIn)
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[string]string{}
		for _, w := range d.Writs {
			kinds[w.Kind] = w.Number
		}
		if d.State != enforce.StateClosed || kinds[enforce.WritRecord] == "" || kinds[enforce.WritOrder] == "" || d.Recheck == 0 {
			t.Fatalf("closed: %s, writs %v, recheck %d", d.State, kinds, d.Recheck)
		}
		if !strings.HasPrefix(kinds[enforce.WritOrder], "(") || !strings.Contains(kinds[enforce.WritOrder], "应急责改〔2026〕") {
			t.Errorf("order number %q", kinds[enforce.WritOrder])
		}
		var h hazard.Hazard
		for _, f := range d.Findings {
			if f.ID == hz.ID {
				if f.HazardID == 0 || f.HazardNumber == "" {
					t.Fatalf("the hazard finding made no hazard: %+v", f)
				}
				if h, err = s.Hazards.Get(ctx, member, f.HazardID); err != nil {
					t.Fatal(err)
				}
			}
			if f.ID == vi.ID && f.HazardID != 0 {
				t.Error("a violation only became a hazard")
			}
		}
		if h.Source != "inspection" || h.State != hazard.Assigned || h.Writ != kinds[enforce.WritOrder] || h.Deadline != "2026-11-27" || h.Level != hazard.General {
			t.Errorf("hazard %+v", h)
		}
		if form, err := s.Enforce.WritForm(ctx, entActor, i.ID, writID(d, enforce.WritRecord)); err != nil || len(form.Signers) != 3 || form.Signers[0].Image == nil {
			t.Errorf("the record's signers: %+v (%v)", form.Signers, err)
		} else if _, err := form.PDF(); err != nil {
			t.Errorf("the record as PDF: %v", err)
		}
		x, err := s.Enforce.ExchangeOf(ctx, member, i.ID)
		if err != nil || x.Schema != enforce.ExchangeSchema || len(x.Checklist) != len(d.Items) || len(x.Findings) != 2 || len(x.Media) != 1 ||
			len(x.Signatures) != 3 || x.Links["recheck"] != d.Recheck || x.Inspection.Lat == nil {
			t.Errorf("exchange: %+v (%v)", x, err)
		}
		// The re-check, on the deadline.
		later := s.Enforce.WithClock(calendar.NewFixed(time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC)))
		if got, err := later.CheckIn(ctx, officer2, token); err != nil || got != d.Recheck {
			t.Fatalf("re-check check-in: %d, %v", got, err)
		}
		if err := later.Start(ctx, officer2, d.Recheck, enforce.StartInput{}); err != nil {
			t.Fatal(err)
		}
		r, err := later.GetInspection(ctx, officer2, d.Recheck)
		if err != nil || len(r.Items) != 2 {
			t.Fatalf("re-check items %+v (%v)", r.Items, err)
		}
		if _, err := later.AddFinding(ctx, officer2, d.Recheck, enforce.FindingInput{Place: "x", Description: "y", Violation: "a99-1"}); err == nil {
			t.Error("a new finding on a re-check")
		}
		if err := later.Mark(ctx, officer2, d.Recheck, []enforce.MarkInput{{Item: fmt.Sprintf("f%d", vi.ID), Result: "fail"}}); !isField(err, "note") {
			t.Errorf("拒不改正 without what was seen: %v", err)
		}
		if err := later.Mark(ctx, officer2, d.Recheck, []enforce.MarkInput{{Item: fmt.Sprintf("f%d", hz.ID), Result: "pass", Note: "已清理"},
			{Item: fmt.Sprintf("f%d", vi.ID), Result: "fail", Note: "仍未设置警示标志"}}); err != nil {
			t.Fatal(err)
		}
		for _, o := range []struct {
			role string
			a    *org.Actor
		}{{"officer1", officer}, {"officer2", officer2}} {
			if err := later.Sign(ctx, o.a, d.Recheck, enforce.SignInput{Role: o.role, PNG: signature(t)}); err != nil {
				t.Fatal(err)
			}
		}
		if err := later.Sign(ctx, officer2, d.Recheck, enforce.SignInput{Role: "party", Name: "张三", Refused: true, Reason: "当事人拒绝签字，执法人员注明"}); err != nil {
			t.Fatal(err)
		}
		r, err = later.Close(ctx, officer2, d.Recheck, enforce.CloseInput{Place: "厂区", Party: "张三", Summary: "复查"})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Writs) != 2 || r.Writs[0].Kind != enforce.WritReview && r.Writs[1].Kind != enforce.WritReview {
			t.Errorf("re-check writs %+v", r.Writs)
		}
		d, _ = s.Enforce.GetInspection(ctx, member, i.ID)
		states := map[int64]string{}
		for _, f := range d.Findings {
			states[f.ID] = f.State
		}
		if states[hz.ID] != enforce.FindingCorrected || states[vi.ID] != enforce.FindingRefused {
			t.Errorf("after the re-check: %v", states)
		}
		if h, _ = s.Hazards.Get(ctx, member, h.ID); h.State != hazard.Closed {
			t.Errorf("the rectified hazard is %s", h.State)
		}
		var events int
		if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM audit_events WHERE action LIKE 'enforce.%' AND object_id IN (?, ?)",
			fmt.Sprint(i.ID), fmt.Sprint(d.Recheck)).Scan(&events); err != nil || events < 15 {
			t.Errorf("%d audit events (%v)", events, err)
		}
	})
}

func writID(d enforce.Detail, kind string) int64 {
	for _, w := range d.Writs {
		if w.Kind == kind {
			return w.ID
		}
	}
	return 0
}

// TestWritNumbersUnderConcurrency: eight tasks approved at once by the
// department get eight notices numbered 1…8 without a gap or repeat.
func TestWritNumbersUnderConcurrency(t *testing.T) {
	dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		db, s := demoAt(t, dialect)
		member, head := actor(t, s, "member"), actor(t, s, "head")
		team := []int64{actor(t, s, "officer").UserID, actor(t, s, "officer2").UserID}
		is, _, err := s.Enforce.ListInspections(ctx, member, enforce.InspectionFilter{Year: 2026, State: enforce.StatePlanned, Page: paging.Page{Limit: 100}})
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, i := range is {
			if len(ids) < 8 && i.Officers == "" {
				if err := s.Enforce.SetTask(ctx, member, i.ID, enforce.TaskInput{Officers: team, From: "2026-11-21", To: "2026-12-20"}); err == nil {
					ids = append(ids, i.ID)
				}
			}
		}
		if len(ids) < 8 {
			t.Fatalf("only %d tasks", len(ids))
		}
		var before int
		if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM enforce_writs WHERE kind = 'notice' AND year = 2026").Scan(&before); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		errs := make([]error, len(ids))
		for n, id := range ids {
			wg.Add(1)
			go func() { defer wg.Done(); errs[n] = s.Enforce.ApproveTask(ctx, head, id) }()
		}
		wg.Wait()
		seen := map[string]bool{}
		for n, id := range ids {
			if errs[n] != nil {
				t.Fatal(errs[n])
			}
			d, err := s.Enforce.GetInspection(ctx, member, id)
			if err != nil || len(d.Writs) != 1 {
				t.Fatalf("%d: %v", id, err)
			}
			seen[d.Writs[0].Number] = true
		}
		for n := before + 1; n <= before+8; n++ {
			if !seen[fmt.Sprintf("(天)应急检通〔2026〕%d号", n)] {
				t.Errorf("notice number %d missing from %v", n, seen)
			}
		}
		// Six inspections closed at once by their teams, under group commit
		// (a group's functions may run again): six records numbered 1…6
		// after the last, without a gap or a repeat.
		var ready []int64
		crew := apptest.Crew{Planner: member, Approver: head, Team: []*org.Actor{actor(t, s, "officer"), actor(t, s, "officer2")}}
		rows, err := db.Query(ctx, `SELECT s.enterprise_id FROM supervisions s JOIN enterprises e ON e.unit_id = s.enterprise_id
			WHERE s.dept_id = ? AND e.status = 'operating' ORDER BY s.enterprise_id`, member.Unit.ID)
		firms, err := store.Collect(rows, err, func(r store.Scanner) (int64, error) { var id int64; return id, r.Scan(&id) })
		if err != nil {
			t.Fatal(err)
		}
		for _, firm := range firms {
			if len(ready) == 6 {
				break
			}
			id, err := apptest.Inspection(ctx, s.Enforce, s.Clock, crew, firm, "ready")
			if err != nil {
				continue // a firm with an inspection under way, or a declared conflict: the next
			}
			ready = append(ready, id)
		}
		if len(ready) < 6 {
			t.Fatalf("only %d ready inspections", len(ready))
		}
		var records int
		if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM enforce_writs WHERE kind = 'record' AND year = 2026").Scan(&records); err != nil {
			t.Fatal(err)
		}
		cerrs := make([]error, len(ready))
		for n, id := range ready {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, cerrs[n] = s.Enforce.Close(ctx, crew.Team[0], id, enforce.CloseInput{Place: "厂区", Party: "张三", Summary: "检查"})
			}()
		}
		wg.Wait()
		got := map[string]bool{}
		for n, id := range ready {
			if cerrs[n] != nil {
				t.Fatal(cerrs[n])
			}
			d, err := s.Enforce.GetInspection(ctx, member, id)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range d.Writs {
				if w.Kind == enforce.WritRecord {
					got[w.Number] = true
				}
			}
		}
		for n := records + 1; n <= records+6; n++ {
			if !got[fmt.Sprintf("(天)应急检记〔2026〕%d号", n)] {
				t.Errorf("record number %d missing from %v", n, got)
			}
		}
	})
}

// enterpriseActor is an account of the enterprise, made for the test.
func enterpriseActor(t *testing.T, ctx context.Context, s *app.Services, unit int64) *org.Actor {
	t.Helper()
	name := fmt.Sprintf("ent%d", unit)
	if _, err := s.Org.CreateUser(ctx, org.System, org.UserInput{Username: name, DisplayName: "企业安全员", UnitID: unit,
		Roles: []org.Role{org.RoleEnterprise}, Password: "Anquan2026"}); err != nil {
		t.Fatal(err)
	}
	return actor(t, s, name)
}

func dialects(t *testing.T, fn func(t *testing.T, dialect string)) { apptest.Dialects(t, fn) }

// isField: err complains about field (among others).
func isField(err error, field string) bool { return apperr.On(apperr.As(err), field) != "" }

// stored counts the files in an attachment store.
func stored(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	_ = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return nil
	})
	return n
}

// TestRecheckOfAListedHazard: a major hazard an inspection found and the
// office then listed for supervision (挂牌督办) is the office's to close:
// the re-check records it in the hazard's history and asks the office,
// and the re-check itself closes with its 整改复查意见书.
func TestRecheckOfAListedHazard(t *testing.T) {
	dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		_, s := demoAt(t, dialect)
		member, head, office := actor(t, s, "member"), actor(t, s, "head"), actor(t, s, "office")
		officer, officer2 := actor(t, s, "officer"), actor(t, s, "officer2")
		i := plannedTask(t, ctx, s.Enforce, member)
		firm := i.EnterpriseID
		id, err := apptest.Inspection(ctx, s.Enforce, s.Clock, apptest.Crew{Planner: member, Approver: head, Team: []*org.Actor{officer, officer2}}, firm, "started")
		if err != nil {
			t.Fatal(err)
		}
		d, err := s.Enforce.GetInspection(ctx, officer, id)
		if err != nil {
			t.Fatal(err)
		}
		var major string
		var marks []enforce.MarkInput
		for _, it := range d.Items {
			if it.Major && major == "" {
				major = it.Key
			}
			marks = append(marks, enforce.MarkInput{Item: it.Key, Result: "pass"})
		}
		if major == "" {
			t.Skip("the firm's checklist has no 判定标准 item")
		}
		if err := s.Enforce.Mark(ctx, officer, id, marks); err != nil {
			t.Fatal(err)
		}
		f, err := s.Enforce.AddFinding(ctx, officer, id, enforce.FindingInput{ItemKey: major, Place: "储罐区", Description: "重大事故隐患情形",
			Hazard: true, Level: "major", Criterion: major, Deadline: "2026-11-27"})
		if err != nil {
			t.Fatal(err)
		}
		signRecord(t, ctx, s.Enforce, id, officer, officer2)
		if d, err = s.Enforce.Close(ctx, officer, id, enforce.CloseInput{Place: "厂区", Party: "张三", Summary: "检查"}); err != nil {
			t.Fatal(err)
		}
		var hid int64
		for _, x := range d.Findings {
			if x.ID == f.ID {
				hid = x.HazardID
			}
		}
		if _, err := s.Hazards.AddListing(ctx, office, hid, hazard.ListingInput{Deadline: "2026-12-20"}); err != nil {
			t.Fatal(err)
		}
		later := s.Enforce.WithClock(calendar.NewFixed(time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC)))
		token, err := later.CheckinToken(ctx, officer, firm)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := later.CheckIn(ctx, officer, token); err != nil || got != d.Recheck {
			t.Fatalf("re-check check-in: %d %v", got, err)
		}
		if err := later.Start(ctx, officer, d.Recheck, enforce.StartInput{}); err != nil {
			t.Fatal(err)
		}
		if err := later.Mark(ctx, officer, d.Recheck, []enforce.MarkInput{{Item: fmt.Sprintf("f%d", f.ID), Result: "pass", Note: "已整改"}}); err != nil {
			t.Fatal(err)
		}
		signRecord(t, ctx, later, d.Recheck, officer, officer2)
		r, err := later.Close(ctx, officer, d.Recheck, enforce.CloseInput{Place: "厂区", Party: "张三", Summary: "复查"})
		if err != nil || r.State != enforce.StateClosed {
			t.Fatalf("the re-check of a listed hazard: %v", err)
		}
		h, err := s.Hazards.Get(ctx, office, hid)
		if err != nil || h.State == hazard.Closed {
			t.Errorf("the listed hazard: %s (%v), want open until the office closes it", h.State, err)
		}
		hist, _ := s.Hazards.GetHistory(ctx, office, hid)
		if len(hist) == 0 || hist[len(hist)-1].Action != "recheck" || !strings.Contains(hist[len(hist)-1].Note, "待挂牌督办单位销号") {
			t.Errorf("the hazard's history: %+v", hist)
		}
	})
}

// signRecord has the record signed: each officer his own box, the party on
// the first officer's phone.
func signRecord(t *testing.T, ctx context.Context, en *enforce.Service, id int64, o1, o2 *org.Actor) {
	t.Helper()
	for _, sg := range []struct {
		a  *org.Actor
		in enforce.SignInput
	}{{o1, enforce.SignInput{Role: "officer1", PNG: signature(t)}}, {o2, enforce.SignInput{Role: "officer2", PNG: signature(t)}},
		{o1, enforce.SignInput{Role: "party", Name: "张三", PNG: signature(t)}}} {
		if err := en.Sign(ctx, sg.a, id, sg.in); err != nil {
			t.Fatal(err)
		}
	}
}
