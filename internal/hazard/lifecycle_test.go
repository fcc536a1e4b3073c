package hazard

import (
	"strings"
	"testing"
)

// good is a step that satisfies every action's requirements.
func good(a Action, side Side) Step {
	return Step{Action: a, Side: side, Level: Major, Criterion: "hg121-5", Deadline: "2026-12-31", Writ: "天应急责改〔2026〕7号",
		Evidence: "已更换安全阀并检测合格", Reason: "复查发现压力表未校验", Today: "2026-11-23"}
}

func TestEveryTransition(t *testing.T) {
	states := []State{Reported, Judged, Assigned, Rectifying, Rectified, Closed}
	actions := []Action{Judge, Assign, Start, Submit, Pass, Fail, Reopen}
	want := map[[2]string]State{
		{"reported", "judge"}: Judged, {"judged", "assign"}: Assigned, {"assigned", "start"}: Rectifying,
		{"rectifying", "submit"}: Rectified, {"rectified", "pass"}: Closed, {"rectified", "fail"}: Rectifying,
		{"closed", "reopen"}: Rectifying,
	}
	for _, s := range states {
		for _, a := range actions {
			to, err := Next(s, good(a, Closer))
			exp, allowed := want[[2]string{string(s), string(a)}]
			switch {
			case allowed && (err != nil || to != exp):
				t.Errorf("%s --%s--> %s, %v; want %s", s, a, to, err, exp)
			case !allowed && (err == nil || to != s || !strings.Contains(err.Error(), "不能"+a.Name())):
				t.Errorf("%s --%s--> %s accepted or unclear: %v", s, a, to, err)
			}
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
