package enforce

import (
	"context"
	"fmt"
	"strings"
	"time"

	"anwei/internal/apperr"
	"anwei/internal/audit"
	"anwei/internal/calendar"
	"anwei/internal/codes"
	"anwei/internal/enterprise"
	"anwei/internal/inbox"
	"anwei/internal/org"
	"anwei/internal/paging"
	"anwei/internal/rules"
	"anwei/internal/store"
)

// The escalations the law names, raised by a case and acted on by its
// department: 提请关闭 (安全生产法 Art. 113 (一): an open 重大事故隐患 and 3
// penalties within 180 days or 4 within a year), 移送司法 (an accident's
// facts at a criminal threshold of the 2015 interpretation, 行刑衔接), and
// a 严重失信 listing proposed (a decision of a kind the case rules'
// CreditGrounds name; 应急管理部令第11号), which the department confirms
// into the registry's 名单.

// Escalation kinds and states.
const (
	EscClosure  = "closure"
	EscTransfer = "transfer"
	EscCredit   = "credit"

	EscFlagged   = "flagged"
	EscDone      = "done"
	EscDismissed = "dismissed"
)

// EscalationKinds name the kinds.
var EscalationKinds = []codes.Choice{{Key: EscClosure, Name: "提请关闭 (安全生产法第一百一十三条)"}, {Key: EscTransfer, Name: "移送司法 (行刑衔接)"},
	{Key: EscCredit, Name: "列入严重失信主体名单"}}

// EscalationStates name the states.
var EscalationStates = []codes.Choice{{Key: EscFlagged, Name: "待处理"}, {Key: EscDone, Name: "已办理"}, {Key: EscDismissed, Name: "不予办理"}}

// Escalation is a flag a case raised.
type Escalation struct {
	ID           int64  `json:"id"`
	Kind         string `json:"kind"`
	KindName     string `json:"kind_name"`
	CaseID       int64  `json:"case_id"`
	CaseNumber   string `json:"case_number"`
	EnterpriseID int64  `json:"enterprise_id"`
	Enterprise   string `json:"enterprise"`
	Region       string `json:"region_code"`
	UnitID       int64  `json:"unit_id"`
	Unit         string `json:"unit"`
	Grounds      string `json:"grounds"`
	State        string `json:"state"`
	StateName    string `json:"state_name"`
	RaisedOn     string `json:"raised_on"`
	ActedOn      string `json:"acted_on,omitempty"`
	ToWhom       string `json:"to_whom,omitempty"`
	Note         string `json:"note,omitempty"`
	ListingID    int64  `json:"listing_id,omitempty"`
}

const escCols = `x.id, x.kind, x.case_id, c.number, x.enterprise_id, en.name, x.region_code, x.unit_id, du.name, x.grounds, x.state, x.raised_on,
	x.acted_on, x.to_whom, x.note, COALESCE(x.listing_id, 0)`

const escFrom = ` FROM enforce_escalations x JOIN enforce_cases c ON c.id = x.case_id JOIN ` + org.UnitsView + ` du ON du.id = x.unit_id JOIN ` +
	org.UnitsView + ` en ON en.id = x.enterprise_id`

func scanEscalation(r store.Scanner) (Escalation, error) {
	var x Escalation
	err := r.Scan(&x.ID, &x.Kind, &x.CaseID, &x.CaseNumber, &x.EnterpriseID, &x.Enterprise, &x.Region, &x.UnitID, &x.Unit, &x.Grounds, &x.State,
		&x.RaisedOn, &x.ActedOn, &x.ToWhom, &x.Note, &x.ListingID)
	x.KindName, x.StateName = codes.NameOf(EscalationKinds, x.Kind), codes.NameOf(EscalationStates, x.State)
	return x, err
}

// governmentWhere is the scope of a department's records that are the
// government's business alone (the publications it has to make, the
// escalations its cases raised): the department its own, the office and
// governments their region's; a street and an enterprise none (they read
// the public page). alias is the table's alias in the query.
func governmentWhere(a *org.Actor, alias string) (string, []any, error) {
	if err := a.Require(org.PermEnforceRead); err != nil {
		return "", nil, err
	}
	if a.Unit.Kind == org.KindStreet || a.Unit.Kind == org.KindEnterprise {
		return "1=0", nil, nil
	}
	w, args := ownWhere(a, alias+".region_code", alias+".unit_id")
	return w, args, nil
}

// EscalationFilter narrows the list.
type EscalationFilter struct {
	Kind       string `json:"kind"`
	State      string `json:"state"`
	Case       int64  `json:"case"`
	Enterprise int64  `json:"enterprise"`
	Page       paging.Page
}

// Escalations lists a page of the escalations the actor sees, open first,
// and how many there are.
func (s *Service) Escalations(ctx context.Context, a *org.Actor, f EscalationFilter) ([]Escalation, int, error) {
	w, args, err := governmentWhere(a, "x")
	if err != nil {
		return nil, 0, err
	}
	w, args = narrow(w, args, cond{f.Kind != "", " AND x.kind = ?", f.Kind}, cond{f.State != "", " AND x.state = ?", f.State},
		cond{f.Case != 0, " AND x.case_id = ?", f.Case}, cond{f.Enterprise != 0, " AND x.enterprise_id = ?", f.Enterprise})
	var total int
	if err := s.db.QueryRow(ctx, "SELECT COUNT(*) FROM enforce_escalations x WHERE "+w, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	pg := f.Page.Clamp()
	rows, err := s.db.Query(ctx, "SELECT "+escCols+escFrom+" WHERE "+w+" ORDER BY CASE WHEN x.state = 'flagged' THEN 0 ELSE 1 END, x.id DESC LIMIT ? OFFSET ?",
		append(args, pg.Limit, pg.Offset)...)
	out, err := store.Collect(rows, err, scanEscalation)
	return out, total, err
}

// raise stores a flag and asks the department to deal with it (待办).
func raise(ctx context.Context, tx *store.Tx, now time.Time, who audit.Who, c PenaltyCase, kind, grounds string) error {
	today := calendar.Local(now).Format(day)
	id, err := tx.InsertID(ctx, `INSERT INTO enforce_escalations (kind, case_id, enterprise_id, region_code, unit_id, grounds, state, raised_on, created_at)
		VALUES (?, ?, ?, ?, ?, ?, 'flagged', ?, ?)`, kind, c.ID, c.EnterpriseID, c.Region, c.UnitID, grounds, today, now)
	if err != nil {
		return err
	}
	title := codes.NameOf(EscalationKinds, kind) + "：" + c.Enterprise
	if err := inbox.Ask(ctx, tx, now, c.UnitID, "enforce.escalation", title, fmt.Sprintf("/enforce/escalations?case=%d", c.ID),
		fmt.Sprintf("enforce:escalation:%d", id), ""); err != nil {
		return err
	}
	return audit.Append(ctx, tx, now, who, audit.Entry{Action: "enforce.escalation.raise", ObjectKind: "enforce_case", ObjectID: fmt.Sprint(c.ID),
		Region: c.Region, After: map[string]any{"kind": codes.NameOf(EscalationKinds, kind), "grounds": grounds}})
}

// raiseTransfer flags an accident case whose facts reach a criminal
// threshold for 移送司法.
func (s *Service) raiseTransfer(ctx context.Context, tx *store.Tx, now time.Time, who audit.Who, c PenaltyCase) error {
	if c.Source != "accident" {
		return nil
	}
	cr := rules.CheckCriminal(rules.AccidentFacts{Deaths: c.Deaths, Injuries: c.Injuries, Loss: c.Loss, MainBlame: c.MainBlame})
	if !cr.Hit {
		return nil
	}
	return raise(ctx, tx, now, who, c, EscTransfer, cr.Words+"；涉嫌犯罪的，应当移送司法机关 (行政处罚法第二十七条)")
}

// raiseOnDecision runs when a penalty is decided: the Art. 113 count (with
// an open 重大事故隐患) and the credit grounds.
func (s *Service) raiseOnDecision(ctx context.Context, tx *store.Tx, now time.Time, who audit.Who, c PenaltyCase) error {
	if c.Waived {
		return nil
	}
	r, _, err := s.CaseRulesFor(ctx, tx, c.Region)
	if err != nil {
		return err
	}
	for _, g := range r.CreditGrounds {
		if g.Holds(c) {
			if err := raise(ctx, tx, now, who, c, EscCredit, fmt.Sprintf("%s：%s作出的行政处罚决定 (%s)，%s", g.Name, c.DecidedOn,
				rules.ArticleName(c.Article), enterprise.CreditBasis)); err != nil {
				return err
			}
			break
		}
	}
	return s.raiseClosure(ctx, tx, now, who, c)
}

// raiseClosure flags the enterprise for 提请关闭 when the case's decision
// makes the third within 180 days or the fourth within a year and a
// 重大事故隐患 is open; an open flag is not raised twice.
func (s *Service) raiseClosure(ctx context.Context, tx *store.Tx, now time.Time, who audit.Who, c PenaltyCase) error {
	rows, err := tx.Query(ctx, `SELECT decided_on FROM enforce_cases WHERE enterprise_id = ? AND decided_on <> '' AND waived = FALSE
		AND revoke_kind <> 'revoked' AND decided_on <= ?`, c.EnterpriseID, c.DecidedOn)
	dates, err := store.Collect(rows, err, store.Value[string])
	if err != nil {
		return err
	}
	cl, err := rules.TallyClosure(dates, c.DecidedOn)
	if err != nil || !cl.Hit {
		return err
	}
	major, err := s.hazards.OpenMajorHazards(ctx, tx, []int64{c.EnterpriseID})
	if err != nil || major[c.EnterpriseID] == 0 {
		return err
	}
	var open int
	if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM enforce_escalations WHERE enterprise_id = ? AND kind = 'closure' AND state = 'flagged'",
		c.EnterpriseID).Scan(&open); err != nil || open > 0 {
		return err
	}
	return raise(ctx, tx, now, who, c, EscClosure, fmt.Sprintf("截至%s，一百八十日内受到行政处罚 %d 次、一年内 %d 次，存在未销号重大事故隐患 %d 项。%s",
		c.DecidedOn, cl.In180, cl.In365, major[c.EnterpriseID], rules.ClosureBasis))
}

// EscalationInput is the department's action on a flag.
type EscalationInput struct {
	Action string `json:"action"`  // done | dismiss
	ToWhom string `json:"to_whom"` // closure: the government; transfer: the public security organ
	Note   string `json:"note"`    // what was sent (文号) or why dismissed
}

// ActOnEscalation records what the department decided: 提请 the
// government to close the enterprise, transfer the case (案件移送书, approved
// by the head: 国务院令第310号 Art. 5), confirm the listing (into the
// registry's 严重失信主体名单, the department as the listing authority; the
// head with the credit right), or not, with why. The head decides, never
// one of the case's investigators; the flag's row is locked first, so two
// decisions at once make one.
func (s *Service) ActOnEscalation(ctx context.Context, a *org.Actor, id int64, in EscalationInput) error {
	if err := department(a, org.PermEnforceApprove); err != nil {
		return err
	}
	in.ToWhom, in.Note = strings.TrimSpace(in.ToWhom), strings.TrimSpace(in.Note)
	var c apperr.Checks
	c.If(in.Action != "done" && in.Action != "dismiss", "action", "请选择办理或不予办理")
	c.If(in.Note == "", "note", "请写明办理情况 (文号、移送材料) 或不予办理的理由")
	c.If(len([]rune(in.Note)) > 2000, "note", "办理情况不超过 2000 字")
	c.If(len([]rune(in.ToWhom)) > 100, "to_whom", "接收机关不超过 100 字")
	if err := c.Err(); err != nil {
		return err
	}
	now := s.clock.Now()
	today := calendar.Local(now).Format(day)
	return s.db.Tx(ctx, func(tx *store.Tx) error {
		note := in.Note // the transfer's 文号 goes before it; a retried transaction starts again from in.Note
		if _, err := tx.Exec(ctx, "UPDATE enforce_escalations SET state = state WHERE id = ?", id); err != nil {
			return err
		}
		w, args, err := governmentWhere(a, "x")
		if err != nil {
			return err
		}
		x, err := scanEscalation(tx.QueryRow(ctx, "SELECT "+escCols+escFrom+" WHERE x.id = ? AND "+w, append([]any{id}, args...)...))
		if store.NoRows(err) {
			return apperr.New(apperr.NotFound, "该事项不存在")
		}
		if err != nil {
			return err
		}
		if x.UnitID != a.Unit.ID {
			return apperr.New(apperr.Forbidden, "由作出处罚决定的部门办理")
		}
		if x.State != EscFlagged {
			return apperr.New(apperr.Conflict, "该事项已"+x.StateName)
		}
		cs, err := readCase(ctx, tx, a, x.CaseID)
		if err != nil {
			return err
		}
		if cs.investigator(a) {
			return apperr.New(apperr.Forbidden, "本案承办人不能决定提请关闭、移送或失信列入，由负责人决定")
		}
		state, listing := EscDismissed, any(nil)
		if in.Action == "done" {
			state = EscDone
			switch x.Kind {
			case EscClosure:
				if in.ToWhom == "" {
					return apperr.Field("to_whom", "请填写提请的地方人民政府")
				}
			case EscTransfer:
				if in.ToWhom == "" {
					return apperr.Field("to_whom", "请填写接收移送的公安机关或司法机关")
				}
				fields, basis, err := s.caseWritFields(ctx, tx, cs, "transfer", map[string]string{"to": in.ToWhom, "grounds": x.Grounds, "note": note})
				if err != nil {
					return err
				}
				wr, err := issueCaseWrit(ctx, tx, now, a, cs, "transfer", fields, basis)
				if err != nil {
					return err
				}
				note = wr.Number + "：" + note
			case EscCredit:
				ws, err := caseWritsOf(ctx, tx, cs.ID)
				if err != nil {
					return err
				}
				dn := ""
				for _, wr := range ws {
					if wr.Kind == "decision" {
						dn = wr.Number
					}
				}
				lid, err := s.ents.ListInTx(ctx, tx, a, x.EnterpriseID, enterprise.ListingInput{Reason: note, Basis: x.Grounds, DecisionNo: dn, ListedOn: today})
				if err != nil {
					return err
				}
				listing = lid
			}
		}
		res, err := tx.Exec(ctx, "UPDATE enforce_escalations SET state = ?, acted_on = ?, acted_by = ?, to_whom = ?, note = ?, listing_id = ? WHERE id = ? AND state = 'flagged'",
			state, today, a.UserID, in.ToWhom, note, listing, x.ID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n != 1 {
			return apperr.New(apperr.Conflict, "该事项已办理")
		}
		if err := inbox.Settle(ctx, tx, now, fmt.Sprintf("enforce:escalation:%d", x.ID), codes.NameOf(EscalationStates, state)); err != nil {
			return err
		}
		return audit.Append(ctx, tx, now, a.Who(), audit.Entry{Action: "enforce.escalation.act", ObjectKind: "enforce_case", ObjectID: fmt.Sprint(x.CaseID),
			Region: x.Region, After: map[string]any{"kind": x.KindName, "state": codes.NameOf(EscalationStates, state), "to_whom": in.ToWhom, "note": firstLine(note, 80)}})
	})
}

// dropEscalations dismisses the flags a revoked decision raised, with the
// revocation as the reason (a listing already confirmed is the listing
// authority's to repair: it is told).
func dropEscalations(ctx context.Context, tx *store.Tx, now time.Time, c PenaltyCase, why string) error {
	today := calendar.Local(now).Format(day)
	rows, err := tx.Query(ctx, "SELECT id, state, COALESCE(listing_id, 0) FROM enforce_escalations WHERE case_id = ?", c.ID)
	type esc struct {
		id, listing int64
		state       string
	}
	xs, err := store.Collect(rows, err, func(r store.Scanner) (esc, error) {
		var x esc
		return x, r.Scan(&x.id, &x.state, &x.listing)
	})
	if err != nil {
		return err
	}
	for _, x := range xs {
		switch {
		case x.state == EscFlagged:
			if _, err := tx.Exec(ctx, "UPDATE enforce_escalations SET state = 'dismissed', acted_on = ?, note = ? WHERE id = ? AND state = 'flagged'",
				today, "处罚决定已撤销："+why, x.id); err != nil {
				return err
			}
			if err := inbox.Settle(ctx, tx, now, fmt.Sprintf("enforce:escalation:%d", x.id), "不予办理 (决定已撤销)"); err != nil {
				return err
			}
		case x.listing != 0:
			if err := inbox.Send(ctx, tx, now, c.UnitID, "enforce.escalation", "处罚决定已撤销，据此列入的严重失信主体名单请依法办理信用修复："+c.Enterprise,
				fmt.Sprintf("/enterprises/%d?tab=credit", c.EnterpriseID), fmt.Sprintf("enforce:escalation:%d:revoked", x.id)); err != nil {
				return err
			}
		}
	}
	return nil
}
