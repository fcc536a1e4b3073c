package enforce

import (
	"context"
	"fmt"
	"strings"
	"time"

	"anwei/internal/calendar"
	"anwei/internal/org"
	"anwei/internal/store"
)

// decisionContent is a decision as the public page shows it: the party
// (an organisation, by name and credit code; its representative masked),
// the facts with personal data masked, the provisions, the penalty, the
// department and the date.
func decisionContent(ctx context.Context, q querier, caseID int64) (PubContent, error) {
	c, err := scanCase(q.QueryRow(ctx, "SELECT "+caseCols+caseFrom+" WHERE c.id = ?", caseID))
	if err != nil {
		return PubContent{}, err
	}
	p, err := partyOf(ctx, q, c.EnterpriseID)
	if err != nil {
		return PubContent{}, err
	}
	number := ""
	ws, err := caseWritsOf(ctx, q, c.ID)
	if err != nil {
		return PubContent{}, err
	}
	for _, w := range ws {
		if w.Kind == "decision" {
			number = w.Number
		}
	}
	violated, punish := lawWords(c)
	decision := fmt.Sprintf("罚款 %.2f 元", c.Fine)
	if c.Source == "daily" {
		decision = fmt.Sprintf("按日连续处罚 %d 日，合计罚款 %.2f 元 (安全生产法第一百一十二条)", c.DailyDays, c.Fine)
	}
	if c.Suspension {
		decision += "；责令停产停业整顿"
	}
	if c.RevokeKind == "changed" {
		decision += "。" + c.RevokedOn + "变更：" + c.RevokeNote
	}
	names := []string{p.LegalRep, p.Principal}
	return PubContent{Number: number, Party: p.Name, CreditCode: p.CreditCode, LegalRep: MaskName(p.LegalRep),
		Facts: MaskText(c.Facts, names...), Basis: MaskText(violated + "；处罚依据 " + punish), Decision: MaskText(decision, names...),
		Unit: c.Unit, DecidedOn: c.DecidedOn}, nil
}

// drawContent is a 双随机 inspection's result as the public page shows
// it: who was drawn, by which draw (its public record), when inspected,
// and what came of it.
func drawContent(ctx context.Context, q querier, inspectionID int64) (PubContent, error) {
	var ent, unit int64
	var title, commitment string
	var seq, year int
	var closed time.Time
	err := q.QueryRow(ctx, `SELECT i.enterprise_id, i.unit_id, d.title, d.commitment, d.seq, d.year, i.closed_at FROM enforce_inspections i
		JOIN enforce_draws d ON d.id = i.draw_id WHERE i.id = ?`, inspectionID).Scan(&ent, &unit, &title, &commitment, &seq, &year, &closed)
	if err != nil {
		return PubContent{}, err
	}
	p, err := partyOf(ctx, q, ent)
	if err != nil {
		return PubContent{}, err
	}
	var unitName string
	if err := q.QueryRow(ctx, "SELECT name FROM "+org.UnitsView+" u WHERE u.id = ?", unit).Scan(&unitName); err != nil {
		return PubContent{}, err
	}
	var hazards, majors, violations, open int
	err = q.QueryRow(ctx, `SELECT COUNT(CASE WHEN hazard THEN 1 END), COUNT(CASE WHEN level = 'major' THEN 1 END), COUNT(CASE WHEN violation <> '' THEN 1 END),
		COUNT(CASE WHEN deadline <> '' THEN 1 END) FROM enforce_findings WHERE inspection_id = ?`, inspectionID).Scan(&hazards, &majors, &violations, &open)
	if err != nil {
		return PubContent{}, err
	}
	result := "未发现问题"
	if hazards+violations > 0 {
		var parts []string
		if hazards > 0 {
			parts = append(parts, fmt.Sprintf("事故隐患 %d 项 (其中重大事故隐患 %d 项)", hazards, majors))
		}
		if violations > 0 {
			parts = append(parts, fmt.Sprintf("违法行为 %d 项", violations))
		}
		result = "发现" + strings.Join(parts, "、")
		if open > 0 {
			result += "，已责令限期整改"
		} else {
			result += "，已当场整改"
		}
	}
	return PubContent{Party: p.Name, CreditCode: p.CreditCode, Unit: unitName, Draw: fmt.Sprintf("%s (%d年第%d批)", title, year, seq),
		Commitment: commitment, InspectedOn: calendar.Local(closed).Format(day), Result: result}, nil
}

// drawResultDue puts a closed 双随机 inspection's result on its
// department's list (not a re-check: its result is the first one's).
func (s *Service) drawResultDue(ctx context.Context, tx *store.Tx, now time.Time, i Inspection) error {
	if i.DrawID == nil || i.OfInspection != 0 {
		return nil
	}
	r, _, err := s.CaseRulesFor(ctx, tx, i.Region)
	if err != nil {
		return err
	}
	return duePublication(ctx, tx, now, PubDraw, nil, i.ID, i.UnitID, i.Region, i.EnterpriseID, i.Enterprise, calendar.Local(now).Format(day), r.DrawPublishDays)
}
