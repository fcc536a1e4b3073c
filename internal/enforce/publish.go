package enforce

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"anwei/internal/apperr"
	"anwei/internal/audit"
	"anwei/internal/calendar"
	"anwei/internal/codes"
	"anwei/internal/inbox"
	"anwei/internal/org"
	"anwei/internal/paging"
	"anwei/internal/store"
)

// Publication (公示, the "一公开" of 双随机一公开): a penalty decision is
// published within 7 working days of the decision (安全生产法 Art. 78;
// 国办发〔2018〕118号), a 双随机 inspection's result within the region's
// DrawPublishDays; a published decision that is changed or revoked is
// withdrawn within 3 days with the reason made public (行政处罚法 Art. 48;
// "三日" counts working days, Art. 85). The department publishes from its
// list (what is due, what is late); the public page needs no login.
// What is published is a snapshot taken when it is, personal data masked
// (mask.go); a withdrawal keeps it, and the public sees the reason.

// DecisionPublishDays: 行政处罚决定 within 7 working days (REGULATIONS.md
// §7.3 [B], 安全生产法 Art. 78 [A]).
const DecisionPublishDays = 7

// WithdrawDays: a changed or revoked decision is withdrawn within 3 (working)
// days (行政处罚法 Art. 48, 85).
const WithdrawDays = 3

// Publication states and kinds.
const (
	PubDue       = "due"
	PubPublished = "published"
	PubWithdrawn = "withdrawn"
	PubDropped   = "dropped"

	PubDecision = "decision"
	PubDraw     = "draw"
)

// PublicationStates name the states.
var PublicationStates = []codes.Choice{{Key: PubDue, Name: "待公示"}, {Key: PubPublished, Name: "已公示"}, {Key: PubWithdrawn, Name: "已撤回"},
	{Key: PubDropped, Name: "无需公示"}}

// PublicationKinds name the kinds.
var PublicationKinds = []codes.Choice{{Key: PubDecision, Name: "行政处罚决定"}, {Key: PubDraw, Name: "双随机抽查结果"}}

// Publication is a record due for, or on, the public page.
type Publication struct {
	ID           int64      `json:"id"`
	Kind         string     `json:"kind"`
	KindName     string     `json:"kind_name"`
	CaseID       int64      `json:"case_id,omitempty"`
	InspectionID int64      `json:"inspection_id,omitempty"`
	UnitID       int64      `json:"unit_id"`
	Unit         string     `json:"unit"`
	Region       string     `json:"region_code"`
	EnterpriseID int64      `json:"enterprise_id"`
	Enterprise   string     `json:"enterprise"`
	BasisOn      string     `json:"basis_on"` // the decision's, or the inspection's closing, date
	DueOn        string     `json:"due_on"`
	State        string     `json:"state"`
	StateName    string     `json:"state_name"`
	Title        string     `json:"title"`
	Content      PubContent `json:"content"`
	PublishedOn  string     `json:"published_on,omitempty"`
	WithdrawBy   string     `json:"withdraw_by,omitempty"` // changed or revoked: withdraw by
	Revision     string     `json:"revision,omitempty"`    // what changed or revoked it (the department's own note)
	WithdrawnOn  string     `json:"withdrawn_on,omitempty"`
	Reason       string     `json:"reason,omitempty"` // why withdrawn (public) or not needed
	// Preview is what a due record would publish now (the department's
	// list: it reads what the public will before it publishes).
	Preview *PubContent `json:"preview,omitempty"`
	// Late: published (or withdrawn) after its day; Overdue: still not,
	// and its day has passed.
	Late    bool   `json:"late"`
	Overdue bool   `json:"overdue"`
	Due     string `json:"due,omitempty"` // what is due: 公示 or 撤回
}

// PubContent is what the public page shows, as published.
type PubContent struct {
	Number      string `json:"number,omitempty"` // 决定书文号
	Party       string `json:"party"`
	CreditCode  string `json:"credit_code,omitempty"`
	LegalRep    string `json:"legal_rep,omitempty"` // masked
	Facts       string `json:"facts,omitempty"`     // masked
	Basis       string `json:"basis,omitempty"`
	Decision    string `json:"decision,omitempty"`
	Unit        string `json:"unit"`
	DecidedOn   string `json:"decided_on,omitempty"`
	Draw        string `json:"draw,omitempty"`       // the draw's title
	Commitment  string `json:"commitment,omitempty"` // its public record, /public/draws/{commitment}
	InspectedOn string `json:"inspected_on,omitempty"`
	Result      string `json:"result,omitempty"`
}

const pubCols = `p.id, p.kind, COALESCE(p.case_id, 0), COALESCE(p.inspection_id, 0), p.unit_id, du.name, p.region_code, p.enterprise_id, en.name,
	p.basis_on, p.due_on, p.state, p.title, p.content, p.published_on, p.withdraw_by, p.revision, p.withdrawn_on, p.reason`

const pubFrom = ` FROM enforce_publications p JOIN ` + org.UnitsView + ` du ON du.id = p.unit_id JOIN ` + org.UnitsView + ` en ON en.id = p.enterprise_id`

func scanPublication(today string) func(r store.Scanner) (Publication, error) {
	return func(r store.Scanner) (Publication, error) {
		var p Publication
		var content string
		err := r.Scan(&p.ID, &p.Kind, &p.CaseID, &p.InspectionID, &p.UnitID, &p.Unit, &p.Region, &p.EnterpriseID, &p.Enterprise, &p.BasisOn,
			&p.DueOn, &p.State, &p.Title, &content, &p.PublishedOn, &p.WithdrawBy, &p.Revision, &p.WithdrawnOn, &p.Reason)
		if err != nil {
			return p, err
		}
		if content != "" {
			if err := json.Unmarshal([]byte(content), &p.Content); err != nil {
				return p, err
			}
		}
		p.KindName, p.StateName = codes.NameOf(PublicationKinds, p.Kind), codes.NameOf(PublicationStates, p.State)
		switch {
		case p.State == PubDue:
			p.Due, p.Overdue = "公示", p.DueOn < today
		case p.State == PubPublished && p.WithdrawBy != "":
			p.Due, p.Overdue = "撤回", p.WithdrawBy < today
		}
		p.Late = (p.PublishedOn != "" && p.PublishedOn > p.DueOn) || (p.WithdrawBy != "" && p.WithdrawnOn > p.WithdrawBy)
		return p, nil
	}
}

// overdueWhere is a publication past its day: due and not published, or
// to be withdrawn and not withdrawn.
const overdueWhere = " AND ((p.state = 'due' AND p.due_on < ?) OR (p.state = 'published' AND p.withdraw_by <> '' AND p.withdraw_by < ?))"

// urgent is a publication with something to do: to publish, or to
// withdraw. The department's list shows these first, the nearest day
// first, then the rest latest first.
const urgent = "(p.state = 'due' OR (p.state = 'published' AND p.withdraw_by <> ''))"

// PublicationFilter narrows the department's list.
type PublicationFilter struct {
	Kind    string `json:"kind"`
	State   string `json:"state"`
	Overdue bool   `json:"overdue"`
	Case    int64  `json:"case"`
	Page    paging.Page
}

// Publications lists a page of what the actor's department has to publish
// or has published, what is due first, and how many there are.
func (s *Service) Publications(ctx context.Context, a *org.Actor, f PublicationFilter) ([]Publication, int, error) {
	w, args, err := governmentWhere(a, "p")
	if err != nil {
		return nil, 0, err
	}
	today := s.today()
	w, args = narrow(w, args, cond{f.Kind != "", " AND p.kind = ?", f.Kind}, cond{f.State != "", " AND p.state = ?", f.State},
		cond{f.Case != 0, " AND p.case_id = ?", f.Case})
	if f.Overdue {
		w += overdueWhere
		args = append(args, today, today)
	}
	var total int
	if err := s.db.QueryRow(ctx, "SELECT COUNT(*) FROM enforce_publications p WHERE "+w, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	pg := f.Page.Clamp()
	rows, err := s.db.Query(ctx, "SELECT "+pubCols+pubFrom+" WHERE "+w+
		" ORDER BY CASE WHEN "+urgent+" THEN 0 ELSE 1 END, CASE WHEN "+urgent+" THEN p.due_on ELSE '' END, p.basis_on DESC, p.id DESC LIMIT ? OFFSET ?",
		append(args, pg.Limit, pg.Offset)...)
	out, err := store.Collect(rows, err, scanPublication(today))
	if err != nil {
		return nil, 0, err
	}
	for i := range out {
		if out[i].State != PubDue {
			continue
		}
		var c PubContent
		if out[i].Kind == PubDecision {
			c, err = decisionContent(ctx, s.db, out[i].CaseID)
		} else {
			c, err = drawContent(ctx, s.db, out[i].InspectionID)
		}
		if err != nil {
			return nil, 0, err
		}
		out[i].Preview = &c
	}
	return out, total, nil
}

// OverduePublications counts the publications the actor sees past their
// day (the office's list of what is late).
func (s *Service) OverduePublications(ctx context.Context, a *org.Actor) (int, error) {
	w, args, err := governmentWhere(a, "p")
	if err != nil {
		return 0, err
	}
	today := s.today()
	var n int
	err = s.db.QueryRow(ctx, "SELECT COUNT(*) FROM enforce_publications p WHERE "+w+overdueWhere, append(args, today, today)...).Scan(&n)
	return n, err
}

func (s *Service) today() string { return calendar.Local(s.clock.Now()).Format(day) }

// duePublication puts a record on its department's list, due n working
// days after from, and asks the department (待办).
func duePublication(ctx context.Context, tx *store.Tx, now time.Time, kind string, caseID, inspectionID any, unitID int64, region string,
	enterpriseID int64, party, from string, n int) error {
	due := addWorkdays(from, n)
	title := codes.NameOf(PublicationKinds, kind) + "：" + party
	id, err := tx.InsertID(ctx, `INSERT INTO enforce_publications (kind, case_id, inspection_id, unit_id, region_code, enterprise_id, basis_on, due_on,
		state, title, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'due', ?, ?, ?)`,
		kind, caseID, inspectionID, unitID, region, enterpriseID, from, due, title, now, now)
	if err != nil {
		return err
	}
	return inbox.Ask(ctx, tx, now, unitID, "enforce.publication", "待公示 "+title, fmt.Sprintf("/enforce/publications?state=due#p%d", id),
		fmt.Sprintf("enforce:publication:%d", id), due)
}

// decisionDue puts a decision on the list (Decide; a changed decision).
func decisionDue(ctx context.Context, tx *store.Tx, now time.Time, c PenaltyCase, from string) error {
	return duePublication(ctx, tx, now, PubDecision, c.ID, nil, c.UnitID, c.Region, c.EnterpriseID, c.Enterprise, from, DecisionPublishDays)
}

// lockPublication reads a publication of the actor's department for the
// transaction, its row locked first (two clicks publish once).
func (s *Service) lockPublication(ctx context.Context, tx *store.Tx, a *org.Actor, id int64) (Publication, error) {
	if _, err := tx.Exec(ctx, "UPDATE enforce_publications SET updated_at = updated_at WHERE id = ?", id); err != nil {
		return Publication{}, err
	}
	w, args, err := governmentWhere(a, "p")
	if err != nil {
		return Publication{}, err
	}
	p, err := scanPublication(s.today())(tx.QueryRow(ctx, "SELECT "+pubCols+pubFrom+" WHERE p.id = ? AND "+w, append([]any{id}, args...)...))
	if store.NoRows(err) {
		return p, apperr.New(apperr.NotFound, "公示事项不存在")
	}
	if err == nil && p.UnitID != a.Unit.ID {
		return p, apperr.New(apperr.Forbidden, "由作出决定或组织抽查的部门公示")
	}
	return p, err
}

// PublishInput is what the department may change in what it publishes.
type PublishInput struct {
	// Facts replaces a decision's 违法事实 as published: the department
	// takes out what the masking cannot know (a worker's or a victim's
	// name); masked again. Empty: the case's facts.
	Facts string `json:"facts"`
}

// Publish puts a due record on the public page, as it stands now.
func (s *Service) Publish(ctx context.Context, a *org.Actor, id int64, in PublishInput) error {
	if err := department(a, org.PermEnforcePenalty); err != nil {
		return err
	}
	in.Facts = strings.TrimSpace(in.Facts)
	if len([]rune(in.Facts)) > 4000 {
		return apperr.Field("facts", "违法事实不超过 4000 字")
	}
	now := s.clock.Now()
	today := calendar.Local(now).Format(day)
	return s.db.Tx(ctx, func(tx *store.Tx) error {
		p, err := s.lockPublication(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if p.State != PubDue {
			return apperr.New(apperr.Conflict, "该事项"+p.StateName)
		}
		var content PubContent
		if p.Kind == PubDecision {
			content, err = decisionContent(ctx, tx, p.CaseID)
			if err == nil && in.Facts != "" {
				var party party
				party, err = partyOf(ctx, tx, p.EnterpriseID)
				content.Facts = MaskText(in.Facts, party.LegalRep, party.Principal)
			}
		} else {
			content, err = drawContent(ctx, tx, p.InspectionID)
		}
		if err != nil {
			return err
		}
		raw, _ := json.Marshal(content)
		title := p.KindName + " " + content.Number
		if p.Kind == PubDraw {
			title = p.KindName + " " + content.Draw
		}
		if _, err := tx.Exec(ctx, "UPDATE enforce_publications SET state = 'published', content = ?, title = ?, published_on = ?, published_by = ?, updated_at = ? WHERE id = ?",
			string(raw), strings.TrimSpace(title), today, a.UserID, now, p.ID); err != nil {
			return err
		}
		if err := inbox.Settle(ctx, tx, now, fmt.Sprintf("enforce:publication:%d", p.ID), "已公示 "+p.Title); err != nil {
			return err
		}
		return audit.Append(ctx, tx, now, a.Who(), audit.Entry{Action: "enforce.publish", ObjectKind: "enforce_publication", ObjectID: fmt.Sprint(p.ID),
			Region: p.Region, After: map[string]any{"publication": p.KindName, "enterprise": p.Enterprise, "due_on": p.DueOn, "late": today > p.DueOn}})
	})
}

// Withdraw takes a published record off the public page with the reason,
// which the public page shows in its place (Art. 48); what was published
// is kept.
func (s *Service) Withdraw(ctx context.Context, a *org.Actor, id int64, reason string) error {
	if err := department(a, org.PermEnforcePenalty); err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" || len([]rune(reason)) > 500 {
		return apperr.Field("reason", "请写明撤回的理由 (不超过 500 字)，理由将一并公开")
	}
	now := s.clock.Now()
	today := calendar.Local(now).Format(day)
	return s.db.Tx(ctx, func(tx *store.Tx) error {
		p, err := s.lockPublication(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if p.State != PubPublished {
			return apperr.New(apperr.Conflict, "只能撤回已公示的信息 (该事项"+p.StateName+")")
		}
		if p.Kind == PubDecision && p.WithdrawBy == "" {
			return apperr.New(apperr.Conflict, "行政处罚决定被撤销或变更后方可撤回其公示 (在案件页记录决定撤销或变更，行政处罚法第四十八条)")
		}
		party, err := partyOf(ctx, tx, p.EnterpriseID)
		if err != nil {
			return err
		}
		reason := MaskText(reason, party.LegalRep, party.Principal) // published with the withdrawal
		if _, err := tx.Exec(ctx, "UPDATE enforce_publications SET state = 'withdrawn', withdrawn_on = ?, reason = ?, updated_at = ? WHERE id = ?",
			today, reason, now, p.ID); err != nil {
			return err
		}
		for _, o := range []string{"", ":withdraw"} {
			if err := inbox.Settle(ctx, tx, now, fmt.Sprintf("enforce:publication:%d%s", p.ID, o), "已撤回 "+p.Title); err != nil {
				return err
			}
		}
		return audit.Append(ctx, tx, now, a.Who(), audit.Entry{Action: "enforce.withdraw", ObjectKind: "enforce_publication", ObjectID: fmt.Sprint(p.ID),
			Region: p.Region, After: map[string]any{"publication": p.KindName, "enterprise": p.Enterprise, "reason": reason,
				"withdraw_by": p.WithdrawBy, "late": p.WithdrawBy != "" && today > p.WithdrawBy}})
	})
}

// PublicFilter narrows the public page.
type PublicFilter struct {
	Kind string `json:"kind"`
	Q    string `json:"q"` // a party's name, in part
	Page paging.Page
}

// Public is the public page's entries, the latest first: what was
// published, and what was withdrawn with its reason alone.
func (s *Service) Public(ctx context.Context, f PublicFilter) ([]Publication, int, error) {
	w, args := "p.state IN ('published', 'withdrawn')", []any{}
	if f.Kind != "" {
		w += " AND p.kind = ?"
		args = append(args, f.Kind)
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		w += ` AND p.state = 'published' AND en.name LIKE ? ESCAPE '\'`
		args = append(args, store.LikeContains(q))
	}
	var total int
	if err := s.db.QueryRow(ctx, "SELECT COUNT(*)"+pubFrom+" WHERE "+w, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	pg := f.Page.Clamp()
	rows, err := s.db.Query(ctx, "SELECT "+pubCols+pubFrom+" WHERE "+w+" ORDER BY p.published_on DESC, p.id DESC LIMIT ? OFFSET ?",
		append(args, pg.Limit, pg.Offset)...)
	out, err := store.Collect(rows, err, scanPublication(s.today()))
	for i := range out {
		// What the public sees is what was published and, once withdrawn,
		// the reason alone; never the department's own notes and clocks.
		out[i].CaseID, out[i].InspectionID, out[i].EnterpriseID, out[i].WithdrawBy, out[i].Revision, out[i].Due, out[i].Overdue = 0, 0, 0, "", "", "", false
		out[i].Late, out[i].Preview = false, nil
		if out[i].State != PubWithdrawn {
			out[i].Reason = ""
		}
		if out[i].State == PubWithdrawn { // the information is withdrawn: its reason stays
			out[i].Content = PubContent{Number: out[i].Content.Number, Draw: out[i].Content.Draw, Unit: out[i].Content.Unit}
			out[i].Enterprise = ""
		}
	}
	return out, total, err
}

// PublicVersion changes whenever the public page would: the validator its
// ETag is made from.
func (s *Service) PublicVersion(ctx context.Context) (string, error) {
	// Published content never changes; a withdrawal changes the sum.
	var n, withdrawn int64
	err := s.db.QueryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN state = 'withdrawn' THEN id ELSE 0 END), 0) FROM enforce_publications
		WHERE state IN ('published', 'withdrawn')`).Scan(&n, &withdrawn)
	return fmt.Sprintf("%d-%d", n, withdrawn), err
}
