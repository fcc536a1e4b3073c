package apptest

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"

	"anwei/internal/calendar"
	"anwei/internal/enforce"
	"anwei/internal/files"
	"anwei/internal/org"
)

// Signature is a drawn signature as a finger leaves it: a zigzag stroke
// on a transparent 300×100 PNG.
func Signature() []byte {
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

// InspectionStates are the states Inspection prepares, in order.
var InspectionStates = []string{"planned", "staffed", "approved", "checked_in", "started", "ready", "closed"}

// Crew is who prepares an inspection: the department's planner (records
// the task), its approver (not on the team) and the team, whose first
// officer works it on site.
type Crew struct {
	Planner, Approver *org.Actor
	Team              []*org.Actor
}

// Inspection prepares a case inspection (a tip) of an enterprise the
// planner's department supervises, taken to state: "planned" (recorded,
// unstaffed), "staffed" (team and a window from today), "approved",
// "checked_in" (by the entry code), "started", "ready" (every item marked
// 合格 and the record signed by the officers, each his own box, and the
// party) or "closed" (a violation ordered rectified by next week recorded
// with a photo before the signatures, then closed: its writs issued and
// its re-check task made).
func Inspection(ctx context.Context, en *enforce.Service, clock calendar.Clock, crew Crew, enterprise int64, state string) (int64, error) {
	in, err := en.AddInspection(ctx, crew.Planner, enforce.InspectionInput{EnterpriseID: enterprise, Basis: enforce.BasisTip, Note: "举报核查"})
	if err != nil {
		return 0, fmt.Errorf("prepare: record: %w", err)
	}
	id := in.ID
	reached := func(s string) bool { return index(state) >= index(s) }
	if !reached("staffed") {
		return id, nil
	}
	today := calendar.Local(clock.Now())
	var team []int64
	for _, o := range crew.Team {
		team = append(team, o.UserID)
	}
	if err := en.SetTask(ctx, crew.Planner, id, enforce.TaskInput{Officers: team, From: today.Format("2006-01-02"),
		To: today.AddDate(0, 0, 10).Format("2006-01-02")}); err != nil {
		return id, fmt.Errorf("prepare: staff: %w", err)
	}
	if !reached("approved") {
		return id, nil
	}
	if err := en.ApproveTask(ctx, crew.Approver, id); err != nil {
		return id, fmt.Errorf("prepare: approve: %w", err)
	}
	if !reached("checked_in") {
		return id, nil
	}
	o := crew.Team[0]
	token, err := en.CheckinToken(ctx, o, enterprise)
	if err != nil {
		return id, fmt.Errorf("prepare: entry code: %w", err)
	}
	if got, err := en.CheckIn(ctx, o, token); err != nil || got != id {
		return id, fmt.Errorf("prepare: check in: %d, %v", got, err)
	}
	if !reached("started") {
		return id, nil
	}
	if err := en.Start(ctx, o, id, enforce.StartInput{}); err != nil {
		return id, fmt.Errorf("prepare: start: %w", err)
	}
	if !reached("ready") {
		return id, nil
	}
	d, err := en.GetInspection(ctx, o, id)
	if err != nil {
		return id, fmt.Errorf("prepare: %w", err)
	}
	var marks []enforce.MarkInput
	for _, it := range d.Items {
		marks = append(marks, enforce.MarkInput{Item: it.Key, Result: "pass"})
	}
	if err := en.Mark(ctx, o, id, marks); err != nil {
		return id, fmt.Errorf("prepare: marks: %w", err)
	}
	if reached("closed") { // what is found is recorded before the record is signed
		if _, err := en.AddFinding(ctx, o, id, enforce.FindingInput{Place: "配电室", Description: "未设置安全警示标志", Violation: "a99-1",
			Deadline: today.AddDate(0, 0, 7).Format("2006-01-02"), Files: []files.Upload{{Name: "现场.png", Body: bytes.NewReader(Signature())}}}); err != nil {
			return id, fmt.Errorf("prepare: finding: %w", err)
		}
	}
	for n, s := range []enforce.SignInput{{Role: "officer1"}, {Role: "officer2"}, {Role: "party", Name: "张三"}} {
		s.PNG = Signature()
		signer := o
		if n == 1 { // each officer signs his own box
			signer = crew.Team[1]
		}
		if err := en.Sign(ctx, signer, id, s); err != nil {
			return id, fmt.Errorf("prepare: sign %s: %w", s.Role, err)
		}
	}
	if !reached("closed") {
		return id, nil
	}
	if _, err := en.Close(ctx, o, id, enforce.CloseInput{Place: "厂区", Party: "张三", Summary: "按检查表逐项检查"}); err != nil {
		return id, fmt.Errorf("prepare: close: %w", err)
	}
	return id, nil
}

func index(state string) int {
	for i, s := range InspectionStates {
		if s == state {
			return i
		}
	}
	return len(InspectionStates)
}

// Recheck does the re-check task of a closed inspection (the clock must be
// in its window): the crew's first officer checks in and starts, marks
// every finding 已整改 (pass) or 拒不改正 (fail), the record is signed and
// the re-check closed. It returns the re-check's id.
func Recheck(ctx context.Context, en *enforce.Service, crew Crew, inspectionID int64, pass bool) (int64, error) {
	o := crew.Team[0]
	d, err := en.GetInspection(ctx, o, inspectionID)
	if err != nil || d.Recheck == 0 {
		return 0, fmt.Errorf("recheck: no re-check task (%v)", err)
	}
	token, err := en.CheckinToken(ctx, o, d.EnterpriseID)
	if err != nil {
		return 0, fmt.Errorf("recheck: entry code: %w", err)
	}
	if got, err := en.CheckIn(ctx, o, token); err != nil || got != d.Recheck {
		return 0, fmt.Errorf("recheck: check in: %d, %v", got, err)
	}
	if err := en.Start(ctx, o, d.Recheck, enforce.StartInput{}); err != nil {
		return 0, fmt.Errorf("recheck: start: %w", err)
	}
	var marks []enforce.MarkInput
	for _, f := range d.Findings {
		m := enforce.MarkInput{Item: fmt.Sprintf("f%d", f.ID), Result: "pass", Note: "已整改"}
		if !pass {
			m.Result, m.Note = "fail", "逾期未整改，拒不改正"
		}
		marks = append(marks, m)
	}
	if err := en.Mark(ctx, o, d.Recheck, marks); err != nil {
		return 0, fmt.Errorf("recheck: marks: %w", err)
	}
	for n, s := range []enforce.SignInput{{Role: "officer1"}, {Role: "officer2"}, {Role: "party", Name: "张三"}} {
		s.PNG = Signature()
		signer := o
		if n == 1 {
			signer = crew.Team[1]
		}
		if err := en.Sign(ctx, signer, d.Recheck, s); err != nil {
			return 0, fmt.Errorf("recheck: sign %s: %w", s.Role, err)
		}
	}
	if _, err := en.Close(ctx, o, d.Recheck, enforce.CloseInput{Place: "厂区", Party: "张三", Summary: "复查"}); err != nil {
		return 0, fmt.Errorf("recheck: close: %w", err)
	}
	return d.Recheck, nil
}

// CaseStates are the states Case prepares, in order.
var CaseStates = []string{"filed", "noticed", "decided", "served"}

// Case prepares a 行政处罚案件 of a tip against an enterprise the crew's
// department supervises (article 99 (一), 警示标志), taken to state:
// "filed" (opened by the team, with a photo as evidence), "noticed" (20,000 yuan in the 一般 tier),
// "decided" (the party's statement recorded, decided by the approver) or
// "served" (handed over today: 15 days to pay).
func Case(ctx context.Context, en *enforce.Service, crew Crew, enterprise int64, state string) (int64, error) {
	o := crew.Team[0]
	var team []int64
	for _, m := range crew.Team {
		team = append(team, m.UserID)
	}
	c, err := en.OpenCase(ctx, o, enforce.CaseInput{Source: "tip", EnterpriseID: enterprise, Violation: "a99-1", Facts: "配电室未设置安全警示标志",
		Officers: team})
	if err != nil {
		return 0, fmt.Errorf("prepare case: open: %w", err)
	}
	if err := en.AddEvidence(ctx, o, c.ID, enforce.EvidenceInput{Kind: "evidence", Note: "现场照片",
		Files: []files.Upload{{Name: "现场.png", Body: bytes.NewReader(Signature())}}}); err != nil {
		return c.ID, fmt.Errorf("prepare case: evidence: %w", err)
	}
	at := 0
	for i, s := range CaseStates {
		if s == state {
			at = i
		}
	}
	steps := []func() error{
		func() error { return en.Notify(ctx, o, c.ID, enforce.NoticeInput{Tier: "一般", Proposed: 20000}) },
		func() error {
			if err := en.State(ctx, o, c.ID, "当事人当面陈述: 已整改，请求从轻", true); err != nil {
				return err
			}
			return en.Decide(ctx, crew.Approver, c.ID, enforce.DecideInput{Fine: 20000})
		},
		func() error { return en.Serve(ctx, o, c.ID, enforce.ServeInput{How: "direct"}) },
	}
	for i := 0; i < at; i++ {
		if err := steps[i](); err != nil {
			return c.ID, fmt.Errorf("prepare case: %s: %w", CaseStates[i+1], err)
		}
	}
	return c.ID, nil
}
