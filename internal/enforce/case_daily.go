package enforce

import (
	"context"
	"fmt"
	"time"

	"anwei/internal/apperr"
	"anwei/internal/calendar"
	"anwei/internal/docs"
	"anwei/internal/org"
	"anwei/internal/rules"
	"anwei/internal/store"
)

// 按日连续处罚 (安全生产法 Art. 112): a party ordered to correct and fined,
// found at the re-check to refuse (拒不改正), may be fined the original
// amount for each day from the day after the order. The count runs while
// the finding stays refused and ends with the re-check that finds it
// corrected — on that day or the day before (CaseRules.DailyDayBefore,
// [U]); the total is then decided as a case of its own (source daily).

// Daily is the count of a case whose violation was refused after the fine.
type Daily struct {
	Ordered   string  `json:"ordered"` // the day of the 责令限期整改指令书
	OrderNo   string  `json:"order_no"`
	From      string  `json:"from"`  // the day after
	Until     string  `json:"until"` // the last day counted (today while it runs)
	Running   bool    `json:"running"`
	Corrected string  `json:"corrected,omitempty"` // the re-check that found it corrected
	Days      int     `json:"days"`
	Fine      float64 `json:"fine"` // the original fine, a day
	Total     float64 `json:"total"`
	CaseID    int64   `json:"case_id,omitempty"` // the daily case, once opened
	Basis     string  `json:"basis"`
}

// dailyOf is the count of c on today, nil when Art. 112 does not apply:
// a violation found on an inspection, fined (decided, not waived), and
// refused at the re-check.
func (s *Service) dailyOf(ctx context.Context, q querier, c PenaltyCase, r CaseRules, today string) (*Daily, error) {
	if c.Source != "inspection" || c.FindingID == 0 || c.fineFen == 0 || c.DecidedOn == "" {
		return nil, nil
	}
	var state string
	if err := q.QueryRow(ctx, "SELECT state FROM enforce_findings WHERE id = ?", c.FindingID).Scan(&state); err != nil {
		return nil, err
	}
	var corrected string
	err := q.QueryRow(ctx, "SELECT on_date FROM enforce_case_steps WHERE case_id = ? AND kind = 'corrected' ORDER BY id DESC LIMIT 1", c.ID).Scan(&corrected)
	if err != nil && !store.NoRows(err) {
		return nil, err
	}
	if state != "refused" && corrected == "" {
		return nil, nil
	}
	d := &Daily{Fine: c.Fine, Running: corrected == "", Corrected: corrected, Basis: "《中华人民共和国安全生产法》第一百一十二条"}
	err = q.QueryRow(ctx, "SELECT issued_on, number FROM enforce_writs WHERE inspection_id = ? AND kind = ? ORDER BY id LIMIT 1", c.InspectionID, WritOrder).
		Scan(&d.Ordered, &d.OrderNo)
	if store.NoRows(err) {
		return nil, nil // corrected on the spot: no order to count from
	}
	if err != nil {
		return nil, err
	}
	d.From = addDaysTo(d.Ordered, 1)
	d.Until = today
	if !d.Running {
		d.Until = DailyUntil(corrected, r.DailyDayBefore)
	}
	d.Days = DailyDays(d.Ordered, d.Until)
	d.Total = yuanOf(c.fineFen * int64(d.Days))
	err = q.QueryRow(ctx, "SELECT id FROM enforce_cases WHERE of_case = ?", c.ID).Scan(&d.CaseID)
	if err != nil && !store.NoRows(err) {
		return nil, err
	}
	return d, nil
}

func addDaysTo(date string, n int) string {
	t, ok := parseDay(date)
	if !ok {
		return ""
	}
	return t.AddDate(0, 0, n).Format(day)
}

// Corrected records the re-check that finds a refused violation corrected
// (on the day given, not after today): the count of Art. 112 ends and the
// finding is closed as 整改合格.
func (s *Service) Corrected(ctx context.Context, a *org.Actor, id int64, on, note string) error {
	return s.caseStep(ctx, a, id, org.PermEnforcePenalty, []string{CaseDecided, CaseServed, CasePaid, CaseClosed}, func(tx *store.Tx, c *PenaltyCase, now time.Time) error {
		today := calendar.Local(now).Format(day)
		r, _, err := s.CaseRulesFor(ctx, tx, c.Region)
		if err != nil {
			return err
		}
		d, err := s.dailyOf(ctx, tx, *c, r, today)
		if err != nil {
			return err
		}
		if d == nil || !d.Running {
			return apperr.New(apperr.Conflict, "本案没有正在按日计罚的拒不改正行为")
		}
		if on == "" {
			on = today
		}
		if _, ok := parseDay(on); !ok || on <= d.Ordered || on > today {
			return apperr.Field("on", "复查日期须在责令改正之日 ("+d.Ordered+") 之后、今天之前")
		}
		if len([]rune(note)) > 2000 {
			return apperr.Field("note", "复查意见不超过 2000 字")
		}
		var hid *int64
		if err := tx.QueryRow(ctx, "SELECT hazard_id FROM enforce_findings WHERE id = ?", c.FindingID).Scan(&hid); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE enforce_findings SET state = 'corrected', review_note = ?, reviewed_at = ? WHERE id = ?",
			"按日连续处罚期间复查：已改正 "+note, now, c.FindingID); err != nil {
			return err
		}
		if hid != nil { // the hazard it became is closed as the re-check's would be (or told to its listing office)
			if err := s.hazards.Rechecked(ctx, tx, now, a, *hid, true, "复查认定已改正 "+note); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `INSERT INTO enforce_case_steps (case_id, kind, on_date, note, by_user, at) VALUES (?, 'corrected', ?, ?, ?, ?)`,
			c.ID, on, "复查认定已改正。"+note, a.UserID, now); err != nil {
			return err
		}
		until := DailyUntil(on, r.DailyDayBefore)
		return caseAudit(ctx, tx, now, a, *c, "corrected", map[string]any{"on": on, "days": DailyDays(d.Ordered, until), "finding": c.FindingID})
	})
}

// OpenDaily opens the 按日连续处罚 case of a case whose count has ended: the
// party, the officers and the violation are the original case's; the
// amount is the fine times the days, fixed (Art. 112), and goes through
// notice and decision like any case.
func (s *Service) OpenDaily(ctx context.Context, a *org.Actor, id int64) (PenaltyCase, error) {
	var out PenaltyCase
	err := s.caseStep(ctx, a, id, org.PermEnforcePenalty, []string{CaseDecided, CaseServed, CasePaid, CaseClosed}, func(tx *store.Tx, c *PenaltyCase, now time.Time) error {
		today := calendar.Local(now).Format(day)
		r, _, err := s.CaseRulesFor(ctx, tx, c.Region)
		if err != nil {
			return err
		}
		d, err := s.dailyOf(ctx, tx, *c, r, today)
		if err != nil {
			return err
		}
		switch {
		case d == nil:
			return apperr.New(apperr.Conflict, "本案不适用按日连续处罚 (须被责令改正且受到罚款处罚后拒不改正)")
		case d.Running:
			return apperr.New(apperr.Conflict, "拒不改正仍在持续：复查认定已改正后，按日连续处罚的天数方可确定")
		case d.CaseID != 0:
			return apperr.New(apperr.Conflict, "已经立案按日连续处罚")
		case d.Days == 0:
			return apperr.New(apperr.Conflict, "计罚天数为 0")
		}
		p, err := rules.CalcPenalty(rules.PenaltyInput{Article: 112, Fine: c.Fine, Ordered: d.Ordered, Until: d.Until})
		if err != nil {
			return err
		}
		count := fmt.Sprintf("自%s (责令改正 %s 之次日) 起至%s，共 %d 日，每日 %.2f 元", docs.ChineseDate(d.From), d.OrderNo, docs.ChineseDate(d.Until), d.Days, c.Fine)
		n := PenaltyCase{UnitID: c.UnitID, Unit: c.Unit, EnterpriseID: c.EnterpriseID, Enterprise: c.Enterprise, Region: c.Region, Source: "daily",
			InspectionID: c.InspectionID, OfCase: c.ID, SourceRef: count, Violation: c.Violation, Article: 112, Facts: c.Facts +
				"。你单位被责令改正并受到罚款处罚 (" + c.Number + ") 后，经复查拒不改正，至" + docs.ChineseDate(d.Corrected) + "复查方认定改正。",
			Officers: c.Officers, State: CaseFiled, FiledOn: today, DecideBy: DecideBy(today, 0), proposedFen: fenOf(p.Min), Proposed: p.Min, DailyDays: d.Days}
		w, err := s.insertCase(ctx, tx, a, now, &n, "file", nil)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE enforce_cases SET proposed_fen = ?, daily_days = ? WHERE id = ?", n.proposedFen, n.DailyDays, n.ID); err != nil {
			return err
		}
		out = n
		return caseAudit(ctx, tx, now, a, n, "open", map[string]any{"writ": w.Number, "of_case": c.ID, "days": d.Days, "total": p.Min})
	})
	return out, err
}
