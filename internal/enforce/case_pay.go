package enforce

import (
	"context"
	"fmt"
	"strings"
	"time"

	"anwei/internal/apperr"
	"anwei/internal/calendar"
	"anwei/internal/inbox"
	"anwei/internal/org"
	"anwei/internal/store"
)

// PayInput is a payment of a fine: the day it was paid, the amount and
// the bank's receipt.
type PayInput struct {
	On      string  `json:"on"`
	Amount  float64 `json:"amount"` // yuan: the fine and the 加处罚款 owed on that day
	Receipt string  `json:"receipt"`
}

// Pay records the payment of a served fine, by the party (online, today,
// with the bank's receipt number) or by an officer from the bank's notice
// (on the day it shows). Paid after the 15 days, it must include the 加处
// 罚款 of Art. 72 for each day late, at most the fine. The department
// checks the money arrived before it closes the case (NotPaid undoes a
// payment that did not).
func (s *Service) Pay(ctx context.Context, a *org.Actor, id int64, in PayInput) error {
	in.Receipt = strings.TrimSpace(in.Receipt)
	if in.Receipt == "" || len([]rune(in.Receipt)) > 60 {
		return apperr.Field("receipt", "请填写缴款凭证号 (不超过 60 字)")
	}
	return s.partyStep(ctx, a, id, []string{CaseServed}, func(tx *store.Tx, c *PenaltyCase, now time.Time) error {
		today := calendar.Local(now).Format(day)
		if c.Waived {
			return apperr.New(apperr.Conflict, "本案不予行政处罚，无须缴纳")
		}
		if in.On == "" || a.Unit.Kind == org.KindEnterprise {
			in.On = today // the party pays today; an earlier day is the bank's notice, which an officer records
		}
		if err := finite("amount", in.Amount); err != nil {
			return err
		}
		if _, ok := parseDay(in.On); !ok || in.On < c.ServedOn || in.On > today {
			return apperr.Field("on", "缴纳日期须在送达之日 ("+c.ServedOn+") 至今天之间")
		}
		o := owedOn(*c, in.On)
		if fenOf(in.Amount) < c.fineFen+o.feeFen {
			msg := fmt.Sprintf("应缴 %.2f 元", o.Total)
			if o.feeFen > 0 {
				msg = fmt.Sprintf("应缴 %.2f 元：罚款 %.2f 元，逾期 %d 日加处罚款 %.2f 元 (每日百分之三，不超过罚款数额，行政处罚法第七十二条)", o.Total, c.Fine, o.LateDays, o.LateFee)
			}
			return apperr.Field("amount", fmt.Sprintf("缴纳金额 %.2f 元不足：%s", in.Amount, msg))
		}
		c.State, c.PaidOn, c.paidFen, c.surchargeFen = CasePaid, in.On, fenOf(in.Amount), o.feeFen
		c.Paid, c.Surcharge = yuanOf(c.paidFen), yuanOf(c.surchargeFen)
		if err := saveCase(ctx, tx, now, c, "state = ?, paid_on = ?, paid_fen = ?, surcharge_fen = ?", c.State, c.PaidOn, c.paidFen, c.surchargeFen); err != nil {
			return err
		}
		note := fmt.Sprintf("%s 缴纳 %.2f 元 (凭证 %s)", in.On, in.Amount, in.Receipt)
		if o.feeFen > 0 {
			note += fmt.Sprintf("，含逾期 %d 日加处罚款 %.2f 元", o.LateDays, o.LateFee)
		}
		if err := addStep(ctx, tx, a, now, *c, "payment", note, nil); err != nil {
			return err
		}
		if err := inbox.Done(ctx, tx, now, fmt.Sprintf("enforce:case:%d:pay", c.ID)); err != nil {
			return err
		}
		if err := inbox.Ask(ctx, tx, now, c.UnitID, "enforce.case", c.Enterprise+" 已缴纳 "+c.Number+" 的罚款，待核实结案",
			fmt.Sprintf("/enforce/cases/%d", c.ID), fmt.Sprintf("enforce:case:%d:close", c.ID), ""); err != nil {
			return err
		}
		if err := inbox.Reopen(ctx, tx, fmt.Sprintf("enforce:case:%d:close", c.ID)); err != nil { // paid again after NotPaid
			return err
		}
		return caseAudit(ctx, tx, now, a, *c, "pay", map[string]any{"on": in.On, "amount": in.Amount, "surcharge": c.Surcharge, "receipt": in.Receipt})
	})
}

// NotPaid undoes a payment the party reported that did not reach the
// account: the case is served and unpaid again, its 待办 back with the
// party, and the 催告 and the court remain open to the department.
func (s *Service) NotPaid(ctx context.Context, a *org.Actor, id int64, note string) error {
	note = strings.TrimSpace(note)
	if note == "" || len([]rune(note)) > 2000 {
		return apperr.Field("note", "请写明核实情况 (不超过 2000 字)")
	}
	return s.caseStep(ctx, a, id, org.PermEnforcePenalty, []string{CasePaid}, func(tx *store.Tx, c *PenaltyCase, now time.Time) error {
		before := fmt.Sprintf("%s 缴纳 %.2f 元", c.PaidOn, c.Paid)
		c.State, c.PaidOn, c.paidFen, c.surchargeFen, c.Paid, c.Surcharge = CaseServed, "", 0, 0, 0, 0
		if err := saveCase(ctx, tx, now, c, "state = ?, paid_on = '', paid_fen = 0, surcharge_fen = 0", c.State); err != nil {
			return err
		}
		if err := addStep(ctx, tx, a, now, *c, "unpaid", before+"：款项未到账。"+note, nil); err != nil {
			return err
		}
		if err := inbox.Done(ctx, tx, now, fmt.Sprintf("enforce:case:%d:close", c.ID)); err != nil {
			return err
		}
		if err := inbox.Reopen(ctx, tx, fmt.Sprintf("enforce:case:%d:pay", c.ID)); err != nil {
			return err
		}
		return caseAudit(ctx, tx, now, a, *c, "unpaid", map[string]any{"note": firstLine(note, 60)})
	})
}

// unpaid runs f on a served fine not paid after its 15 days.
func (s *Service) unpaid(ctx context.Context, a *org.Actor, id int64, f func(tx *store.Tx, c *PenaltyCase, now time.Time, o Owed) error) error {
	return s.caseStep(ctx, a, id, org.PermEnforcePenalty, []string{CaseServed}, func(tx *store.Tx, c *PenaltyCase, now time.Time) error {
		today := calendar.Local(now).Format(day)
		if c.Waived || c.PayBy == "" || today <= c.PayBy {
			return apperr.New(apperr.Conflict, "罚款缴纳期限 ("+c.PayBy+") 尚未届满")
		}
		return f(tx, c, now, owedOn(*c, today))
	})
}

// Remind issues the 缴纳罚款催告书 once the 15 days have run out (行政强制法
// Art. 35, 54): the fine, the days late and the 加处罚款 so far, ten days to
// pay before the court is asked.
func (s *Service) Remind(ctx context.Context, a *org.Actor, id int64) error {
	return s.unpaid(ctx, a, id, func(tx *store.Tx, c *PenaltyCase, now time.Time, o Owed) error {
		if c.RemindedOn != "" {
			return apperr.New(apperr.Conflict, "已于 "+c.RemindedOn+" 催告")
		}
		today := calendar.Local(now).Format(day)
		fields, basis, err := s.caseWritFields(ctx, tx, *c, "remind", map[string]string{"on": today, "days": fmt.Sprint(o.LateDays), "fee": fmt.Sprintf("%.2f", o.LateFee)})
		if err != nil {
			return err
		}
		w, err := issueCaseWrit(ctx, tx, now, a, *c, "remind", fields, basis)
		if err != nil {
			return err
		}
		c.RemindedOn = today
		if err := saveCase(ctx, tx, now, c, "reminded_on = ?", today); err != nil {
			return err
		}
		if err := addStep(ctx, tx, a, now, *c, "remind", fmt.Sprintf("%s：逾期 %d 日，加处罚款 %.2f 元", w.Number, o.LateDays, o.LateFee), nil); err != nil {
			return err
		}
		if err := inbox.Send(ctx, tx, now, c.EnterpriseID, "enforce.case", "缴纳罚款催告书 "+w.Number,
			fmt.Sprintf("/enforce/cases/%d", c.ID), fmt.Sprintf("enforce:case:%d:remind", c.ID)); err != nil {
			return err
		}
		return caseAudit(ctx, tx, now, a, *c, "remind", map[string]any{"writ": w.Number, "late_days": o.LateDays, "fee": o.LateFee})
	})
}

// Surcharge issues the 加处罚款决定书 after the 催告 (Art. 72; 行政强制法 Art.
// 45): the days late and the 加处罚款 as of today.
func (s *Service) Surcharge(ctx context.Context, a *org.Actor, id int64) error {
	return s.unpaid(ctx, a, id, func(tx *store.Tx, c *PenaltyCase, now time.Time, o Owed) error {
		if c.RemindedOn == "" {
			return apperr.New(apperr.Conflict, "请先催告")
		}
		if c.SurchargedOn != "" {
			return apperr.New(apperr.Conflict, "已于 "+c.SurchargedOn+" 作出加处罚款决定")
		}
		today := calendar.Local(now).Format(day)
		fields, basis, err := s.caseWritFields(ctx, tx, *c, "surcharge", map[string]string{"on": today, "days": fmt.Sprint(o.LateDays), "fee": fmt.Sprintf("%.2f", o.LateFee)})
		if err != nil {
			return err
		}
		w, err := issueCaseWrit(ctx, tx, now, a, *c, "surcharge", fields, basis)
		if err != nil {
			return err
		}
		c.SurchargedOn, c.surchargeFen = today, o.feeFen
		if err := saveCase(ctx, tx, now, c, "surcharged_on = ?, surcharge_fen = ?", today, o.feeFen); err != nil {
			return err
		}
		if err := addStep(ctx, tx, a, now, *c, "surcharge", fmt.Sprintf("%s：逾期 %d 日，加处罚款 %.2f 元", w.Number, o.LateDays, o.LateFee), nil); err != nil {
			return err
		}
		return caseAudit(ctx, tx, now, a, *c, "surcharge", map[string]any{"writ": w.Number, "late_days": o.LateDays, "fee": o.LateFee})
	})
}

// ApplyCourt records the application to the court to enforce the decision
// (行政强制法 Art. 53–54): after the 催告 and its ten days, once the periods
// for 复议 and 诉讼 have run out, within three months.
func (s *Service) ApplyCourt(ctx context.Context, a *org.Actor, id int64) error {
	return s.unpaid(ctx, a, id, func(tx *store.Tx, c *PenaltyCase, now time.Time, o Owed) error {
		today := calendar.Local(now).Format(day)
		if c.RemindedOn == "" {
			return apperr.New(apperr.Conflict, "申请强制执行前应当催告 (行政强制法第五十四条)")
		}
		if c.CourtOn != "" {
			return apperr.New(apperr.Conflict, "已于 "+c.CourtOn+" 申请强制执行")
		}
		from, to := CourtWindow(c.ServedOn, c.RemindedOn)
		if today < from || today > to {
			return apperr.New(apperr.Conflict, fmt.Sprintf("申请人民法院强制执行的期间为 %s 至 %s (复议、诉讼期限届满后三个月内，催告满十日)", from, to))
		}
		var decision string
		if err := tx.QueryRow(ctx, "SELECT number FROM enforce_case_writs WHERE case_id = ? AND kind IN ('decision', 'spot') ORDER BY id DESC LIMIT 1", c.ID).Scan(&decision); err != nil {
			return err
		}
		fields, basis, err := s.caseWritFields(ctx, tx, *c, "court", map[string]string{"decision": decision, "fee": fmt.Sprintf("%.2f", o.LateFee)})
		if err != nil {
			return err
		}
		w, err := issueCaseWrit(ctx, tx, now, a, *c, "court", fields, basis)
		if err != nil {
			return err
		}
		c.CourtOn = today
		if err := saveCase(ctx, tx, now, c, "court_on = ?", today); err != nil {
			return err
		}
		if err := addStep(ctx, tx, a, now, *c, "court", w.Number, nil); err != nil {
			return err
		}
		return caseAudit(ctx, tx, now, a, *c, "court", map[string]any{"writ": w.Number, "fee": o.LateFee})
	})
}

// CloseCase closes a case (结案, with the 结案审批表) once the fine is paid,
// a waiver served, or the court asked to enforce.
func (s *Service) CloseCase(ctx context.Context, a *org.Actor, id int64, note string) error {
	note = strings.TrimSpace(note)
	if len([]rune(note)) > 2000 {
		return apperr.Field("note", "结案说明不超过 2000 字")
	}
	return s.headStep(ctx, a, id, []string{CasePaid, CaseServed}, func(tx *store.Tx, c *PenaltyCase, now time.Time) error {
		if c.State == CaseServed && !c.Waived && c.CourtOn == "" {
			return apperr.New(apperr.Conflict, "罚款尚未缴纳，也未申请强制执行，不能结案")
		}
		if note == "" {
			switch {
			case c.State == CasePaid:
				note = "罚款已缴清"
			case c.Waived:
				note = "不予行政处罚，决定书已送达"
			default:
				note = "已申请人民法院强制执行"
			}
		}
		today := calendar.Local(now).Format(day)
		c.State, c.ClosedOn = CaseClosed, today
		fields, basis, err := s.caseWritFields(ctx, tx, *c, "close", map[string]string{"note": note})
		if err != nil {
			return err
		}
		w, err := issueCaseWrit(ctx, tx, now, a, *c, "close", fields, basis)
		if err != nil {
			return err
		}
		if err := saveCase(ctx, tx, now, c, "state = ?, closed_on = ?", c.State, c.ClosedOn); err != nil {
			return err
		}
		if err := addStep(ctx, tx, a, now, *c, "close", w.Number+"："+note, nil); err != nil {
			return err
		}
		if err := inbox.Done(ctx, tx, now, fmt.Sprintf("enforce:case:%d:close", c.ID)); err != nil {
			return err
		}
		return caseAudit(ctx, tx, now, a, *c, "close", map[string]any{"writ": w.Number})
	})
}
