package enforce

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"anwei/internal/apperr"
	"anwei/internal/calendar"
	"anwei/internal/codes"
	"anwei/internal/docs"
	"anwei/internal/files"
	"anwei/internal/inbox"
	"anwei/internal/org"
	"anwei/internal/rules"
	"anwei/internal/store"
)

// CaseStepKinds are what a case's 案卷 records.
var CaseStepKinds = []codes.Choice{{Key: "evidence", Name: "证据"}, {Key: "interview", Name: "询问笔录"}, {Key: "notice", Name: "行政处罚告知"},
	{Key: "statement", Name: "陈述申辩"}, {Key: "statement_done", Name: "陈述申辩完毕"}, {Key: "unpaid", Name: "缴款未到账"}, {Key: "hearing_ask", Name: "申请听证"}, {Key: "hearing_set", Name: "听证通知"}, {Key: "hearing", Name: "听证笔录"},
	{Key: "review", Name: "法制审核"}, {Key: "discussion", Name: "集体讨论"}, {Key: "extension", Name: "延长办案期限"}, {Key: "decision", Name: "处罚决定"},
	{Key: "waive", Name: "不予处罚"}, {Key: "consent", Name: "同意电子送达"}, {Key: "service", Name: "送达"}, {Key: "payment", Name: "缴纳罚款"},
	{Key: "remind", Name: "催告"}, {Key: "surcharge", Name: "加处罚款"}, {Key: "court", Name: "申请强制执行"}, {Key: "corrected", Name: "复查已改正"},
	{Key: "close", Name: "结案"}, {Key: "revise", Name: "撤销或变更决定"}, {Key: "import", Name: "历史案件导入"}}

// CaseStep is a step of a case's file.
type CaseStep struct {
	ID          int64     `json:"id"`
	Kind        string    `json:"kind"`
	KindName    string    `json:"kind_name"`
	On          string    `json:"on"`
	Note        string    `json:"note"`
	Name        string    `json:"name,omitempty"` // an evidence file
	SHA256      string    `json:"sha256,omitempty"`
	ContentType string    `json:"content_type,omitempty"`
	Size        int64     `json:"size,omitempty"`
	By          string    `json:"by"`
	At          time.Time `json:"at"`
}

// addStep records a step of c.
func addStep(ctx context.Context, tx *store.Tx, a *org.Actor, now time.Time, c PenaltyCase, kind, note string, f *files.Stored) error {
	var name, sum, ct string
	var size int64
	if f != nil {
		name, sum, ct, size = f.Name, f.SHA256, f.ContentType, f.Size
	}
	_, err := tx.Exec(ctx, `INSERT INTO enforce_case_steps (case_id, kind, on_date, note, name, sha256, content_type, size, by_user, at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.ID, kind, calendar.Local(now).Format(day), note, name, sum, ct, size, a.UserID, now)
	return err
}

func stepsOf(ctx context.Context, q querier, caseID int64) ([]CaseStep, error) {
	rows, err := q.Query(ctx, `SELECT s.id, s.kind, s.on_date, s.note, s.name, s.sha256, s.content_type, s.size, u.display_name, s.at
		FROM enforce_case_steps s JOIN `+org.UsersView+` u ON u.id = s.by_user WHERE s.case_id = ? ORDER BY s.id`, caseID)
	return store.Collect(rows, err, func(r store.Scanner) (CaseStep, error) {
		var st CaseStep
		err := r.Scan(&st.ID, &st.Kind, &st.On, &st.Note, &st.Name, &st.SHA256, &st.ContentType, &st.Size, &st.By, &st.At)
		st.KindName = codes.NameOf(CaseStepKinds, st.Kind)
		return st, err
	})
}

// CaseDetail is a case with its file, writs and what the law allows next.
type CaseDetail struct {
	PenaltyCase
	Steps []CaseStep `json:"steps"`
	Writs []CaseWrit `json:"writs"`
	// Law is the article's range; Rows the 裁量基准's rows for it.
	Law  rules.Penalty   `json:"law"`
	Rows []DiscretionRow `json:"discretion"`
	// HearingRight: the proposed penalty gives the party a hearing.
	HearingRight    bool         `json:"hearing_right"`
	NeedsReview     bool         `json:"needs_review"`     // 法制审核 before the decision (Art. 58)
	NeedsDiscussion bool         `json:"needs_discussion"` // 集体讨论 (Art. 57)
	First           FirstOffence `json:"first_offence"`
	Owed            Owed         `json:"owed"`
	Daily           *Daily       `json:"daily,omitempty"`
	DecidedBy       string       `json:"decided_by,omitempty"`
	Today           string       `json:"today"`
	Mine            bool         `json:"mine"` // the actor is one of its officers
	CourtFrom       string       `json:"court_from,omitempty"`
	CourtTo         string       `json:"court_to,omitempty"`
	// Part 4, the department's and the office's: the decision's 公示 and
	// what the case raised (提请关闭, 移送司法, 失信).
	Publications []Publication `json:"publications,omitempty"`
	Escalations  []Escalation  `json:"escalations,omitempty"`
	rules        CaseRules
}

// Owed is what the party owes on a day: the fine, the days late and the
// 加处罚款 (Art. 72).
type Owed struct {
	On       string  `json:"on"`
	Fine     float64 `json:"fine"`
	LateDays int     `json:"late_days"`
	LateFee  float64 `json:"late_fee"`
	Total    float64 `json:"total"`
	feeFen   int64
}

// owedOn is what c's party owes on date.
func owedOn(c PenaltyCase, date string) Owed {
	o := Owed{On: date, Fine: c.Fine}
	if c.PayBy == "" || c.Waived || c.PaidOn != "" {
		return o
	}
	o.LateDays = LateDays(c.PayBy, date)
	o.feeFen = LateFee(c.fineFen, c.PayBy, date)
	o.LateFee = yuanOf(o.feeFen)
	o.Total = yuanOf(c.fineFen + o.feeFen)
	if o.Total == 0 {
		o.Total = c.Fine
	}
	return o
}

// GetCase is a case the actor may see, with its file and writs.
func (s *Service) GetCase(ctx context.Context, a *org.Actor, id int64) (CaseDetail, error) {
	c, err := readCase(ctx, s.db, a, id)
	if err != nil {
		return CaseDetail{}, err
	}
	today := calendar.Local(s.clock.Now()).Format(day)
	c.Overdue = c.DueOn != "" && c.DueOn < today
	d := CaseDetail{PenaltyCase: c, Today: today, Mine: c.investigator(a)}
	if d.Steps, err = stepsOf(ctx, s.db, id); err != nil {
		return d, err
	}
	if d.Writs, err = caseWritsOf(ctx, s.db, id); err != nil {
		return d, err
	}
	ms, err := team(ctx, s.db, c.Officers)
	if err != nil {
		return d, err
	}
	for _, m := range ms {
		d.OfficerNames = append(d.OfficerNames, m.Name)
	}
	if d.rules, _, err = s.CaseRulesFor(ctx, s.db, c.Region); err != nil {
		return d, err
	}
	_, d.Law, _ = caseLaw(c.Violation, c.Article, c.Uncorrected, c.Grade)
	if c.Source == "daily" {
		d.Law, _ = s.caseRange(c, 0)
	}
	d.Rows = d.rules.Rows(c.Article, c.Uncorrected)
	d.HearingRight = c.HearingBy != ""
	amount := c.fineFen
	if amount == 0 {
		amount = c.proposedFen
	}
	d.NeedsReview, d.NeedsDiscussion = d.rules.needs(c, amount)
	if d.First, err = firstOffence(ctx, s.db, c); err != nil {
		return d, err
	}
	d.Owed = owedOn(c, today)
	if d.Daily, err = s.dailyOf(ctx, s.db, c, d.rules, today); err != nil {
		return d, err
	}
	if c.ServedOn != "" {
		d.CourtFrom, d.CourtTo = CourtWindow(c.ServedOn, c.RemindedOn)
	}
	for _, st := range d.Steps {
		if st.Kind == "decision" || st.Kind == "waive" {
			d.DecidedBy = st.By
		}
	}
	if a.Unit.Kind == org.KindEnterprise { // the department's own notes stay its own
		var own []CaseStep
		for _, st := range d.Steps {
			if !slices.Contains([]string{"review", "discussion", "evidence", "interview", "extension"}, st.Kind) {
				own = append(own, st)
			}
		}
		d.Steps = own
		var served []CaseWrit // the writs served on it, not the department's own forms
		for _, w := range d.Writs {
			if k, _ := KindOfCaseWrit(w.Kind); k.Receipt {
				served = append(served, w)
			}
		}
		d.Writs = served
		return d, nil
	}
	rows, err := s.db.Query(ctx, "SELECT "+pubCols+pubFrom+" WHERE p.case_id = ? ORDER BY p.id", id)
	if d.Publications, err = store.Collect(rows, err, scanPublication(today)); err != nil {
		return d, err
	}
	rows, err = s.db.Query(ctx, "SELECT "+escCols+escFrom+" WHERE x.case_id = ? ORDER BY x.id", id)
	d.Escalations, err = store.Collect(rows, err, scanEscalation)
	return d, err
}

// needs says whether a case deciding amount (fen) needs 法制审核 and 集体
// 讨论 first.
func (r CaseRules) needs(c PenaltyCase, amountFen int64) (review, discussion bool) {
	y := yuanOf(amountFen)
	review = c.HeardOn != "" || c.Complex || (!c.Simple && y >= r.ReviewFrom)
	discussion = c.Complex || (!c.Simple && y >= r.CollectiveFrom)
	return review, discussion
}

// OpenCaseFile opens an evidence file of a case the actor may see (not
// the party: the evidence is the department's).
func (s *Service) OpenCaseFile(ctx context.Context, a *org.Actor, id, stepID int64) (CaseStep, *os.File, error) {
	if a.Unit.Kind == org.KindEnterprise {
		return CaseStep{}, nil, apperr.New(apperr.NotFound, "文件不存在")
	}
	d, err := s.GetCase(ctx, a, id)
	if err != nil {
		return CaseStep{}, nil, err
	}
	for _, st := range d.Steps {
		if st.ID == stepID && st.SHA256 != "" {
			f, err := s.files.Open(st.SHA256)
			return st, f, err
		}
	}
	return CaseStep{}, nil, apperr.New(apperr.NotFound, "文件不存在")
}

// EvidenceInput is evidence gathered (调查取证): a note, or a 询问笔录 as
// text, with files.
type EvidenceInput struct {
	Kind  string         `json:"kind"` // evidence | interview
	Note  string         `json:"note"`
	Files []files.Upload `json:"-"`
}

// AddEvidence records evidence on a case under investigation or notice.
// The files are stored only once the case is known to take them.
func (s *Service) AddEvidence(ctx context.Context, a *org.Actor, id int64, in EvidenceInput) error {
	in.Note = strings.TrimSpace(in.Note)
	if in.Kind != "evidence" && in.Kind != "interview" {
		return apperr.Field("kind", "请选择证据或询问笔录")
	}
	if in.Note == "" {
		return apperr.Field("note", "请写明证据内容或询问笔录")
	}
	if len([]rune(in.Note)) > 20000 {
		return apperr.Field("note", "内容不超过 20000 字")
	}
	open := []string{CaseFiled, CaseNoticed, CaseHearing}
	if err := s.caseStep(ctx, a, id, org.PermEnforcePenalty, open, func(*store.Tx, *PenaltyCase, time.Time) error { return nil }); err != nil {
		return err
	}
	stored, err := s.files.PutAll(in.Files, MediaPerUpload)
	if err != nil {
		return err
	}
	return s.caseStep(ctx, a, id, org.PermEnforcePenalty, open, func(tx *store.Tx, c *PenaltyCase, now time.Time) error {
		if len(stored) == 0 {
			if err := addStep(ctx, tx, a, now, *c, in.Kind, in.Note, nil); err != nil {
				return err
			}
		}
		for i := range stored {
			if err := addStep(ctx, tx, a, now, *c, in.Kind, in.Note, &stored[i]); err != nil {
				return err
			}
		}
		return caseAudit(ctx, tx, now, a, *c, in.Kind, map[string]any{"files": len(stored), "note": firstLine(in.Note, 60)})
	})
}

// NoticeInput is the penalty a 告知书 proposes.
type NoticeInput struct {
	Tier       string  `json:"tier"`     // the 裁量基准 row (required where the table has rows)
	Proposed   float64 `json:"proposed"` // yuan
	Income     float64 `json:"income"`   // Art. 95: the principal's last year's income
	Suspension bool    `json:"suspension"`
}

// lawful checks a fine (yuan) against the law's range and the chosen
// tier's, naming both.
func lawful(law rules.Penalty, rows []DiscretionRow, tier string, fine float64, field string) error {
	if err := finite(field, fine); err != nil || fine <= 0 {
		return apperr.Field(field, "罚款数额须大于 0")
	}
	if fine < law.Min || fine > law.Max {
		return apperr.Field(field, fmt.Sprintf("罚款 %.2f 元超出%s的法定幅度 %.0f–%.0f 元", fine, law.Article, law.Min, law.Max))
	}
	if len(rows) == 0 {
		return nil
	}
	for _, r := range rows {
		if r.Tier == tier {
			if fine < r.Min || fine > r.Max {
				return apperr.Field(field, fmt.Sprintf("罚款 %.2f 元不在裁量基准“%s”档 %.0f–%.0f 元之内", fine, tier, r.Min, r.Max))
			}
			return nil
		}
	}
	return apperr.Field("tier", "请选择裁量基准的情节档次")
}

// Notify issues the 行政处罚告知书 (Art. 44): the facts, the evidence, the
// provision and the proposed penalty within the 裁量基准, and the party's
// rights — 陈述申辩 within the configured working days and, for a 较大数额
// fine or a suspension, a hearing asked within 5 working days (Art. 63–64).
func (s *Service) Notify(ctx context.Context, a *org.Actor, id int64, in NoticeInput) error {
	return s.caseStep(ctx, a, id, org.PermEnforcePenalty, []string{CaseFiled}, func(tx *store.Tx, c *PenaltyCase, now time.Time) error {
		r, _, err := s.CaseRulesFor(ctx, tx, c.Region)
		if err != nil {
			return err
		}
		law, err := s.caseRange(*c, in.Income)
		if err != nil {
			return err
		}
		rows := r.Rows(c.Article, c.Uncorrected)
		if c.Source == "daily" { // Art. 112's amount is the count's, fixed
			in.Proposed, rows, in.Tier = law.Min, nil, ""
		}
		if err := lawful(law, rows, in.Tier, in.Proposed, "proposed"); err != nil {
			return err
		}
		today := calendar.Local(now).Format(day)
		c.State, c.NoticedOn, c.Tier, c.proposedFen, c.Proposed, c.Suspension = CaseNoticed, today, in.Tier, fenOf(in.Proposed), in.Proposed, in.Suspension
		c.StatementBy = addWorkdays(today, r.StatementDays)
		if in.Proposed >= r.HearingUnit || in.Suspension {
			c.HearingBy = addWorkdays(today, HearingAskDays)
		}
		circumstance := ""
		for _, row := range rows {
			if row.Tier == in.Tier {
				circumstance = "：" + row.Circumstance
			}
		}
		fields, basis, err := s.caseWritFields(ctx, tx, *c, "notice", map[string]string{"circumstance": circumstance, "statement_days": fmt.Sprint(r.StatementDays)})
		if err != nil {
			return err
		}
		w, err := issueCaseWrit(ctx, tx, now, a, *c, "notice", fields, basis)
		if err != nil {
			return err
		}
		if err := saveCase(ctx, tx, now, c, "state = ?, noticed_on = ?, tier = ?, proposed_fen = ?, suspension = ?, statement_by = ?, hearing_by = ?",
			c.State, c.NoticedOn, c.Tier, c.proposedFen, c.Suspension, c.StatementBy, c.HearingBy); err != nil {
			return err
		}
		if err := addStep(ctx, tx, a, now, *c, "notice", fmt.Sprintf("%s：拟罚款 %.2f 元", w.Number, in.Proposed), nil); err != nil {
			return err
		}
		if err := inbox.Send(ctx, tx, now, c.EnterpriseID, "enforce.case", "行政处罚告知书 "+w.Number+"：请在期限内陈述申辩",
			fmt.Sprintf("/enforce/cases/%d", c.ID), fmt.Sprintf("enforce:case:%d:notice", c.ID)); err != nil {
			return err
		}
		return caseAudit(ctx, tx, now, a, *c, "notice", map[string]any{"writ": w.Number, "proposed": in.Proposed, "tier": in.Tier,
			"statement_by": c.StatementBy, "hearing_by": c.HearingBy})
	})
}

// caseRange is the law's range for a case (Art. 95 needs the income; Art.
// 112 is the daily count, fixed when the case was opened).
func (s *Service) caseRange(c PenaltyCase, income float64) (rules.Penalty, error) {
	if c.Source == "daily" {
		return rules.Penalty{Article: c.ArticleName, Min: c.Proposed, Max: c.Proposed, Basis: "《中华人民共和国安全生产法》第一百一十二条"}, nil
	}
	return rules.CalcPenalty(rules.PenaltyInput{Article: c.Article, Uncorrected: c.Uncorrected, Grade: c.Grade, Income: income})
}

// partyStep runs f for the party (its own case) or for an officer of the
// deciding department recording what the party said.
func (s *Service) partyStep(ctx context.Context, a *org.Actor, id int64, states []string, f func(tx *store.Tx, c *PenaltyCase, now time.Time) error) error {
	if a.Unit.Kind != org.KindEnterprise {
		return s.caseStep(ctx, a, id, org.PermEnforcePenalty, states, f)
	}
	if err := a.Require(org.PermEntOwn); err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *store.Tx) error {
		if err := lockCase(ctx, tx, id); err != nil {
			return err
		}
		c, err := readCase(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if err := caseIn(c, states...); err != nil {
			return err
		}
		return f(tx, &c, s.clock.Now())
	})
}

// State records the party's 陈述申辩 (Art. 45), sent online by the party or
// written down by an officer, until the decision.
// Done says the party has nothing to add: the decision need not wait for
// the period's end.
func (s *Service) State(ctx context.Context, a *org.Actor, id int64, text string, done bool) error {
	text = strings.TrimSpace(text)
	if text == "" || len([]rune(text)) > 10000 {
		return apperr.Field("text", "请填写陈述申辩的内容 (不超过 10000 字)")
	}
	return s.partyStep(ctx, a, id, []string{CaseNoticed, CaseHearing}, func(tx *store.Tx, c *PenaltyCase, now time.Time) error {
		if err := addStep(ctx, tx, a, now, *c, "statement", text, nil); err != nil {
			return err
		}
		if done {
			if err := addStep(ctx, tx, a, now, *c, "statement_done", "当事人表示陈述申辩完毕，不再补充", nil); err != nil {
				return err
			}
		}
		if a.Unit.Kind == org.KindEnterprise {
			if err := inbox.Send(ctx, tx, now, c.UnitID, "enforce.case", c.Enterprise+" 对 "+c.Number+" 提出陈述申辩",
				fmt.Sprintf("/enforce/cases/%d", c.ID), fmt.Sprintf("enforce:case:%d:statement:%d", c.ID, now.UnixNano())); err != nil {
				return err
			}
		}
		return caseAudit(ctx, tx, now, a, *c, "statement", map[string]any{"text": firstLine(text, 60), "done": done})
	})
}

// AskHearing is the party's request for a hearing, within 5 working days of
// the notice (Art. 64 (一)).
func (s *Service) AskHearing(ctx context.Context, a *org.Actor, id int64) error {
	return s.partyStep(ctx, a, id, []string{CaseNoticed}, func(tx *store.Tx, c *PenaltyCase, now time.Time) error {
		today := calendar.Local(now).Format(day)
		if c.HearingBy == "" {
			return apperr.New(apperr.Conflict, "本案拟作出的处罚不属于听证范围 (行政处罚法第六十三条)")
		}
		if today > c.HearingBy {
			return apperr.New(apperr.Conflict, "申请听证的期限已于 "+c.HearingBy+" 届满 (告知后五个工作日内)")
		}
		c.State, c.HearingAsked = CaseHearing, today
		if err := saveCase(ctx, tx, now, c, "state = ?, hearing_asked = ?", c.State, c.HearingAsked); err != nil {
			return err
		}
		if err := addStep(ctx, tx, a, now, *c, "hearing_ask", "当事人要求听证", nil); err != nil {
			return err
		}
		if err := inbox.Ask(ctx, tx, now, c.UnitID, "enforce.case", c.Enterprise+" 对 "+c.Number+" 要求听证，请安排听证",
			fmt.Sprintf("/enforce/cases/%d", c.ID), fmt.Sprintf("enforce:case:%d:hearing", c.ID), ""); err != nil {
			return err
		}
		return caseAudit(ctx, tx, now, a, *c, "hearing_ask", nil)
	})
}

// HearingInput sets a hearing.
type HearingInput struct {
	On    string `json:"on"` // YYYY-MM-DD
	Time  string `json:"time"`
	Place string `json:"place"`
	Chair int64  `json:"chair"` // a user of the department who did not investigate
}

// SetHearing tells the party the hearing's time and place at least 7
// working days before (Art. 64 (二)); the chair did not investigate the
// case (Art. 64 (四)).
func (s *Service) SetHearing(ctx context.Context, a *org.Actor, id int64, in HearingInput) error {
	in.Place = strings.TrimSpace(in.Place)
	if in.Place == "" || len([]rune(in.Place)) > 200 || len([]rune(in.Time)) > 20 {
		return apperr.Field("place", "请填写听证地点 (不超过 200 字)")
	}
	return s.caseStep(ctx, a, id, org.PermEnforcePenalty, []string{CaseHearing}, func(tx *store.Tx, c *PenaltyCase, now time.Time) error {
		today := calendar.Local(now).Format(day)
		earliest := addWorkdays(today, HearingNoticeDays)
		if _, ok := parseDay(in.On); !ok || in.On < earliest {
			return apperr.Field("on", "听证应当在举行七日前通知当事人 (第六十四条)：最早 "+earliest)
		}
		if c.HeardOn != "" {
			return apperr.New(apperr.Conflict, "已经举行听证")
		}
		for _, o := range c.Officers {
			if o == in.Chair {
				return apperr.Field("chair", "听证由非本案调查人员主持 (第六十四条)")
			}
		}
		var chair string
		err := tx.QueryRow(ctx, "SELECT display_name FROM "+org.UsersView+" u WHERE id = ? AND unit_id = ?", in.Chair, c.UnitID).Scan(&chair)
		if store.NoRows(err) {
			return apperr.Field("chair", "请选择本部门的听证主持人")
		}
		if err != nil {
			return err
		}
		when := strings.TrimSpace(docs.ChineseDate(in.On) + " " + in.Time)
		fields, basis, err := s.caseWritFields(ctx, tx, *c, "hearing", map[string]string{"when": when, "place": in.Place, "chair": chair})
		if err != nil {
			return err
		}
		w, err := issueCaseWrit(ctx, tx, now, a, *c, "hearing", fields, basis)
		if err != nil {
			return err
		}
		c.HearingOn = in.On
		if err := saveCase(ctx, tx, now, c, "hearing_on = ?", c.HearingOn); err != nil {
			return err
		}
		if err := inbox.Done(ctx, tx, now, fmt.Sprintf("enforce:case:%d:hearing", c.ID)); err != nil {
			return err
		}
		if err := addStep(ctx, tx, a, now, *c, "hearing_set", fmt.Sprintf("%s：%s 在 %s 举行，主持人 %s", w.Number, when, in.Place, chair), nil); err != nil {
			return err
		}
		if err := inbox.Send(ctx, tx, now, c.EnterpriseID, "enforce.case", "听证通知书 "+w.Number+"："+when,
			fmt.Sprintf("/enforce/cases/%d", c.ID), fmt.Sprintf("enforce:case:%d:hearing_set", c.ID)); err != nil {
			return err
		}
		return caseAudit(ctx, tx, now, a, *c, "hearing_set", map[string]any{"writ": w.Number, "on": in.On, "chair": in.Chair})
	})
}

// RecordHearing records the hearing held (听证笔录), on or after its day.
func (s *Service) RecordHearing(ctx context.Context, a *org.Actor, id int64, note string) error {
	note = strings.TrimSpace(note)
	if note == "" || len([]rune(note)) > 20000 {
		return apperr.Field("note", "请填写听证笔录 (不超过 20000 字)")
	}
	return s.caseStep(ctx, a, id, org.PermEnforcePenalty, []string{CaseHearing}, func(tx *store.Tx, c *PenaltyCase, now time.Time) error {
		today := calendar.Local(now).Format(day)
		if c.HearingOn == "" || today < c.HearingOn {
			return apperr.New(apperr.Conflict, "听证尚未举行")
		}
		if c.HeardOn != "" {
			return apperr.New(apperr.Conflict, "已经记录听证")
		}
		c.HeardOn = today
		if err := saveCase(ctx, tx, now, c, "heard_on = ?", c.HeardOn); err != nil {
			return err
		}
		if err := addStep(ctx, tx, a, now, *c, "hearing", note, nil); err != nil {
			return err
		}
		return caseAudit(ctx, tx, now, a, *c, "hearing", map[string]any{"note": firstLine(note, 60)})
	})
}

// headStep runs f for the department's head (enforce.approve) who did not
// investigate the case: 法制审核, 集体讨论, extension, decision, 结案.
func (s *Service) headStep(ctx context.Context, a *org.Actor, id int64, states []string, f func(tx *store.Tx, c *PenaltyCase, now time.Time) error) error {
	return s.caseStep(ctx, a, id, org.PermEnforceApprove, states, func(tx *store.Tx, c *PenaltyCase, now time.Time) error {
		if c.investigator(a) {
			return apperr.New(apperr.Forbidden, "本案承办人不能审核、批准或决定本案")
		}
		return f(tx, c, now)
	})
}

// Review records the 法制审核 (Art. 58) and its opinion.
func (s *Service) Review(ctx context.Context, a *org.Actor, id int64, note string) error {
	return s.headNote(ctx, a, id, "review", note, "reviewed_on")
}

// Discuss records the heads' 集体讨论 (Art. 57): who took part and what they
// decided.
func (s *Service) Discuss(ctx context.Context, a *org.Actor, id int64, note string) error {
	return s.headNote(ctx, a, id, "discussion", note, "discussed_on")
}

func (s *Service) headNote(ctx context.Context, a *org.Actor, id int64, kind, note, col string) error {
	note = strings.TrimSpace(note)
	if note == "" || len([]rune(note)) > 10000 {
		return apperr.Field("note", "请填写"+codes.NameOf(CaseStepKinds, kind)+"意见 (不超过 10000 字)")
	}
	return s.headStep(ctx, a, id, []string{CaseFiled, CaseNoticed, CaseHearing}, func(tx *store.Tx, c *PenaltyCase, now time.Time) error {
		today := calendar.Local(now).Format(day)
		if kind == "review" {
			c.ReviewedOn = today
		} else {
			c.DiscussedOn = today
		}
		if err := saveCase(ctx, tx, now, c, col+" = ?", today); err != nil {
			return err
		}
		if err := addStep(ctx, tx, a, now, *c, kind, note, nil); err != nil {
			return err
		}
		return caseAudit(ctx, tx, now, a, *c, kind, map[string]any{"note": firstLine(note, 60)})
	})
}

// Extend extends the time to decide by the configured days, approved by a
// head before it runs out, with the reason (Art. 60).
func (s *Service) Extend(ctx context.Context, a *org.Actor, id int64, reason string) error {
	reason = strings.TrimSpace(reason)
	if reason == "" || len([]rune(reason)) > 2000 {
		return apperr.Field("reason", "请写明延长的理由 (不超过 2000 字)")
	}
	return s.headStep(ctx, a, id, []string{CaseFiled, CaseNoticed, CaseHearing}, func(tx *store.Tx, c *PenaltyCase, now time.Time) error {
		today := calendar.Local(now).Format(day)
		if today > c.DecideBy {
			return apperr.New(apperr.Conflict, "办案期限已于 "+c.DecideBy+" 届满，不能再批准延长")
		}
		r, _, err := s.CaseRulesFor(ctx, tx, c.Region)
		if err != nil {
			return err
		}
		var n int
		if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM enforce_case_steps WHERE case_id = ? AND kind = 'extension'", c.ID).Scan(&n); err != nil {
			return err
		}
		before := c.DecideBy
		c.DecideBy = DecideBy(c.FiledOn, extended(c.FiledOn, before)+r.ExtensionDays) // from 立案, not from a deadline already moved past a day off
		if err := saveCase(ctx, tx, now, c, "decide_by = ?", c.DecideBy); err != nil {
			return err
		}
		if err := addStep(ctx, tx, a, now, *c, "extension", fmt.Sprintf("第 %d 次延长 %d 日，至 %s：%s", n+1, r.ExtensionDays, c.DecideBy, reason), nil); err != nil {
			return err
		}
		return caseAudit(ctx, tx, now, a, *c, "extension", map[string]any{"decide_by_before": before, "decide_by": c.DecideBy, "reason": firstLine(reason, 60)})
	})
}
