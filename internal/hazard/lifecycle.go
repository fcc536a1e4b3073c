package hazard

import (
	"fmt"
	"strings"
	"time"

	"anwei/internal/apperr"
	"anwei/internal/files"
	"anwei/internal/rules"
)

// State is where a hazard is in its lifecycle.
type State string

// The states, in order.
const (
	Reported   State = "reported"   // 已上报: found and recorded
	Judged     State = "judged"     // 已判定: level (一般/重大) decided
	Assigned   State = "assigned"   // 已交办: writ issued with a deadline
	Rectifying State = "rectifying" // 整改中
	Rectified  State = "rectified"  // 已整改，待复查
	Closed     State = "closed"     // 已销号
	// SelfRectifying is an enterprise's own general hazard that it
	// rectifies itself (自行整改): it set the deadline, the responsible
	// person and the measures, and closes it after its own acceptance.
	SelfRectifying State = "self_rectifying" // 企业自行整改中
)

var stateNames = map[State]string{Reported: "已上报", Judged: "已判定", Assigned: "已交办", Rectifying: "整改中", Rectified: "已整改待复查", Closed: "已销号",
	SelfRectifying: "企业自行整改中"}

// Name is the state in Chinese.
func (s State) Name() string { return stateNames[s] }

// Action moves a hazard from one state to the next.
type Action string

// The actions.
const (
	Judge  Action = "judge"  // 判定等级
	Assign Action = "assign" // 交办 (整改通知/责令限期整改)
	Start  Action = "start"  // 开始整改
	Submit Action = "submit" // 报整改完成 (整改后照片、报告)
	Pass   Action = "pass"   // 复查通过，销号
	Fail   Action = "fail"   // 复查不通过，退回整改
	Reopen Action = "reopen" // 重新打开已销号隐患
	// An enterprise's own general hazard (《安全生产事故隐患排查治理暂行规定》
	// 第十五条: 一般事故隐患由企业负责人或者有关人员立即组织整改):
	Fix    Action = "fix"    // 即查即改: reported and closed in one step, with the measures taken and photos after
	Self   Action = "self"   // 自行整改: the enterprise sets the deadline, the responsible person and the measures
	Accept Action = "accept" // 自行验收销号: the enterprise closes what it rectified itself after its own acceptance
)

var actionNames = map[Action]string{Judge: "判定", Assign: "交办", Start: "开始整改", Submit: "报整改完成", Pass: "复查通过销号",
	Fail: "复查不通过", Reopen: "重新打开", Fix: "即查即改", Self: "自行整改", Accept: "自行验收销号"}

// Name is the action in Chinese.
func (a Action) Name() string { return actionNames[a] }

// Side is who may take an action: the enterprise, or a government user
// (department, street, office) whose scope holds the hazard; Closer is the
// authority that assigned or listed it.
type Side string

// The sides.
const (
	Enterprise Side = "enterprise"
	Government Side = "government"
	Closer     Side = "closer" // the assigning authority, or the listing office for a listed hazard
	// Owner is the enterprise on a general hazard it found itself and
	// handles itself (no department assigned or listed it): it may take
	// every step of the enterprise, and close it.
	Owner Side = "owner"
)

// transition is one allowed step.
type transition struct {
	from  State
	act   Action
	to    State
	sides []Side
}

// transitions are every allowed step; anything else is refused.
var transitions = []transition{
	{Reported, Judge, Judged, []Side{Government}},
	{Judged, Assign, Assigned, []Side{Government}},
	// Rectifying is the enterprise's own work: an official is never offered
	// 开始整改 or 报整改完成 (issue 14.7). Where the enterprise reports
	// nothing — a small shop without an account — the assigning authority
	// reviews on site when it sees fit (复查, 整改复查意见书) and closes it
	// from where it stands.
	{Assigned, Start, Rectifying, []Side{Enterprise}},
	{Rectifying, Submit, Rectified, []Side{Enterprise}},
	{Rectified, Pass, Closed, []Side{Closer}},
	{Assigned, Pass, Closed, []Side{Closer}},
	{Rectifying, Pass, Closed, []Side{Closer}},
	{Rectified, Fail, Rectifying, []Side{Closer}},
	{Closed, Reopen, Rectifying, []Side{Closer}},
	// The enterprise's own general hazards: fixed at once, or rectified by
	// the enterprise itself and closed after its own acceptance. The
	// government sees them and may take one over while it is open: it
	// judges it again (一般 or 重大) and assigns it as any other.
	{Reported, Fix, Closed, []Side{Owner}},
	{Reported, Self, SelfRectifying, []Side{Owner}},
	{SelfRectifying, Accept, Closed, []Side{Owner}},
	{SelfRectifying, Judge, Judged, []Side{Government}},
}

// Levels of a hazard.
const (
	General = "general" // 一般事故隐患
	Major   = "major"   // 重大事故隐患
)

// Step is what an actor submits with an action.
type Step struct {
	Action    Action
	Side      Side   // the actor's side (Closer when it is the assigning or listing authority)
	Level     string // Judge: general | major
	Criterion string // Judge, major: the criteria item key, or "" with Reasoning (an expert's judgement)
	Reasoning string // Judge, major without a criterion: the expert's reasoning
	Deadline  string // Assign: YYYY-MM-DD, after today
	Writ      string // Assign: 整改通知书 / 责令限期整改指令书 number
	Evidence  string // Submit, Accept: what was done (photos go as attachments); Pass on site: the 复查意见
	Reason    string // Fail, Reopen: why
	// Fix, Self: the measures taken (Fix) or to take (Self); Self: the
	// responsible person and the Deadline the enterprise sets itself.
	Measures    string
	Responsible string
	Today       string // the date the step is taken on (Asia/Shanghai)
	// Photos go with Submit, Fix and Accept: the rectified place, the
	// report (at most 10); Fix needs at least one.
	Photos []files.Upload
}

// Next checks a step against the lifecycle and returns the state it leads to,
// or a Chinese error naming what is wrong.
func Next(from State, s Step) (State, error) {
	var t *transition
	for i := range transitions {
		if transitions[i].from == from && transitions[i].act == s.Action {
			t = &transitions[i]
		}
	}
	if t == nil {
		if s.Action.Name() == "" {
			return from, apperr.Field("action", fmt.Sprintf("未知的操作 %q", s.Action))
		}
		return from, apperr.New(apperr.Conflict, fmt.Sprintf("隐患当前为「%s」，不能%s (可进行: %s)", from.Name(), s.Action.Name(), allowedFrom(from)))
	}
	if !mayTake(t.sides, s.Side) {
		return from, apperr.New(apperr.Forbidden, fmt.Sprintf("%s须由%s进行", s.Action.Name(), sideNames(t.sides)))
	}
	var c apperr.Checks // every field of the step at once (issue 16.2), in the form's order
	switch s.Action {
	case Judge:
		switch s.Level {
		case General:
		case Major:
			c.If(s.Criterion == "" && strings.TrimSpace(s.Reasoning) == "", "criterion", "判定为重大事故隐患须选择判定标准条款，或由专家写明判定理由")
			if _, ok := rules.LookupCriterion(s.Criterion); s.Criterion != "" && !ok {
				c.Add("criterion", fmt.Sprintf("判定标准条款 %q 不在判定标准库中", s.Criterion))
			}
		default:
			c.Add("level", "请选择隐患等级 (一般或重大)")
		}
	case Assign, Self:
		if s.Action == Self { // the report form's order: measures, responsible, deadline
			c.If(strings.TrimSpace(s.Measures) == "", "measures", "自行整改须写明整改措施")
			c.If(strings.TrimSpace(s.Responsible) == "", "responsible", "自行整改须写明整改责任人")
		}
		if d, err := time.Parse("2006-01-02", s.Deadline); err != nil {
			c.Add("deadline", "请填写整改期限 (年-月-日)")
		} else if s.Today != "" && d.Format("2006-01-02") <= s.Today {
			c.Add("deadline", fmt.Sprintf("整改期限应在今天 (%s) 之后", s.Today))
		}
		c.If(s.Action == Assign && strings.TrimSpace(s.Writ) == "", "writ", "交办须附整改通知书或责令限期整改指令书文号")
	case Submit, Accept:
		c.If(strings.TrimSpace(s.Evidence) == "", "evidence", "请写明整改情况 (措施、完成时间)，并附整改后照片或报告")
	case Pass:
		// Closed on site before the enterprise reported: the review is the
		// record (整改复查意见书), so it is written down.
		c.If(from != Rectified && strings.TrimSpace(s.Evidence) == "", "evidence", "现场复查销号须写明复查意见 (复查时间、整改情况)")
	case Fix:
		c.If(strings.TrimSpace(s.Measures) == "", "measures", "即查即改须写明已采取的整改措施")
		c.If(len(s.Photos) == 0, "after_files", "即查即改须附整改后照片")
	case Fail, Reopen:
		c.If(strings.TrimSpace(s.Reason) == "", "reason", s.Action.Name()+"须写明理由")
	}
	if err := c.Err(); err != nil {
		return from, err
	}
	return t.to, nil
}

// mayTake reports whether side may take a step open to sides; the closer is
// a government unit too, the owner the enterprise.
func mayTake(sides []Side, side Side) bool {
	for _, x := range sides {
		if x == side || (x == Government && side == Closer) || (x == Enterprise && side == Owner) {
			return true
		}
	}
	return false
}

// Steps lists the actions side may take from a state.
func Steps(from State, side Side) []Action {
	var out []Action
	for _, t := range transitions {
		if t.from == from && mayTake(t.sides, side) {
			out = append(out, t.act)
		}
	}
	return out
}

func allowedFrom(from State) string {
	var out []string
	for _, t := range transitions {
		if t.from == from {
			out = append(out, t.act.Name())
		}
	}
	if len(out) == 0 {
		return "无"
	}
	return strings.Join(out, "、")
}

var sideLabels = map[Side]string{Enterprise: "企业", Government: "监管部门", Closer: "交办或挂牌督办的单位",
	Owner: "自查发现该一般隐患、未经部门交办的企业"}

func sideNames(ss []Side) string {
	var out []string
	for _, s := range ss {
		out = append(out, sideLabels[s])
	}
	return strings.Join(out, "或")
}

// Open reports whether a hazard in this state still needs work (counts
// toward 动态清零 and can become overdue).
func (s State) Open() bool { return s != Closed }

// Overdue reports whether a hazard is overdue on day today: open, past its
// deadline. Derived, never stored.
func Overdue(s State, deadline, today string) bool {
	return s.Open() && deadline != "" && deadline < today
}

// CriterionText cites a criteria item: 《工贸企业重大事故隐患判定标准》
// (应急管理部令第10号) 第三条第（一）项.
func CriterionText(key string) string {
	c, ok := rules.LookupCriterion(key)
	if !ok {
		return ""
	}
	return "《" + c.Standard + "》（" + c.DocNo + "）" + c.Article
}

// LevelName is a level in Chinese; "" is 未判定.
func LevelName(l string) string {
	return map[string]string{General: "一般", Major: "重大", "": "未判定"}[l]
}

// ActionName names a history action: a lifecycle action, or report and list.
func ActionName(a string) string {
	switch a {
	case "report":
		return "上报"
	case "list":
		return "挂牌督办"
	case "recheck":
		return "执法复查"
	}
	return Action(a).Name()
}
