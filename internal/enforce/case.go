package enforce

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"anwei/internal/apperr"
	"anwei/internal/audit"
	"anwei/internal/calendar"
	"anwei/internal/codes"
	"anwei/internal/org"
	"anwei/internal/paging"
	"anwei/internal/rules"
	"anwei/internal/store"
)

// A 行政处罚案件 (行政处罚法 2021; 安全生产法 Art. 94–114): opened from a
// violation, a tip or an accident, decided within the law's clocks
// (case_clock.go), paid or enforced, closed. Its steps are in case_steps.go
// (investigation, notice, statement, hearing, review, discussion,
// extension), case_decide.go (decision, on the spot, service), case_pay.go
// (payment, 催告, 加处罚款, court, 结案) and case_daily.go (按日连续处罚).

// Case states.
const (
	CaseFiled   = "filed"   // 已立案 (调查取证)
	CaseNoticed = "noticed" // 已告知 (陈述申辩期)
	CaseHearing = "hearing" // 听证 (已申请)
	CaseDecided = "decided" // 已决定 (待送达)
	CaseServed  = "served"  // 已送达 (待缴纳)
	CasePaid    = "paid"    // 已缴纳 (待结案)
	CaseClosed  = "closed"  // 已结案
	// CaseRevoked: the decision was revoked (行政复议, 诉讼 or the
	// department's own correction); nothing more is done on the case.
	CaseRevoked = "revoked" // 已撤销
)

// CaseStates are the states in order.
var CaseStates = []codes.Choice{{Key: CaseFiled, Name: "已立案"}, {Key: CaseNoticed, Name: "已告知"}, {Key: CaseHearing, Name: "听证"},
	{Key: CaseDecided, Name: "已决定"}, {Key: CaseServed, Name: "已送达"}, {Key: CasePaid, Name: "已缴纳"}, {Key: CaseClosed, Name: "已结案"},
	{Key: CaseRevoked, Name: "决定已撤销"}}

// CaseSources are where a case comes from.
var CaseSources = []codes.Choice{{Key: "inspection", Name: "执法检查发现"}, {Key: "tip", Name: "举报"}, {Key: "accident", Name: "事故调查"},
	{Key: "daily", Name: "按日连续处罚"}}

// PenaltyCase is a 行政处罚案件 with its dates; money in yuan.
type PenaltyCase struct {
	ID           int64    `json:"id"`
	UnitID       int64    `json:"unit_id"`
	Unit         string   `json:"unit"`
	EnterpriseID int64    `json:"enterprise_id"`
	Enterprise   string   `json:"enterprise"`
	Region       string   `json:"region_code"`
	Year         int      `json:"year"`
	Number       string   `json:"number"` // the 立案审批表's 文号
	Source       string   `json:"source"`
	SourceName   string   `json:"source_name"`
	InspectionID int64    `json:"inspection_id,omitempty"`
	FindingID    int64    `json:"finding_id,omitempty"`
	OfCase       int64    `json:"of_case,omitempty"`
	SourceRef    string   `json:"source_ref,omitempty"`
	Violation    string   `json:"violation,omitempty"`
	Article      int      `json:"article"`
	ArticleName  string   `json:"article_name"`
	Uncorrected  bool     `json:"uncorrected"`
	Grade        string   `json:"grade,omitempty"`
	Facts        string   `json:"facts"`
	Officers     []int64  `json:"officers"`
	OfficerNames []string `json:"officer_names"`
	Complex      bool     `json:"complex"`
	Simple       bool     `json:"simple"`
	State        string   `json:"state"`
	StateName    string   `json:"state_name"`
	Tier         string   `json:"tier,omitempty"`
	Proposed     float64  `json:"proposed"`
	Suspension   bool     `json:"suspension"`
	Waived       bool     `json:"waived"`
	Fine         float64  `json:"fine"`
	DailyDays    int      `json:"daily_days,omitempty"`
	FiledOn      string   `json:"filed_on"`
	DecideBy     string   `json:"decide_by"`
	NoticedOn    string   `json:"noticed_on,omitempty"`
	StatementBy  string   `json:"statement_by,omitempty"`
	HearingBy    string   `json:"hearing_by,omitempty"`
	HearingAsked string   `json:"hearing_asked,omitempty"`
	HearingOn    string   `json:"hearing_on,omitempty"`
	HeardOn      string   `json:"heard_on,omitempty"`
	ReviewedOn   string   `json:"reviewed_on,omitempty"`
	DiscussedOn  string   `json:"discussed_on,omitempty"`
	DecidedOn    string   `json:"decided_on,omitempty"`
	EService     bool     `json:"e_service"`
	ServedOn     string   `json:"served_on,omitempty"`
	ServeHow     string   `json:"serve_how,omitempty"`
	PayBy        string   `json:"pay_by,omitempty"`
	PaidOn       string   `json:"paid_on,omitempty"`
	Paid         float64  `json:"paid,omitempty"`
	Surcharge    float64  `json:"surcharge,omitempty"`
	RemindedOn   string   `json:"reminded_on,omitempty"`
	SurchargedOn string   `json:"surcharged_on,omitempty"`
	CourtOn      string   `json:"court_on,omitempty"`
	ClosedOn     string   `json:"closed_on,omitempty"`
	DueOn        string   `json:"due_on,omitempty"` // the current step's deadline
	DueWhat      string   `json:"due_what,omitempty"`
	Overdue      bool     `json:"overdue"`
	// Part 4: an accident's facts (the criminal thresholds) and a decision
	// changed or revoked after it was made.
	Deaths        int     `json:"deaths,omitempty"`
	Injuries      int     `json:"injuries,omitempty"` // 重伤
	Loss          float64 `json:"loss,omitempty"`     // 直接经济损失, yuan
	MainBlame     bool    `json:"main_blame,omitempty"`
	RevokedOn     string  `json:"revoked_on,omitempty"`
	RevokeKind    string  `json:"revoke_kind,omitempty"` // revoked | changed
	RevokeNote    string  `json:"revoke_note,omitempty"`
	lossFen       int64
	proposedFen   int64
	fineFen       int64
	paidFen       int64
	surchargeFen  int64
	officersField string
}

// caseCols are the columns scanCase reads, over enforce_cases c.
const caseCols = `c.id, c.unit_id, du.name, c.enterprise_id, en.name, c.region_code, c.year, c.number, c.source, COALESCE(c.inspection_id, 0),
	COALESCE(c.finding_id, 0), COALESCE(c.of_case, 0), c.source_ref, c.violation, c.article, c.uncorrected, c.grade, c.facts, c.officers, c.complex,
	c.simple, c.state, c.tier, c.proposed_fen, c.suspension, c.waived, c.fine_fen, c.daily_days, c.filed_on, c.decide_by, c.noticed_on,
	c.statement_by, c.hearing_by, c.hearing_asked, c.hearing_on, c.heard_on, c.reviewed_on, c.discussed_on, c.decided_on, c.e_service,
	c.served_on, c.serve_how, c.pay_by, c.paid_on, c.paid_fen, c.surcharge_fen, c.reminded_on, c.surcharged_on, c.court_on, c.closed_on,
	c.due_on, c.due_what, c.deaths, c.injuries, c.loss_fen, c.main_blame, c.revoked_on, c.revoke_kind, c.revoke_note`

// caseFrom joins what caseCols names.
const caseFrom = ` FROM enforce_cases c JOIN ` + org.UnitsView + ` du ON du.id = c.unit_id JOIN ` + org.UnitsView + ` en ON en.id = c.enterprise_id`

func scanCase(r store.Scanner) (PenaltyCase, error) {
	var c PenaltyCase
	err := r.Scan(&c.ID, &c.UnitID, &c.Unit, &c.EnterpriseID, &c.Enterprise, &c.Region, &c.Year, &c.Number, &c.Source, &c.InspectionID,
		&c.FindingID, &c.OfCase, &c.SourceRef, &c.Violation, &c.Article, &c.Uncorrected, &c.Grade, &c.Facts, &c.officersField, &c.Complex,
		&c.Simple, &c.State, &c.Tier, &c.proposedFen, &c.Suspension, &c.Waived, &c.fineFen, &c.DailyDays, &c.FiledOn, &c.DecideBy, &c.NoticedOn,
		&c.StatementBy, &c.HearingBy, &c.HearingAsked, &c.HearingOn, &c.HeardOn, &c.ReviewedOn, &c.DiscussedOn, &c.DecidedOn, &c.EService,
		&c.ServedOn, &c.ServeHow, &c.PayBy, &c.PaidOn, &c.paidFen, &c.surchargeFen, &c.RemindedOn, &c.SurchargedOn, &c.CourtOn, &c.ClosedOn,
		&c.DueOn, &c.DueWhat, &c.Deaths, &c.Injuries, &c.lossFen, &c.MainBlame, &c.RevokedOn, &c.RevokeKind, &c.RevokeNote)
	c.Loss = yuanOf(c.lossFen)
	c.Officers = officersOf(c.officersField)
	c.StateName = codes.NameOf(CaseStates, c.State)
	c.SourceName = codes.NameOf(CaseSources, c.Source)
	c.ArticleName = rules.ArticleName(c.Article)
	c.Proposed, c.Fine, c.Paid, c.Surcharge = yuanOf(c.proposedFen), yuanOf(c.fineFen), yuanOf(c.paidFen), yuanOf(c.surchargeFen)
	return c, err
}

func yuanOf(fen int64) float64 { return float64(fen) / 100 }

// fenOf is an amount in yuan to the fen (1.005 is 101 fen, not 100).
func fenOf(y float64) int64 { return int64(math.Round(math.Round(y*1000) / 10)) }

// finite refuses an amount that is not a number (NaN, ±Inf) or negative.
func finite(field string, y float64) error {
	if math.IsNaN(y) || math.IsInf(y, 0) || y < 0 {
		return apperr.Field(field, "金额须为非负数")
	}
	return nil
}

// caseWhere is what cases the actor sees: a department its own, the office
// and governments their region's, an enterprise its own once told (a case
// under investigation is the department's business), a street none.
func caseWhere(a *org.Actor) (string, []any, error) {
	if a.Unit.Kind == org.KindEnterprise {
		if err := a.Require(org.PermEntOwn); err != nil {
			return "", nil, err
		}
		return "c.enterprise_id = ? AND c.state <> 'filed'", []any{a.Unit.ID}, nil
	}
	if err := a.Require(org.PermEnforceRead); err != nil {
		return "", nil, err
	}
	if a.Unit.Kind == org.KindStreet {
		return "1=0", nil, nil
	}
	w, args := ownWhere(a, "c.region_code", "c.unit_id")
	return w, args, nil
}

// readCase reads a case the actor may see.
func readCase(ctx context.Context, q querier, a *org.Actor, id int64) (PenaltyCase, error) {
	w, args, err := caseWhere(a)
	if err != nil {
		return PenaltyCase{}, err
	}
	c, err := scanCase(q.QueryRow(ctx, "SELECT "+caseCols+caseFrom+" WHERE c.id = ? AND "+w, append([]any{id}, args...)...))
	if store.NoRows(err) {
		return c, apperr.New(apperr.NotFound, "案件不存在")
	}
	return c, err
}

// CaseFilter narrows the case list.
type CaseFilter struct {
	Year       int    `json:"year"`
	State      string `json:"state"`
	Overdue    bool   `json:"overdue"` // past the current step's deadline
	Enterprise int64  `json:"enterprise"`
	Inspection int64  `json:"inspection"` // the cases of an inspection's findings
	Article    int    `json:"article"`    // under an article (the figures' drill-down)
	Unit       int64  `json:"unit"`       // of a deciding department
	Page       paging.Page
}

// Cases lists a page of the cases the actor sees, the latest first, with
// their current deadline, and how many there are; Overdue keeps those past
// it (the department's list of what is late).
func (s *Service) Cases(ctx context.Context, a *org.Actor, f CaseFilter) ([]PenaltyCase, int, error) {
	w, args, err := caseWhere(a)
	if err != nil {
		return nil, 0, err
	}
	today := calendar.Local(s.clock.Now()).Format(day)
	if f.Year != 0 {
		w += " AND c.year = ?"
		args = append(args, f.Year)
	}
	if f.State != "" {
		w += " AND c.state = ?"
		args = append(args, f.State)
	}
	if f.Enterprise != 0 {
		w += " AND c.enterprise_id = ?"
		args = append(args, f.Enterprise)
	}
	if f.Inspection != 0 {
		w += " AND c.inspection_id = ?"
		args = append(args, f.Inspection)
	}
	if f.Article != 0 {
		w += " AND c.article = ?"
		args = append(args, f.Article)
	}
	if f.Unit != 0 {
		w += " AND c.unit_id = ?"
		args = append(args, f.Unit)
	}
	if f.Overdue {
		w += " AND c.due_on <> '' AND c.due_on < ?"
		args = append(args, today)
	}
	var total int
	if err := s.db.QueryRow(ctx, "SELECT COUNT(*) FROM enforce_cases c WHERE "+w, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	pg := f.Page.Clamp()
	rows, err := s.db.Query(ctx, "SELECT "+caseCols+caseFrom+" WHERE "+w+" ORDER BY c.id DESC LIMIT ? OFFSET ?", append(args, pg.Limit, pg.Offset)...)
	out, err := store.Collect(rows, err, scanCase)
	for i := range out {
		out[i].Overdue = out[i].DueOn != "" && out[i].DueOn < today
	}
	return out, total, err
}

// OverdueCases counts the cases the actor sees that are past their current
// step's deadline.
func (s *Service) OverdueCases(ctx context.Context, a *org.Actor) (int, error) {
	w, args, err := caseWhere(a)
	if err != nil {
		return 0, err
	}
	var n int
	err = s.db.QueryRow(ctx, "SELECT COUNT(*) FROM enforce_cases c WHERE "+w+" AND c.due_on <> '' AND c.due_on < ?",
		append(args, calendar.Local(s.clock.Now()).Format(day))...).Scan(&n)
	return n, err
}

// CaseInput opens a case (立案).
type CaseInput struct {
	Source       string  `json:"source"`        // inspection | tip | accident
	FindingID    int64   `json:"finding_id"`    // inspection: the violation found
	EnterpriseID int64   `json:"enterprise_id"` // tip, accident: the party
	SourceRef    string  `json:"source_ref"`    // the tip's or accident's reference
	Violation    string  `json:"violation"`     // rules.Violations key (a finding's own when from one)
	Article      int     `json:"article"`       // else the article (95, 114 with Grade)
	Uncorrected  bool    `json:"uncorrected"`   // the article's 逾期未改正 range
	Grade        string  `json:"grade"`
	Facts        string  `json:"facts"`
	Officers     []int64 `json:"officers"` // at least two (Art. 42)
	Complex      bool    `json:"complex"`  // 情节复杂或重大 (法制审核 and 集体讨论)
	// An accident's facts, for the criminal thresholds (移送司法).
	Deaths    int     `json:"deaths"`
	Injuries  int     `json:"injuries"` // 重伤
	Loss      float64 `json:"loss"`     // 直接经济损失, yuan
	MainBlame bool    `json:"main_blame"`
}

// caseLaw is the article and range of a case's violation.
func caseLaw(violation string, article int, uncorrected bool, grade string) (int, rules.Penalty, error) {
	if violation != "" {
		v, ok := rules.ViolationOf(violation)
		if !ok {
			return 0, rules.Penalty{}, apperr.Field("violation", "没有这一违法行为条款")
		}
		article = articleNumber(v.Article)
	}
	if article == 0 {
		return 0, rules.Penalty{}, apperr.Field("article", "请选择违法行为或处罚条款")
	}
	in := rules.PenaltyInput{Article: article, Uncorrected: uncorrected, Grade: grade}
	if article == 95 {
		in.Income = 1 // the share is what matters here; the amount comes with the income
	}
	p, err := rules.CalcPenalty(in)
	if err != nil && article != 112 {
		return 0, p, err
	}
	return article, p, nil
}

// OpenCase opens a case (立案): the 立案审批表 is numbered — its 文号 is the
// case's number — and the 90 days of Art. 60 start. From a finding, the
// party, the violation and the facts come from it, and only its own
// department opens it.
func (s *Service) OpenCase(ctx context.Context, a *org.Actor, in CaseInput) (PenaltyCase, error) {
	if err := department(a, org.PermEnforcePenalty); err != nil {
		return PenaltyCase{}, err
	}
	in.Facts = strings.TrimSpace(in.Facts)
	if in.Source == "" {
		in.Source = "inspection"
	}
	if in.Source == "daily" || codes.NameOf(CaseSources, in.Source) == in.Source {
		return PenaltyCase{}, apperr.Field("source", "案件来源须为执法检查发现、举报或事故调查")
	}
	in.Officers = distinct(in.Officers)
	if len(in.Officers) < 2 || len(in.Officers) > 10 {
		return PenaltyCase{}, apperr.Field("officers", "办案人员不得少于两人 (行政处罚法第四十二条)，至多十人")
	}
	if in.Grade != "" && !slices.Contains(rules.Grades, in.Grade) {
		return PenaltyCase{}, apperr.Field("grade", "事故等级须为一般、较大、重大或特别重大")
	}
	if len([]rune(in.Facts)) > 4000 || len([]rune(in.SourceRef)) > 100 {
		return PenaltyCase{}, apperr.Field("facts", "违法事实不超过 4000 字，来源编号不超过 100 字")
	}
	if in.Source != "accident" {
		in.Deaths, in.Injuries, in.Loss, in.MainBlame = 0, 0, 0, false
	}
	if err := finite("loss", in.Loss); err != nil {
		return PenaltyCase{}, err
	}
	var ch apperr.Checks
	ch.If(in.Deaths < 0 || in.Deaths > 100000, "deaths", "死亡人数须为 0 至 100000")
	ch.If(in.Injuries < 0 || in.Injuries > 100000, "injuries", "重伤人数须为 0 至 100000")
	ch.If(in.Loss < 0 || in.Loss > 1e12, "loss", "直接经济损失须为不小于 0 的金额 (元)")
	if err := ch.Err(); err != nil {
		return PenaltyCase{}, err
	}
	now := s.clock.Now()
	today := calendar.Local(now).Format(day)
	var out PenaltyCase
	err := s.db.Tx(ctx, func(tx *store.Tx) error {
		var inspection any
		if in.Source == "inspection" {
			if in.FindingID == 0 {
				return apperr.Field("finding_id", "请选择检查发现的违法行为")
			}
			var unit, ent, insp int64
			var violation, desc, place string
			err := tx.QueryRow(ctx, `SELECT i.unit_id, f.enterprise_id, f.inspection_id, f.violation, f.description, f.place
				FROM enforce_findings f JOIN enforce_inspections i ON i.id = f.inspection_id WHERE f.id = ?`, in.FindingID).
				Scan(&unit, &ent, &insp, &violation, &desc, &place)
			if store.NoRows(err) || (err == nil && unit != a.Unit.ID) {
				return apperr.Field("finding_id", "该问题不是本部门检查发现的")
			}
			if err != nil {
				return err
			}
			if violation == "" {
				return apperr.Field("finding_id", "该问题未认定违法行为，不能立案")
			}
			var open int
			if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM enforce_cases WHERE finding_id = ? AND source = 'inspection'", in.FindingID).Scan(&open); err != nil {
				return err
			}
			if open > 0 {
				return apperr.New(apperr.Conflict, "该违法行为已经立案")
			}
			in.EnterpriseID, in.Violation, inspection = ent, violation, insp
			if in.Facts == "" {
				in.Facts = place + "：" + desc
			}
		} else {
			in.FindingID = 0
		}
		if in.Facts == "" {
			return apperr.Field("facts", "请写明违法事实")
		}
		article, _, err := caseLaw(in.Violation, in.Article, in.Uncorrected, in.Grade)
		if err != nil {
			return err
		}
		rows, err := roster(ctx, tx, a.Unit.ID, calendar.Local(now).Year(), " AND r.unit_id = ?", in.EnterpriseID)
		if err != nil {
			return err
		}
		if len(rows) == 0 {
			return apperr.Field("enterprise_id", "本部门不监管该企业，或企业已关闭")
		}
		if err := checkTeam(ctx, tx, a.Unit.ID, in.EnterpriseID, in.Officers, today); err != nil {
			return err
		}
		c := PenaltyCase{UnitID: a.Unit.ID, Unit: a.Unit.Name, EnterpriseID: in.EnterpriseID, Enterprise: rows[0].Name, Region: rows[0].Region,
			Source: in.Source, FindingID: in.FindingID, SourceRef: in.SourceRef, Violation: in.Violation, Article: article,
			Uncorrected: in.Uncorrected, Grade: in.Grade, Facts: in.Facts, Officers: in.Officers, Complex: in.Complex, State: CaseFiled,
			FiledOn: today, DecideBy: DecideBy(today, 0), Deaths: in.Deaths, Injuries: in.Injuries, Loss: in.Loss, lossFen: fenOf(in.Loss),
			MainBlame: in.MainBlame}
		if id, ok := inspection.(int64); ok {
			c.InspectionID = id
		}
		w, err := s.insertCase(ctx, tx, a, now, &c, "file", nil)
		if err != nil {
			return err
		}
		if err := s.raiseTransfer(ctx, tx, now, a.Who(), c); err != nil {
			return err
		}
		out = c
		return audit.Append(ctx, tx, now, a.Who(), audit.Entry{Action: "enforce.case.open", ObjectKind: "enforce_case", ObjectID: fmt.Sprint(c.ID),
			Region: c.Region, After: map[string]any{"number": w.Number, "enterprise": c.EnterpriseID, "article": rules.ArticleName(c.Article),
				"case_source": codes.NameOf(CaseSources, c.Source), "finding": c.FindingID, "team": ids(c.Officers)}})
	})
	return out, err
}

// insertCase stores a new case and issues its opening writ (立案审批表, or
// the 当场处罚决定书), whose number is the case's.
func (s *Service) insertCase(ctx context.Context, tx *store.Tx, a *org.Actor, now time.Time, c *PenaltyCase, kind string, extra map[string]string) (CaseWrit, error) {
	c.Year = calendar.Local(now).Year()
	nullable := func(v int64) any {
		if v == 0 {
			return nil
		}
		return v
	}
	var err error
	c.ID, err = tx.InsertID(ctx, `INSERT INTO enforce_cases (unit_id, region_code, enterprise_id, year, number, source, inspection_id, finding_id,
		of_case, source_ref, violation, article, uncorrected, grade, facts, officers, complex, simple, state, filed_on, decide_by, created_by,
		created_at, updated_at, deaths, injuries, loss_fen, main_blame) VALUES (?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.UnitID, c.Region, c.EnterpriseID, c.Year, c.Source, nullable(c.InspectionID), nullable(c.FindingID), nullable(c.OfCase), c.SourceRef,
		c.Violation, c.Article, c.Uncorrected, c.Grade, c.Facts, ids(c.Officers), c.Complex, c.Simple, c.State, c.FiledOn, c.DecideBy, a.UserID, now, now,
		c.Deaths, c.Injuries, c.lossFen, c.MainBlame)
	if err != nil {
		return CaseWrit{}, err
	}
	fields, basis, err := s.caseWritFields(ctx, tx, *c, kind, extra)
	if err != nil {
		return CaseWrit{}, err
	}
	w, err := issueCaseWrit(ctx, tx, now, a, *c, kind, fields, basis)
	if err != nil {
		return w, err
	}
	c.Number = w.Number
	c.DueOn, c.DueWhat = nextDue(*c)
	_, err = tx.Exec(ctx, "UPDATE enforce_cases SET number = ?, due_on = ?, due_what = ? WHERE id = ?", c.Number, c.DueOn, c.DueWhat, c.ID)
	return w, err
}

// nextDue is the deadline of the step a case waits for, and what it is.
func nextDue(c PenaltyCase) (string, string) {
	switch c.State {
	case CaseFiled, CaseNoticed, CaseHearing:
		return c.DecideBy, "作出处罚决定 (立案之日起九十日，行政处罚法第六十条)"
	case CaseDecided:
		return addWorkdays(c.DecidedOn, ServeDays), "送达决定书 (七日内，第六十一条)"
	case CaseServed:
		if c.Waived {
			return "", ""
		}
		if c.CourtOn != "" { // the court enforces it now; the case waits to be closed
			return "", ""
		}
		if c.RemindedOn != "" {
			_, to := CourtWindow(c.ServedOn, c.RemindedOn)
			return to, "申请人民法院强制执行 (行政强制法第五十三条)"
		}
		return c.PayBy, "缴纳罚款 (十五日内，第六十七条)"
	}
	return "", ""
}

// caseStep runs f on a case the actor may work in one of states: a
// department's officer or head of the deciding department.
func (s *Service) caseStep(ctx context.Context, a *org.Actor, id int64, p org.Perm, states []string, f func(tx *store.Tx, c *PenaltyCase, now time.Time) error) error {
	if err := department(a, p); err != nil {
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
		if c.UnitID != a.Unit.ID {
			return apperr.New(apperr.Forbidden, "案件由立案的部门办理")
		}
		if err := caseIn(c, states...); err != nil {
			return err
		}
		return f(tx, &c, s.clock.Now())
	})
}

// lockCase takes the case's row for the transaction before it is read, so
// that two steps at once (two decisions, two payments) run one after the
// other and the second sees the first's state (PostgreSQL's READ COMMITTED
// would let both pass a check of the state read before either wrote).
func lockCase(ctx context.Context, tx *store.Tx, id int64) error {
	_, err := tx.Exec(ctx, "UPDATE enforce_cases SET updated_at = updated_at WHERE id = ?", id)
	return err
}

// caseIn refuses a case not in one of states, naming its state.
func caseIn(c PenaltyCase, states ...string) error {
	for _, st := range states {
		if c.State == st {
			return nil
		}
	}
	return apperr.New(apperr.Conflict, "案件当前为“"+c.StateName+"”，不能办理此事项")
}

// saveCase writes the case's changed columns (set, with args) and its
// next deadline.
func saveCase(ctx context.Context, tx *store.Tx, now time.Time, c *PenaltyCase, set string, args ...any) error {
	c.DueOn, c.DueWhat = nextDue(*c)
	_, err := tx.Exec(ctx, "UPDATE enforce_cases SET "+set+", due_on = ?, due_what = ?, updated_at = ? WHERE id = ?",
		append(args, c.DueOn, c.DueWhat, now, c.ID)...)
	return err
}

// distinct is ids without repeats, in order (one officer named twice is
// one officer).
func distinct(ids []int64) []int64 {
	var out []int64
	for _, id := range ids {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// investigator reports whether the actor is one of the case's officers.
func (c PenaltyCase) investigator(a *org.Actor) bool {
	for _, id := range c.Officers {
		if id == a.UserID {
			return true
		}
	}
	return false
}

// caseAudit appends a case's audit entry.
func caseAudit(ctx context.Context, tx *store.Tx, now time.Time, a *org.Actor, c PenaltyCase, action string, after map[string]any) error {
	if after == nil {
		after = map[string]any{}
	}
	after["number"] = c.Number
	after["state"] = codes.NameOf(CaseStates, c.State)
	return audit.Append(ctx, tx, now, a.Who(), audit.Entry{Action: "enforce.case." + action, ObjectKind: "enforce_case", ObjectID: fmt.Sprint(c.ID),
		Region: c.Region, After: after})
}
