package web

import (
	"context"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"anwei/internal/apperr"
	"anwei/internal/enforce"
	"anwei/internal/org"
)

// The 行政处罚案件's steps (issue 24), one table for the page and the API:
// each step reads what it needs from one body.

// caseStepBody is what any step of a case takes; each step reads its own
// fields (see caseSteps).
type caseStepBody struct {
	Kind       string  `json:"kind,omitempty"`       // evidence: evidence | interview; revise: revoked | changed
	Note       string  `json:"note,omitempty"`       // evidence, hearing record, review, discussion, close, corrected
	Text       string  `json:"text,omitempty"`       // statement
	Done       bool    `json:"done,omitempty"`       // statement: the party has nothing to add
	Tier       string  `json:"tier,omitempty"`       // notice: the 裁量基准 tier
	Proposed   float64 `json:"proposed,omitempty"`   // notice: yuan
	Income     float64 `json:"income,omitempty"`     // notice, decision: Art. 95
	Suspension bool    `json:"suspension,omitempty"` // notice: 停产停业整顿
	On         string  `json:"on,omitempty"`         // hearing, service, payment, corrected: YYYY-MM-DD
	Time       string  `json:"time,omitempty"`       // hearing
	Place      string  `json:"place,omitempty"`      // hearing
	Chair      int64   `json:"chair,omitempty"`      // hearing
	Reason     string  `json:"reason,omitempty"`     // extension, waiver
	Fine       float64 `json:"fine,omitempty"`       // decision: yuan
	Waive      bool    `json:"waive,omitempty"`      // decision: 不予行政处罚
	Signer     string  `json:"signer,omitempty"`     // consent
	How        string  `json:"how,omitempty"`        // service: direct | left | post | electronic | notice
	Amount     float64 `json:"amount,omitempty"`     // payment: yuan
	Receipt    string  `json:"receipt,omitempty"`    // payment
}

// caseStep is a step of a case: what it does, its flash on the page and
// the form section it comes back to on an error.
type caseStep struct {
	words, flash string
	run          func(s *Server, ctx context.Context, a *org.Actor, id int64, b caseStepBody) error
}

// caseSteps are the steps by their path name.
var caseSteps = map[string]caseStep{
	"evidence": {"调查取证: kind (evidence 证据 / interview 询问笔录)、note；页面可附文件", "case-saved", func(s *Server, ctx context.Context, a *org.Actor, id int64, b caseStepBody) error {
		return s.Enforce.AddEvidence(ctx, a, id, enforce.EvidenceInput{Kind: b.Kind, Note: b.Note})
	}},
	"notice": {"行政处罚告知书: tier (裁量档次)、proposed (拟罚款，元)、suspension；第九十五条另给 income", "case-noticed", func(s *Server, ctx context.Context, a *org.Actor, id int64, b caseStepBody) error {
		return s.Enforce.Notify(ctx, a, id, enforce.NoticeInput{Tier: b.Tier, Proposed: b.Proposed, Income: b.Income, Suspension: b.Suspension})
	}},
	"statement": {"陈述申辩 (当事人在线提交，或执法人员记录): text；done 为陈述申辩完毕 (不必等期满即可决定)", "case-stated", func(s *Server, ctx context.Context, a *org.Actor, id int64, b caseStepBody) error {
		return s.Enforce.State(ctx, a, id, b.Text, b.Done)
	}},
	"not-paid": {"当事人报告的缴款未到账 (执法人员核实): note；案件回到待缴纳", "case-saved", func(s *Server, ctx context.Context, a *org.Actor, id int64, b caseStepBody) error {
		return s.Enforce.NotPaid(ctx, a, id, b.Note)
	}},
	"hearing-request": {"当事人要求听证 (告知后五个工作日内)", "case-hearing-asked", func(s *Server, ctx context.Context, a *org.Actor, id int64, _ caseStepBody) error {
		return s.Enforce.AskHearing(ctx, a, id)
	}},
	"hearing": {"听证通知书: on (举行日期，七个工作日后)、time、place、chair (非本案调查人员)", "case-saved", func(s *Server, ctx context.Context, a *org.Actor, id int64, b caseStepBody) error {
		return s.Enforce.SetHearing(ctx, a, id, enforce.HearingInput{On: b.On, Time: b.Time, Place: b.Place, Chair: b.Chair})
	}},
	"hearing-record": {"听证笔录: note", "case-saved", func(s *Server, ctx context.Context, a *org.Actor, id int64, b caseStepBody) error {
		return s.Enforce.RecordHearing(ctx, a, id, b.Note)
	}},
	"review": {"法制审核意见 (负责人，非承办人): note", "case-saved", func(s *Server, ctx context.Context, a *org.Actor, id int64, b caseStepBody) error {
		return s.Enforce.Review(ctx, a, id, b.Note)
	}},
	"discussion": {"负责人集体讨论记录: note", "case-saved", func(s *Server, ctx context.Context, a *org.Actor, id int64, b caseStepBody) error {
		return s.Enforce.Discuss(ctx, a, id, b.Note)
	}},
	"extension": {"批准延长办案期限: reason", "case-saved", func(s *Server, ctx context.Context, a *org.Actor, id int64, b caseStepBody) error {
		return s.Enforce.Extend(ctx, a, id, b.Reason)
	}},
	"decision": {"处罚决定 (负责人，非承办人): fine (元，不高于告知数额)；或 waive 与 reason (首违不罚)", "case-decided", func(s *Server, ctx context.Context, a *org.Actor, id int64, b caseStepBody) error {
		return s.Enforce.Decide(ctx, a, id, enforce.DecideInput{Fine: b.Fine, Waive: b.Waive, Reason: b.Reason, Income: b.Income})
	}},
	"consent": {"当事人签署同意电子送达: signer", "case-saved", func(s *Server, ctx context.Context, a *org.Actor, id int64, b caseStepBody) error {
		return s.Enforce.Consent(ctx, a, id, b.Signer)
	}},
	"service": {"送达决定书: on、how (direct/left/post/electronic/notice)", "case-served", func(s *Server, ctx context.Context, a *org.Actor, id int64, b caseStepBody) error {
		return s.Enforce.Serve(ctx, a, id, enforce.ServeInput{On: b.On, How: b.How})
	}},
	"payment": {"缴纳罚款 (当事人或执法人员登记): on、amount (含逾期加处罚款)、receipt", "case-paid", func(s *Server, ctx context.Context, a *org.Actor, id int64, b caseStepBody) error {
		return s.Enforce.Pay(ctx, a, id, enforce.PayInput{On: b.On, Amount: b.Amount, Receipt: b.Receipt})
	}},
	"reminder": {"缴纳罚款催告书 (缴纳期限届满后)", "case-saved", func(s *Server, ctx context.Context, a *org.Actor, id int64, _ caseStepBody) error {
		return s.Enforce.Remind(ctx, a, id)
	}},
	"surcharge": {"加处罚款决定书 (催告后)", "case-saved", func(s *Server, ctx context.Context, a *org.Actor, id int64, _ caseStepBody) error {
		return s.Enforce.Surcharge(ctx, a, id)
	}},
	"court": {"申请人民法院强制执行 (催告满十日，复议、诉讼期限届满后三个月内)", "case-saved", func(s *Server, ctx context.Context, a *org.Actor, id int64, _ caseStepBody) error {
		return s.Enforce.ApplyCourt(ctx, a, id)
	}},
	"close": {"结案 (负责人): note", "case-closed", func(s *Server, ctx context.Context, a *org.Actor, id int64, b caseStepBody) error {
		return s.Enforce.CloseCase(ctx, a, id, b.Note)
	}},
	"corrected": {"复查认定拒不改正的行为已改正，按日连续处罚计至该日 (或前一日): on、note", "case-saved", func(s *Server, ctx context.Context, a *org.Actor, id int64, b caseStepBody) error {
		return s.Enforce.Corrected(ctx, a, id, b.On, b.Note)
	}},
	"revise": {"决定撤销或变更 (负责人，行政复议、诉讼或本机关纠错): kind (revoked 撤销 / changed 变更)、fine (变更后的罚款，元，不得加重)、reason；已公示的须三日内撤回", "case-revised", func(s *Server, ctx context.Context, a *org.Actor, id int64, b caseStepBody) error {
		return s.Enforce.Revise(ctx, a, id, enforce.ReviseInput{Kind: b.Kind, Fine: b.Fine, Reason: b.Reason})
	}},
	"daily": {"按日连续处罚立案 (计罚结束后)", "case-daily", func(s *Server, ctx context.Context, a *org.Actor, id int64, _ caseStepBody) error {
		_, err := s.Enforce.OpenDaily(ctx, a, id)
		return err
	}},
}

// caseStepWords list the steps for the API's description.
func caseStepWords() string {
	var names []string
	for k, v := range caseSteps {
		names = append(names, k+" "+v.words)
	}
	sort.Strings(names)
	return strings.Join(names, "；")
}

func (s *Server) apiCases(_ http.ResponseWriter, r *http.Request) (any, error) {
	f := caseFilterOf(r)
	f.Page = apiPage(r)
	cs, n, err := s.Enforce.Cases(r.Context(), actorOf(r), f)
	return newList(cs, n, f.Page), err
}

// caseFilterOf reads the list's filters.
func caseFilterOf(r *http.Request) enforce.CaseFilter {
	q := r.URL.Query()
	f := enforce.CaseFilter{State: q.Get("state"), Overdue: q.Get("overdue") == "1"}
	f.Year, _ = strconv.Atoi(q.Get("year"))
	f.Enterprise, _ = strconv.ParseInt(q.Get("enterprise"), 10, 64)
	f.Article, _ = strconv.Atoi(q.Get("article"))
	f.Unit, _ = strconv.ParseInt(q.Get("unit"), 10, 64)
	return f
}

func (s *Server) apiCaseOpen(_ http.ResponseWriter, r *http.Request) (any, error) {
	in, err := body[enforce.CaseInput](r)
	if err != nil {
		return nil, err
	}
	return s.Enforce.OpenCase(r.Context(), actorOf(r), in)
}

func (s *Server) apiCaseSpot(_ http.ResponseWriter, r *http.Request) (any, error) {
	in, err := body[enforce.SpotInput](r)
	if err != nil {
		return nil, err
	}
	return s.Enforce.OnTheSpot(r.Context(), actorOf(r), in)
}

func (s *Server) apiCase(_ http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.Enforce.GetCase(r.Context(), actorOf(r), id)
}

func (s *Server) apiCaseStep(_ http.ResponseWriter, r *http.Request) (any, error) {
	id, in, err := idBodyOf[caseStepBody, caseStepBody](r)
	if err != nil {
		return nil, err
	}
	st, ok := caseSteps[r.PathValue("step")]
	if !ok {
		return nil, apperr.New(apperr.NotFound, "没有这一办案步骤")
	}
	if err := st.run(s, r.Context(), actorOf(r), id, in); err != nil {
		return nil, err
	}
	return s.Enforce.GetCase(r.Context(), actorOf(r), id)
}

// caseRulesView is the case rules in force with the notes of each figure.
type caseRulesView struct {
	Rules  enforce.CaseRules `json:"rules"`
	Region string            `json:"region"` // whose setting applies; "" the default
	Notes  map[string]string `json:"notes"`
}

func (s *Server) apiCaseRules(_ http.ResponseWriter, r *http.Request) (any, error) {
	c, region, err := s.Enforce.CaseRulesOf(r.Context(), actorOf(r))
	return caseRulesView{Rules: c, Region: region, Notes: enforce.CaseRuleNotes}, err
}

func (s *Server) apiCaseRulesSet(_ http.ResponseWriter, r *http.Request) (any, error) {
	in, err := body[enforce.CaseRules](r)
	if err != nil {
		return nil, err
	}
	return done(s.Enforce.SetCaseRules(r.Context(), actorOf(r), in))
}

func (s *Server) apiCaseFigures(_ http.ResponseWriter, r *http.Request) (any, error) {
	return s.Enforce.CaseFigures(r.Context(), actorOf(r), s.yearOf(r))
}
