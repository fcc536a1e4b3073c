package hazard

import (
	"slices"
	"strings"
	"testing"

	"anwei/internal/apperr"
	"anwei/internal/files"
)

// good is a step that satisfies every action's requirements.
func good(a Action, side Side) Step {
	return Step{Action: a, Side: side, Level: Major, Criterion: "hg121-5", Deadline: "2026-12-31", Writ: "天应急责改〔2026〕7号",
		Evidence: "已更换安全阀并检测合格", Reason: "复查发现压力表未校验", Today: "2026-11-23",
		Measures: "已恢复防护罩", Responsible: "车间主任 张伟", Photos: []files.Upload{{Name: "后.jpg", Body: strings.NewReader("x")}}}
}

func TestEveryTransition(t *testing.T) {
	// An official never rectifies: 开始整改 and 报整改完成 are the enterprise's (issue 14.7).
	for _, a := range []Action{Start, Submit} {
		for _, sd := range []Side{Government, Closer} {
			if slices.Contains(Steps(Assigned, sd), a) || slices.Contains(Steps(Rectifying, sd), a) {
				t.Errorf("%s is offered %s", sd, a.Name())
			}
		}
	}
	states := []State{Reported, Judged, Assigned, Rectifying, Rectified, Closed, SelfRectifying}
	actions := []Action{Judge, Assign, Start, Submit, Pass, Fail, Reopen, Fix, Self, Accept}
	// Each allowed step, with the side that takes it: the department's
	// cycle, and an enterprise's own general hazards (fixed at once, or
	// rectified and accepted by itself; the government may take one over).
	type to struct {
		state State
		side  Side
	}
	want := map[[2]string]to{
		{"reported", "judge"}: {Judged, Closer}, {"judged", "assign"}: {Assigned, Closer}, {"assigned", "start"}: {Rectifying, Enterprise},
		{"rectifying", "submit"}: {Rectified, Enterprise}, {"rectified", "pass"}: {Closed, Closer}, {"rectified", "fail"}: {Rectifying, Closer},
		{"closed", "reopen"}: {Rectifying, Closer},
		// 复查 on site where the enterprise reported nothing.
		{"assigned", "pass"}: {Closed, Closer}, {"rectifying", "pass"}: {Closed, Closer},
		{"reported", "fix"}: {Closed, Owner}, {"reported", "self"}: {SelfRectifying, Owner}, {"self_rectifying", "accept"}: {Closed, Owner},
		{"self_rectifying", "judge"}: {Judged, Government},
	}
	for _, s := range states {
		for _, a := range actions {
			exp, allowed := want[[2]string{string(s), string(a)}]
			side := exp.side
			if !allowed {
				side = Closer
			}
			to, err := Next(s, good(a, side))
			switch {
			case allowed && (err != nil || to != exp.state):
				t.Errorf("%s --%s--> %s, %v; want %s", s, a, to, err, exp.state)
			case !allowed && (err == nil || to != s || !strings.Contains(err.Error(), "不能"+a.Name())):
				t.Errorf("%s --%s--> %s accepted or unclear: %v", s, a, to, err)
			}
		}
	}
	if SelfRectifying.Name() != "企业自行整改中" || !SelfRectifying.Open() {
		t.Error("自行整改中 is an open state")
	}
}

// Only the enterprise that found a general hazard itself, and no
// department took over, fixes, rectifies and accepts it itself; neither
// the enterprise on a hazard a department handles nor any government unit
// may.
func TestOnlyTheOwnerClosesItsOwnHazards(t *testing.T) {
	for _, c := range []struct {
		from State
		act  Action
	}{{Reported, Fix}, {Reported, Self}, {SelfRectifying, Accept}} {
		for _, side := range []Side{Enterprise, Government, Closer} {
			if to, err := Next(c.from, good(c.act, side)); err == nil || to != c.from || !strings.Contains(err.Error(), "须由自查发现该一般隐患、未经部门交办的企业进行") {
				t.Errorf("%s by %s: %v", c.act, side, err)
			}
		}
	}
	// The owner is the enterprise: it takes the enterprise's steps too, but
	// never the department's.
	if to, err := Next(Rectifying, good(Submit, Owner)); err != nil || to != Rectified {
		t.Errorf("owner submit: %v", err)
	}
	for _, c := range []struct {
		from State
		act  Action
	}{{Reported, Judge}, {SelfRectifying, Judge}, {Rectified, Pass}, {Closed, Reopen}} {
		if _, err := Next(c.from, good(c.act, Owner)); err == nil {
			t.Errorf("the owner may %s", c.act)
		}
	}
}

// What the owner's steps need: a fix the measures taken and a photo after;
// a self-rectification a deadline after today, a responsible person and
// measures; the acceptance what was done.
func TestWhatTheOwnersStepsNeed(t *testing.T) {
	cases := []struct {
		from  State
		step  func(*Step)
		field string
	}{
		{Reported, func(s *Step) { s.Action, s.Measures = Fix, " " }, "measures"},
		{Reported, func(s *Step) { s.Action, s.Photos = Fix, nil }, "after_files"},
		{Reported, func(s *Step) { s.Action, s.Deadline = Self, "" }, "deadline"},
		{Reported, func(s *Step) { s.Action, s.Deadline = Self, s.Today }, "deadline"},
		{Reported, func(s *Step) { s.Action, s.Responsible = Self, "" }, "responsible"},
		{Reported, func(s *Step) { s.Action, s.Measures = Self, "" }, "measures"},
		{SelfRectifying, func(s *Step) { s.Action, s.Evidence = Accept, "" }, "evidence"},
	}
	for _, c := range cases {
		st := good("", Owner)
		c.step(&st)
		to, err := Next(c.from, st)
		if err == nil || to != c.from || apperr.FieldOf(err) != c.field {
			t.Errorf("%s %+v: %v, want a field error on %s", c.from, st.Action, err, c.field)
		}
	}
	// A self-rectification needs no writ: the enterprise sets its own deadline.
	st := good(Self, Owner)
	st.Writ = ""
	if to, err := Next(Reported, st); err != nil || to != SelfRectifying {
		t.Errorf("self without writ: %v", err)
	}
}

func TestHandlingIsReadFromTheRecord(t *testing.T) {
	own := Hazard{Source: "self", Level: General, State: Closed}
	withDeadline := own
	withDeadline.Deadline = "2026-12-01"
	rectifying := withDeadline
	rectifying.State = SelfRectifying
	assigned := withDeadline
	assigned.AssignedBy, assigned.Writ = 7, "天应急改〔2026〕1号"
	inspected := own
	inspected.Source = "inspection"
	major := own
	major.Level = Major
	reported := Hazard{Source: "self", State: Reported}
	for _, c := range []struct {
		h    Hazard
		want string
	}{{own, "fix"}, {withDeadline, "self"}, {rectifying, "self"}, {assigned, "department"}, {inspected, "department"},
		{major, "department"}, {reported, "department"}} {
		if got := HandlingOf(c.h); got != c.want {
			t.Errorf("%+v: %s, want %s", c.h, got, c.want)
		}
	}
}

func TestWhoMayActAndWhatEachNeeds(t *testing.T) {
	cases := []struct {
		from State
		step Step
		want string
	}{
		{Reported, Step{Action: Judge, Side: Enterprise, Level: General}, "须由监管部门进行"},
		{Rectified, Step{Action: Pass, Side: Government}, "须由交办或挂牌督办的单位进行"},
		{Rectified, Step{Action: Pass, Side: Enterprise}, "须由交办或挂牌督办的单位进行"},
		{Closed, Step{Action: Reopen, Side: Government, Reason: "x"}, "须由交办或挂牌督办的单位进行"},
		{Reported, Step{Action: Judge, Side: Government, Level: Major}, "判定标准条款"},
		{Reported, Step{Action: Judge, Side: Government}, "请选择隐患等级"},
		{Judged, Step{Action: Assign, Side: Government, Deadline: "2026-11-23", Writ: "x", Today: "2026-11-23"}, "整改期限应在今天"},
		{Judged, Step{Action: Assign, Side: Government, Deadline: "2026-12-01", Today: "2026-11-23"}, "文号"},
		{Judged, Step{Action: Assign, Side: Government, Deadline: "下月", Writ: "x"}, "请填写整改期限"},
		{Rectifying, Step{Action: Submit, Side: Enterprise}, "整改情况"},
		{Rectified, Step{Action: Fail, Side: Closer}, "须写明理由"},
		{Closed, Step{Action: Reopen, Side: Closer, Reason: " "}, "须写明理由"},
		{Reported, Step{Action: "burn", Side: Closer}, "未知的操作"},
		{Reported, Step{Action: Judge, Side: Government, Level: Major, Criterion: "hg121-99"}, "不在判定标准库中"},
	}
	for _, c := range cases {
		to, err := Next(c.from, c.step)
		if err == nil || to != c.from || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %+v: %v, want %q", c.from, c.step, err, c.want)
		}
	}
	// An expert's reasoning stands in for a criterion not yet in the library.
	if to, err := Next(Reported, Step{Action: Judge, Side: Government, Level: Major, Reasoning: "储罐区无紧急切断，参照化工判定标准第五条"}); err != nil || to != Judged {
		t.Errorf("expert judgement: %v", err)
	}
	// The enterprise rectifies its own hazards.
	if to, err := Next(Rectifying, Step{Action: Submit, Side: Enterprise, Evidence: "已整改"}); err != nil || to != Rectified {
		t.Errorf("enterprise submit: %v", err)
	}
}

func TestOverdueIsDerived(t *testing.T) {
	if !Overdue(Rectifying, "2026-11-20", "2026-11-23") || Overdue(Closed, "2026-11-20", "2026-11-23") ||
		Overdue(Assigned, "2026-11-23", "2026-11-23") || Overdue(Judged, "", "2026-11-23") {
		t.Error("overdue rule")
	}
}
