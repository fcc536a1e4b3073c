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

// ReviseInput records a decision changed or revoked after it was made: by
// a 行政复议 decision, a court's judgment, or the department's own
// correction (行政处罚法 Art. 75).
type ReviseInput struct {
	Kind   string  `json:"kind"`   // revoked | changed
	Fine   float64 `json:"fine"`   // changed: the fine as changed, yuan (lower: 行政复议法 forbids a heavier one)
	Reason string  `json:"reason"` // by what (文号) and why
}

// Revise records that a decision was changed or revoked. A published
// decision must then be withdrawn within 3 days with the reason (Art. 48):
// its publication goes on the department's list with that day; a changed
// one is due for publication again, as changed. The party is told and the
// enterprise's class follows (a revoked decision no longer counts).
func (s *Service) Revise(ctx context.Context, a *org.Actor, id int64, in ReviseInput) error {
	in.Reason = strings.TrimSpace(in.Reason)
	var ch apperr.Checks
	ch.If(in.Kind != "revoked" && in.Kind != "changed", "kind", "请选择撤销或变更")
	ch.If(in.Reason == "" || len([]rune(in.Reason)) > 1000, "reason", "请写明依据 (复议决定书、判决书文号或本机关纠错) 和理由，不超过 1000 字")
	if err := ch.Take(finite("fine", in.Fine)); err != nil {
		return err
	}
	return s.headStep(ctx, a, id, []string{CaseDecided, CaseServed, CasePaid, CaseClosed}, func(tx *store.Tx, c *PenaltyCase, now time.Time) error {
		if c.Waived {
			return apperr.New(apperr.Conflict, "不予行政处罚的决定没有罚款可撤销或变更")
		}
		today := calendar.Local(now).Format(day)
		before := c.Fine
		note := map[string]string{"revoked": "决定撤销", "changed": "决定变更"}[in.Kind] + "：" + in.Reason
		if in.Kind == "changed" {
			if in.Fine <= 0 || fenOf(in.Fine) >= c.fineFen {
				return apperr.Field("fine", fmt.Sprintf("变更后的罚款须大于 0 且低于原决定的 %.2f 元 (不得加重)", c.Fine))
			}
			c.fineFen, c.Fine = fenOf(in.Fine), in.Fine
			note = fmt.Sprintf("决定变更：罚款由 %.2f 元变更为 %.2f 元；%s", before, in.Fine, in.Reason)
			if err := saveCase(ctx, tx, now, c, "fine_fen = ?, revoked_on = ?, revoke_kind = 'changed', revoke_note = ?", c.fineFen, today, note); err != nil {
				return err
			}
		} else {
			c.State = CaseRevoked
			if err := saveCase(ctx, tx, now, c, "state = ?, revoked_on = ?, revoke_kind = 'revoked', revoke_note = ?", c.State, today, note); err != nil {
				return err
			}
			if err := inbox.DoneAll(ctx, tx, now, fmt.Sprintf("enforce:case:%d:", c.ID)); err != nil {
				return err
			}
			if err := dropEscalations(ctx, tx, now, *c, in.Reason); err != nil {
				return err
			}
		}
		c.RevokedOn, c.RevokeKind, c.RevokeNote = today, in.Kind, note
		if err := s.revisePublications(ctx, tx, now, *c, note); err != nil {
			return err
		}
		if err := addStep(ctx, tx, a, now, *c, "revise", note, nil); err != nil {
			return err
		}
		if err := inbox.Send(ctx, tx, now, c.EnterpriseID, "enforce.case", "行政处罚"+note, fmt.Sprintf("/enforce/cases/%d", c.ID),
			fmt.Sprintf("enforce:case:%d:revise:%s", c.ID, today)); err != nil {
			return err
		}
		if err := s.ents.Reclass(ctx, tx, c.EnterpriseID); err != nil {
			return err
		}
		return caseAudit(ctx, tx, now, a, *c, "revise", map[string]any{"revise": note, "fine_before": before, "fine": c.Fine})
	})
}

// revisePublications: a decision not yet published and now revoked need
// not be; one published is to be withdrawn within WithdrawDays; a changed
// decision is due again.
func (s *Service) revisePublications(ctx context.Context, tx *store.Tx, now time.Time, c PenaltyCase, note string) error {
	today := calendar.Local(now).Format(day)
	rows, err := tx.Query(ctx, "SELECT id, state, withdraw_by FROM enforce_publications WHERE case_id = ? AND kind = 'decision' AND state IN ('due', 'published')", c.ID)
	type pub struct {
		id           int64
		state, until string
	}
	pubs, err := store.Collect(rows, err, func(r store.Scanner) (pub, error) {
		var p pub
		return p, r.Scan(&p.id, &p.state, &p.until)
	})
	if err != nil {
		return err
	}
	due := c.RevokeKind == "changed"
	for _, p := range pubs {
		switch {
		case p.state == PubDue && c.RevokeKind == "revoked":
			if _, err := tx.Exec(ctx, "UPDATE enforce_publications SET state = 'dropped', revision = ?, reason = '决定已撤销', updated_at = ? WHERE id = ?", note, now, p.id); err != nil {
				return err
			}
			if err := inbox.Settle(ctx, tx, now, fmt.Sprintf("enforce:publication:%d", p.id), "无需公示 (决定已撤销)"); err != nil {
				return err
			}
		case p.state == PubDue:
			due = false // still to be published: it will say what stands then
		case p.until == "":
			by := addWorkdays(today, WithdrawDays)
			if _, err := tx.Exec(ctx, "UPDATE enforce_publications SET withdraw_by = ?, revision = ?, updated_at = ? WHERE id = ?", by, note, now, p.id); err != nil {
				return err
			}
			if err := inbox.Ask(ctx, tx, now, c.UnitID, "enforce.publication", "撤回公示 (决定已"+map[string]string{"revoked": "撤销", "changed": "变更"}[c.RevokeKind]+")："+c.Enterprise,
				fmt.Sprintf("/enforce/publications#p%d", p.id), fmt.Sprintf("enforce:publication:%d:withdraw", p.id), by); err != nil {
				return err
			}
		}
	}
	if due {
		return decisionDue(ctx, tx, now, c, today)
	}
	return nil
}
