package enforce

import (
	"context"
	"fmt"
	"strings"
	"time"

	"anwei/internal/apperr"
	"anwei/internal/calendar"
	"anwei/internal/codes"
	"anwei/internal/inbox"
	"anwei/internal/org"
	"anwei/internal/store"
)

// FirstOffence says whether 首违不罚 may apply (行政处罚法 Art. 33 first
// paragraph: 初次违法且危害后果轻微并及时改正的，可以不予行政处罚), and why.
type FirstOffence struct {
	Eligible bool     `json:"eligible"`
	Reasons  []string `json:"reasons"`
}

// firstOffence checks a case against Art. 33: no earlier fine on the party,
// not an accident's or a refusal's case, and the violation corrected in
// time (on the spot, or found corrected at the re-check).
func firstOffence(ctx context.Context, q querier, c PenaltyCase) (FirstOffence, error) {
	var f FirstOffence
	var fined int
	if err := q.QueryRow(ctx, "SELECT COUNT(*) FROM enforce_cases WHERE enterprise_id = ? AND id <> ? AND fine_fen > 0", c.EnterpriseID, c.ID).Scan(&fined); err != nil {
		return f, err
	}
	ok := true
	check := func(cond bool, yes, no string) {
		if cond {
			f.Reasons = append(f.Reasons, "✓ "+yes)
		} else {
			f.Reasons = append(f.Reasons, "✗ "+no)
			ok = false
		}
	}
	check(fined == 0, "初次违法 (此前未受过罚款处罚)", fmt.Sprintf("此前已受过 %d 次罚款处罚，不属初次违法", fined))
	check(c.Source != "accident" && c.Source != "daily" && !c.Uncorrected, "未造成事故、未拒不改正", "造成事故或者逾期未改正，危害后果不属轻微")
	corrected := false
	if c.FindingID != 0 {
		var state, deadline string
		err := q.QueryRow(ctx, "SELECT state, deadline FROM enforce_findings WHERE id = ?", c.FindingID).Scan(&state, &deadline)
		if err != nil && !store.NoRows(err) {
			return f, err
		}
		corrected = state == "corrected" || deadline == ""
	}
	check(corrected, "已及时改正 (当场改正或复查合格)", "尚无复查合格或当场改正的记录")
	f.Eligible = ok
	return f, nil
}

// DecideInput is the head's decision.
type DecideInput struct {
	Fine   float64 `json:"fine"`   // yuan, not above the proposed (Art. 45)
	Waive  bool    `json:"waive"`  // 不予行政处罚 (Art. 33)
	Reason string  `json:"reason"` // why it is waived
	Income float64 `json:"income"` // Art. 95: the principal's last year's income
}

// Decide makes the decision (Art. 57): the 行政处罚决定书 — once the party's
// time to state its case (and to ask for a hearing) has run out or it has
// been heard, after the 法制审核 and 集体讨论 the amount requires — or, where
// Art. 33 allows, the 不予行政处罚决定书. The head who decides did not
// investigate.
func (s *Service) Decide(ctx context.Context, a *org.Actor, id int64, in DecideInput) error {
	return s.headStep(ctx, a, id, []string{CaseFiled, CaseNoticed, CaseHearing}, func(tx *store.Tx, c *PenaltyCase, now time.Time) error {
		today := calendar.Local(now).Format(day)
		if in.Waive {
			return s.waive(ctx, tx, a, now, c, in.Reason)
		}
		if c.State == CaseFiled {
			return apperr.New(apperr.Conflict, "作出处罚决定前应当告知当事人拟作出的处罚及其陈述、申辩和听证的权利 (行政处罚法第四十四条)")
		}
		steps, err := stepsOf(ctx, tx, c.ID)
		if err != nil {
			return err
		}
		stated, done := 0, false
		for _, st := range steps {
			switch st.Kind {
			case "statement":
				stated++
			case "statement_done":
				done = true
			}
		}
		switch {
		case c.State == CaseHearing && c.HeardOn == "":
			return apperr.New(apperr.Conflict, "当事人已要求听证：听证后方可作出决定")
		case c.State == CaseNoticed && c.HearingBy != "" && today <= c.HearingBy:
			return apperr.New(apperr.Conflict, "当事人申请听证的期限至 "+c.HearingBy+"，期满后方可作出决定")
		case !done && today <= c.StatementBy:
			return apperr.New(apperr.Conflict, "陈述申辩期至 "+c.StatementBy+"；期满或当事人表示陈述申辩完毕后方可作出决定 (第六十二条)")
		}
		if in.Fine > c.Proposed {
			return apperr.Field("fine", fmt.Sprintf("决定的罚款不得高于告知的 %.2f 元 (不因陈述申辩而加重，第四十五条)；须加重的应当重新告知", c.Proposed))
		}
		law, err := s.caseRange(*c, in.Income) // Art. 95: the share of the income given again
		if err != nil {
			return err
		}
		r, _, err := s.CaseRulesFor(ctx, tx, c.Region)
		if err != nil {
			return err
		}
		rows := r.Rows(c.Article, c.Uncorrected)
		if c.Source == "daily" {
			rows = nil
		}
		if err := lawful(law, rows, c.Tier, in.Fine, "fine"); err != nil {
			return err
		}
		review, discussion := r.needs(*c, fenOf(in.Fine))
		// A review or discussion held before the hearing did not weigh it.
		if review && (c.ReviewedOn == "" || c.ReviewedOn < c.HeardOn) {
			return apperr.New(apperr.Conflict, "本案须经法制审核 (听证后) 方可决定 (行政处罚法第五十八条)")
		}
		if discussion && (c.DiscussedOn == "" || c.DiscussedOn < c.HeardOn) {
			return apperr.New(apperr.Conflict, "本案须经负责人集体讨论 (听证后) 决定 (行政处罚法第五十七条第二款)")
		}
		heard := fmt.Sprintf("本机关于%s告知你单位拟作出的行政处罚及陈述、申辩权利", c.NoticedOn)
		if c.HearingBy != "" {
			heard += "和听证权利"
		}
		if stated > 0 {
			heard += fmt.Sprintf("；你单位提出陈述申辩 %d 次，本机关已进行复核", stated)
		} else {
			heard += "；你单位在期限内未提出陈述申辩"
		}
		if c.HeardOn != "" {
			heard += "；本机关于" + c.HeardOn + "举行了听证"
		}
		c.State, c.DecidedOn, c.fineFen, c.Fine = CaseDecided, today, fenOf(in.Fine), in.Fine
		extra := map[string]string{"heard": heard + "。"}
		if c.Source == "daily" {
			extra["daily"] = c.SourceRef
		}
		fields, basis, err := s.caseWritFields(ctx, tx, *c, "decision", extra)
		if err != nil {
			return err
		}
		w, err := issueCaseWrit(ctx, tx, now, a, *c, "decision", fields, basis)
		if err != nil {
			return err
		}
		late := today > c.DecideBy
		if err := saveCase(ctx, tx, now, c, "state = ?, decided_on = ?, fine_fen = ?", c.State, c.DecidedOn, c.fineFen); err != nil {
			return err
		}
		note := fmt.Sprintf("%s：罚款 %.2f 元", w.Number, in.Fine)
		if late {
			note += " (超过办案期限 " + c.DecideBy + ")"
		}
		if err := addStep(ctx, tx, a, now, *c, "decision", note, nil); err != nil {
			return err
		}
		if err := inbox.Send(ctx, tx, now, c.EnterpriseID, "enforce.case", "行政处罚决定书 "+w.Number,
			fmt.Sprintf("/enforce/cases/%d", c.ID), fmt.Sprintf("enforce:case:%d:decision", c.ID)); err != nil {
			return err
		}
		if err := s.decided(ctx, tx, now, a, *c, true); err != nil {
			return err
		}
		return caseAudit(ctx, tx, now, a, *c, "decide", map[string]any{"writ": w.Number, "fine": in.Fine, "late": late})
	})
}

// decided is what a penalty decision sets going, in its transaction: it is
// due for publication (an ordinary procedure's decision; 当场 decisions are
// on file, not published), it counts toward Art. 113 and the credit
// grounds, and it moves the enterprise's class (近12个月违法行为).
func (s *Service) decided(ctx context.Context, tx *store.Tx, now time.Time, a *org.Actor, c PenaltyCase, publish bool) error {
	if publish {
		if err := decisionDue(ctx, tx, now, c, c.DecidedOn); err != nil {
			return err
		}
	}
	// The class first: it updates the enterprise's row, which holds a second
	// decision on the same enterprise (another department's) until this one
	// commits, so that its Art. 113 count sees this decision.
	if err := s.ents.Reclass(ctx, tx, c.EnterpriseID); err != nil {
		return err
	}
	return s.raiseOnDecision(ctx, tx, now, a.Who(), c)
}

// waive decides not to punish (Art. 33) where the first-offence test holds.
func (s *Service) waive(ctx context.Context, tx *store.Tx, a *org.Actor, now time.Time, c *PenaltyCase, reason string) error {
	reason = strings.TrimSpace(reason)
	if reason == "" || len([]rune(reason)) > 2000 {
		return apperr.Field("reason", "请写明不予处罚的理由 (不超过 2000 字)")
	}
	f, err := firstOffence(ctx, tx, *c)
	if err != nil {
		return err
	}
	if !f.Eligible {
		return apperr.Field("waive", "不符合首违不罚的条件 (行政处罚法第三十三条)："+strings.Join(f.Reasons, "；"))
	}
	c.State, c.DecidedOn, c.Waived, c.fineFen, c.Fine = CaseDecided, calendar.Local(now).Format(day), true, 0, 0
	fields, basis, err := s.caseWritFields(ctx, tx, *c, "waive", map[string]string{"reason": reason})
	if err != nil {
		return err
	}
	w, err := issueCaseWrit(ctx, tx, now, a, *c, "waive", fields, basis)
	if err != nil {
		return err
	}
	if err := saveCase(ctx, tx, now, c, "state = ?, decided_on = ?, waived = ?, fine_fen = 0", c.State, c.DecidedOn, true); err != nil {
		return err
	}
	if err := addStep(ctx, tx, a, now, *c, "waive", w.Number+"："+reason, nil); err != nil {
		return err
	}
	if err := inbox.Send(ctx, tx, now, c.EnterpriseID, "enforce.case", "不予行政处罚决定书 "+w.Number,
		fmt.Sprintf("/enforce/cases/%d", c.ID), fmt.Sprintf("enforce:case:%d:decision", c.ID)); err != nil {
		return err
	}
	return caseAudit(ctx, tx, now, a, *c, "waive", map[string]any{"writ": w.Number, "reason": firstLine(reason, 60)})
}

// SpotLimit is Art. 51's ceiling for an organisation fined on the spot
// (a person: 200 yuan; the party here is an enterprise).
const SpotLimit = 3000

// SpotInput is an on-the-spot decision (当场处罚).
type SpotInput struct {
	EnterpriseID int64   `json:"enterprise_id"`
	FindingID    int64   `json:"finding_id"`
	Violation    string  `json:"violation"`
	Facts        string  `json:"facts"`
	Fine         float64 `json:"fine"`
	Statement    string  `json:"statement"` // what the party said on the spot
	Officers     []int64 `json:"officers"`  // the officers on the spot, the deciding one among them (Art. 42: two)
}

// OnTheSpot decides a small fine on the spot (Art. 51–52): facts certain,
// a legal basis, at most 3,000 yuan for an organisation; the pre-numbered
// 当场处罚决定书 is handed over at once (served), and the case is on file
// with the department like any other.
func (s *Service) OnTheSpot(ctx context.Context, a *org.Actor, in SpotInput) (PenaltyCase, error) {
	if err := department(a, org.PermEnforcePenalty); err != nil {
		return PenaltyCase{}, err
	}
	in.Facts = strings.TrimSpace(in.Facts)
	in.Officers = distinct(append([]int64{a.UserID}, in.Officers...))
	if len(in.Officers) < 2 || len(in.Officers) > 10 {
		return PenaltyCase{}, apperr.Field("officers", "当场处罚须有两名以上执法人员在场 (行政处罚法第四十二条)")
	}
	if finite("fine", in.Fine) != nil || in.Fine <= 0 || in.Fine > SpotLimit {
		return PenaltyCase{}, apperr.Field("fine", fmt.Sprintf("当场处罚的罚款须在 %d 元以下 (对法人或者其他组织，行政处罚法第五十一条)", SpotLimit))
	}
	if in.Facts == "" || len([]rune(in.Facts)) > 4000 || len([]rune(in.Statement)) > 2000 {
		return PenaltyCase{}, apperr.Field("facts", "请写明违法事实 (不超过 4000 字)")
	}
	now := s.clock.Now()
	today := calendar.Local(now).Format(day)
	var out PenaltyCase
	err := s.db.Tx(ctx, func(tx *store.Tx) error {
		var inspection int64
		if in.FindingID != 0 {
			var unit, ent int64
			var violation string
			err := tx.QueryRow(ctx, `SELECT i.unit_id, f.enterprise_id, f.violation, f.inspection_id FROM enforce_findings f JOIN enforce_inspections i ON i.id = f.inspection_id
				WHERE f.id = ?`, in.FindingID).Scan(&unit, &ent, &violation, &inspection)
			if store.NoRows(err) || (err == nil && unit != a.Unit.ID) {
				return apperr.Field("finding_id", "该问题不是本部门检查发现的")
			}
			if err != nil {
				return err
			}
			in.EnterpriseID = ent
			if violation != "" {
				in.Violation = violation
			}
			var open int
			if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM enforce_cases WHERE finding_id = ? AND source = 'inspection'", in.FindingID).Scan(&open); err != nil {
				return err
			}
			if open > 0 {
				return apperr.New(apperr.Conflict, "该违法行为已经立案")
			}
		}
		article, law, err := caseLaw(in.Violation, 0, false, "")
		if err != nil {
			return err
		}
		if err := lawful(law, nil, "", in.Fine, "fine"); err != nil {
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
		source := "inspection" // found on the spot, on an inspection recorded or not
		c := PenaltyCase{UnitID: a.Unit.ID, Unit: a.Unit.Name, EnterpriseID: in.EnterpriseID, Enterprise: rows[0].Name, Region: rows[0].Region,
			Source: source, FindingID: in.FindingID, InspectionID: inspection, Violation: in.Violation, Article: article, Facts: in.Facts, Officers: in.Officers,
			Simple: true, State: CaseServed, FiledOn: today, DecideBy: DecideBy(today, 0), DecidedOn: today, ServedOn: today, ServeHow: "当场交付",
			PayBy: PayBy(today), fineFen: fenOf(in.Fine), Fine: in.Fine, proposedFen: fenOf(in.Fine), Proposed: in.Fine}
		heard := "执法人员当场告知了拟作出的处罚及陈述、申辩权利"
		if st := strings.TrimSpace(in.Statement); st != "" {
			heard += "；当事人陈述申辩：" + st
		}
		w, err := s.insertCase(ctx, tx, a, now, &c, "spot", map[string]string{"heard": heard + "。"})
		if err != nil {
			return err
		}
		if err := saveCase(ctx, tx, now, &c, "decided_on = ?, served_on = ?, serve_how = ?, pay_by = ?, fine_fen = ?, proposed_fen = ?",
			c.DecidedOn, c.ServedOn, c.ServeHow, c.PayBy, c.fineFen, c.proposedFen); err != nil {
			return err
		}
		if err := addStep(ctx, tx, a, now, c, "decision", fmt.Sprintf("%s：当场罚款 %.2f 元，当场交付", w.Number, in.Fine), nil); err != nil {
			return err
		}
		if err := askToPay(ctx, tx, now, c); err != nil {
			return err
		}
		if err := s.decided(ctx, tx, now, a, c, false); err != nil {
			return err
		}
		out = c
		return caseAudit(ctx, tx, now, a, c, "spot", map[string]any{"writ": w.Number, "fine": in.Fine, "enterprise": c.EnterpriseID})
	})
	return out, err
}

// Consent is the party's signed consent to electronic service (Art. 61):
// who signed for it.
func (s *Service) Consent(ctx context.Context, a *org.Actor, id int64, signer string) error {
	signer = strings.TrimSpace(signer)
	if a.Unit.Kind != org.KindEnterprise {
		return apperr.New(apperr.Forbidden, "电子送达须经当事人本人同意并签订确认书")
	}
	if signer == "" || len([]rune(signer)) > 50 {
		return apperr.Field("signer", "请填写签署人姓名")
	}
	return s.partyStep(ctx, a, id, []string{CaseNoticed, CaseHearing, CaseDecided}, func(tx *store.Tx, c *PenaltyCase, now time.Time) error {
		if c.EService {
			return apperr.New(apperr.Conflict, "已经同意电子送达")
		}
		c.EService = true
		if err := saveCase(ctx, tx, now, c, "e_service = ?", true); err != nil {
			return err
		}
		if err := addStep(ctx, tx, a, now, *c, "consent", signer+" 代表当事人签署《送达地址确认书》，同意本案文书通过本平台电子送达 (行政处罚法第六十一条)", nil); err != nil {
			return err
		}
		return caseAudit(ctx, tx, now, a, *c, "consent", map[string]any{"signer": signer})
	})
}

// ServeWays are how a decision is served.
var ServeWays = []codes.Choice{{Key: "direct", Name: "直接送达"}, {Key: "left", Name: "留置送达"}, {Key: "post", Name: "邮寄送达"},
	{Key: "electronic", Name: "电子送达"}, {Key: "notice", Name: "公告送达"}}

// ServeInput is the service of a decision.
type ServeInput struct {
	On  string `json:"on"`  // the day the party received it
	How string `json:"how"` // ServeWays key
}

// Serve records the decision's service (Art. 61; electronic only with the
// party's consent); the 15 days to pay run from it.
func (s *Service) Serve(ctx context.Context, a *org.Actor, id int64, in ServeInput) error {
	return s.caseStep(ctx, a, id, org.PermEnforcePenalty, []string{CaseDecided}, func(tx *store.Tx, c *PenaltyCase, now time.Time) error {
		today := calendar.Local(now).Format(day)
		if codes.NameOf(ServeWays, in.How) == in.How {
			return apperr.Field("how", "请选择送达方式")
		}
		if in.How == "electronic" && !c.EService {
			return apperr.Field("how", "当事人未签署同意电子送达的确认书，不能电子送达 (第六十一条)")
		}
		if in.On == "" {
			in.On = today
		}
		if _, ok := parseDay(in.On); !ok || in.On < c.DecidedOn || in.On > today {
			return apperr.Field("on", "送达日期须在决定之日 ("+c.DecidedOn+") 至今天之间")
		}
		c.State, c.ServedOn, c.ServeHow = CaseServed, in.On, codes.NameOf(ServeWays, in.How)
		if !c.Waived {
			c.PayBy = PayBy(in.On)
		}
		if err := saveCase(ctx, tx, now, c, "state = ?, served_on = ?, serve_how = ?, pay_by = ?", c.State, c.ServedOn, c.ServeHow, c.PayBy); err != nil {
			return err
		}
		note := c.ServeHow + "，" + in.On
		if c.PayBy != "" {
			note += "；缴纳期限至 " + c.PayBy
		}
		if err := addStep(ctx, tx, a, now, *c, "service", note, nil); err != nil {
			return err
		}
		if !c.Waived { // the party's 待办 until it pays
			if err := askToPay(ctx, tx, now, *c); err != nil {
				return err
			}
		} else if in.How == "electronic" {
			if err := inbox.Send(ctx, tx, now, c.EnterpriseID, "enforce.case", "电子送达：案件 "+c.Number+" 的不予行政处罚决定书",
				fmt.Sprintf("/enforce/cases/%d", c.ID), fmt.Sprintf("enforce:case:%d:service", c.ID)); err != nil {
				return err
			}
		}
		return caseAudit(ctx, tx, now, a, *c, "serve", map[string]any{"on": in.On, "how": in.How, "pay_by": c.PayBy})
	})
}

// askToPay puts the fine in the party's 待办, due by the last day to pay
// (settled by the payment).
func askToPay(ctx context.Context, tx *store.Tx, now time.Time, c PenaltyCase) error {
	return inbox.Ask(ctx, tx, now, c.EnterpriseID, "enforce.case", fmt.Sprintf("缴纳罚款 %.2f 元 (%s)，期限 %s", c.Fine, c.Number, c.PayBy),
		fmt.Sprintf("/enforce/cases/%d", c.ID), fmt.Sprintf("enforce:case:%d:pay", c.ID), c.PayBy)
}
