package hazard

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"anwei/internal/apperr"
	"anwei/internal/audit"
	"anwei/internal/calendar"
	"anwei/internal/enterprise"
	"anwei/internal/inbox"
	"anwei/internal/org"
	"anwei/internal/paging"
	"anwei/internal/rules"
	"anwei/internal/store"
)

// 专家判定意见 (issue 14.8): a government unit that may judge a hazard not
// yet judged asks named experts for their opinion; each expert answers once
// with the level they suggest, the 判定标准 item they rely on (if any) and
// their reasoning. The unit's own 判定 (Act, Judge) stays the decision, taken
// with the opinions beside it; the expert then sees it. An expert sees only
// the hazards it was asked about (scopeWhere), and only its own opinions.

// OpinionLimits are the most characters of a request's question and an
// expert's reasoning (stated in the forms, checked by AskExperts and Answer).
var OpinionLimits = map[string]int{"question": 500, "reasoning": 1000}

// MaxExperts is how many experts one request may name.
const MaxExperts = 10

// Expert is a user holding the expert role whom an actor may ask.
type Expert struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	Pool string `json:"pool"` // the 专家库 (unit) the expert belongs to
}

// Opinion is one request to an expert and, once given, the answer; with the
// hazard it is about and, once the hazard is judged, the decision.
type Opinion struct {
	ID           int64      `json:"id"`
	HazardID     int64      `json:"hazard_id"`
	HazardNumber string     `json:"hazard_number"`
	Enterprise   string     `json:"enterprise"`
	Place        string     `json:"place"`
	Description  string     `json:"description"`
	HazardState  State      `json:"hazard_state"`
	UnitID       int64      `json:"unit_id"` // the asking unit
	Unit         string     `json:"unit"`
	Asker        string     `json:"asker"`
	ExpertID     int64      `json:"expert_id"`
	Expert       string     `json:"expert"`
	Question     string     `json:"question"`
	AskedAt      time.Time  `json:"asked_at"`
	Level        string     `json:"level,omitempty"`     // the level the expert suggests: general | major
	Criterion    string     `json:"criterion,omitempty"` // the 判定标准 item the expert relies on
	Reasoning    string     `json:"reasoning,omitempty"`
	AnsweredAt   *time.Time `json:"answered_at,omitempty"`
	// Decision is the department's 判定, once the hazard is judged.
	Decision *Decision `json:"decision,omitempty"`
	region   string    // the hazard's region, for the audit event
}

// Decision is a hazard's judged level with its criterion or reasoning.
type Decision struct {
	Level     string `json:"level"`
	Criterion string `json:"criterion,omitempty"`
	Reasoning string `json:"reasoning,omitempty"`
}

// Answered reports whether the expert has answered.
func (o Opinion) Answered() bool { return o.AnsweredAt != nil }

// Open reports whether the expert may still answer: not answered, and the
// hazard not yet judged.
func (o Opinion) Open() bool { return o.AnsweredAt == nil && o.HazardState == Reported }

// AskInput names the experts asked and the question put to them.
type AskInput struct {
	ExpertIDs []int64 `json:"expert_ids"`
	Question  string  `json:"question"`
}

// AnswerInput is an expert's opinion.
type AnswerInput struct {
	Level     string `json:"level"`               // general | major
	Criterion string `json:"criterion,omitempty"` // a 判定标准 item key, when one applies
	Reasoning string `json:"reasoning"`
}

// RequestFilter narrows the requests listing: Status "pending" (not yet
// answered), "answered", or "" for both.
type RequestFilter struct {
	Status string
	paging.Page
}

// MayAskExperts reports whether the actor may ask experts about h now (for
// the page's form; AskExperts checks again).
func MayAskExperts(a *org.Actor, h Hazard) bool {
	return a.Can(org.PermHazardManage) && h.State == Reported
}

// MaySeeOpinions reports whether the actor may read opinions at all: a
// government user that may judge hazards (those it may see), or an expert
// (its own).
func MaySeeOpinions(a *org.Actor) bool { return a.Can(org.PermHazardManage) || a.Has(org.RoleExpert) }

// opinionOccasion names a request in the inbox (one message per request,
// settled when it is answered).
func opinionOccasion(id int64) string { return fmt.Sprintf("hazard.opinion:%d", id) }

// expertsWhere is the experts a may ask: those of pools in its scope, and
// those serving its region or a region above it (a county's 专家库 serves
// the county's departments and streets).
func expertsWhere(a *org.Actor) (string, []any) {
	w, args := a.Scope.UnitsWhere("x.region_code", "x.unit_id")
	return "(" + w + " OR (x.region_code <> '' AND substr(CAST(? AS TEXT), 1, length(x.region_code)) = x.region_code))",
		append(args, a.Unit.Region)
}

// Experts lists the experts the actor may ask, nearest pools first; q
// searches names and pools.
func (s *Service) Experts(ctx context.Context, a *org.Actor, q string, page paging.Page) ([]Expert, int, error) {
	if err := a.Require(org.PermHazardManage); err != nil {
		return nil, 0, err
	}
	w, args := expertsWhere(a)
	if q = strings.TrimSpace(q); q != "" {
		like := store.LikeContains(q)
		w += ` AND (x.display_name LIKE ? ESCAPE '\' OR x.pool LIKE ? ESCAPE '\')`
		args = append(args, like, like)
	}
	const from = " FROM " + org.ExpertsView + " x WHERE "
	var total int
	if err := s.db.QueryRow(ctx, "SELECT COUNT(*)"+from+w, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	pg := page.Clamp()
	rows, err := s.db.Query(ctx, "SELECT x.id, x.display_name, x.pool"+from+w+" ORDER BY length(x.region_code) DESC, x.pool, x.id LIMIT ? OFFSET ?",
		append(args, pg.Limit, pg.Offset)...)
	out, err := store.Collect(rows, err, func(r store.Scanner) (Expert, error) {
		var e Expert
		return e, r.Scan(&e.ID, &e.Name, &e.Pool)
	})
	return out, total, err
}

// opinionText is a field of a request or answer with its label and limit.
func opinionText(field, label, value string) apperr.Text {
	return apperr.Text{Field: field, Label: label, Max: OpinionLimits[field], Value: value}
}

// AskExperts asks the named experts to judge a hazard not yet judged, each
// told in its inbox. The actor is a government user that may judge
// hazards and sees this one; the experts are among those it may ask
// (Experts), none already asked about it and not yet answered.
func (s *Service) AskExperts(ctx context.Context, a *org.Actor, hazardID int64, in AskInput) ([]Opinion, error) {
	if err := a.Require(org.PermHazardManage); err != nil {
		return nil, err
	}
	// What the form says first, every field at once (issue 16.2), then the hazard.
	ids := slices.Compact(slices.Sorted(slices.Values(in.ExpertIDs)))
	question := strings.TrimSpace(in.Question)
	var c apperr.Checks
	c.If(len(ids) == 0 || ids[0] <= 0, "expert_ids", "请选择至少一位专家")
	c.If(len(ids) > MaxExperts, "expert_ids", fmt.Sprintf("一次最多请 %d 位专家", MaxExperts))
	c.If(question == "", "question", "请写明请专家判定的问题 (如 是否构成重大事故隐患)")
	if err := c.Take(apperr.Lengths(opinionText("question", "请专家判定的问题", question))); err != nil {
		return nil, err
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	h, err := s.Get(ctx, a, hazardID)
	if err != nil {
		return nil, err
	}
	if h.State != Reported {
		return nil, apperr.New(apperr.Conflict, fmt.Sprintf("隐患当前为「%s」，已判定的隐患不再请专家判定", h.State.Name()))
	}
	now := s.clock.Now()
	var out []Opinion
	err = s.db.Tx(ctx, func(tx *store.Tx) error {
		out = out[:0]
		w, args := expertsWhere(a)
		in, inArgs := store.InIDs("x.id", ids)
		rows, err := tx.Query(ctx, "SELECT x.id, x.display_name, x.unit_id FROM "+org.ExpertsView+" x WHERE "+in+" AND "+w+" ORDER BY x.id",
			append(inArgs, args...)...)
		experts, err := store.Collect(rows, err, func(r store.Scanner) (Opinion, error) {
			var o Opinion
			var unit int64
			err := r.Scan(&o.ExpertID, &o.Expert, &unit)
			o.ID = unit // the expert's unit, for its inbox (the request's id comes below)
			return o, err
		})
		if err != nil {
			return err
		}
		if len(experts) != len(ids) {
			return apperr.Field("expert_ids", "所选专家不在可请的专家中 (本级及上级专家库)")
		}
		var cur string
		if err := tx.QueryRow(ctx, "SELECT state FROM hazards WHERE id = ?", h.ID).Scan(&cur); err != nil {
			return err
		}
		if State(cur) != Reported {
			return apperr.New(apperr.Conflict, "隐患已被判定，请刷新后再看")
		}
		oin, oargs := store.InIDs("expert_id", ids)
		rows, err = tx.Query(ctx, "SELECT expert_id FROM hazard_opinions WHERE hazard_id = ? AND answered_at IS NULL AND "+oin,
			append([]any{h.ID}, oargs...)...)
		asked, err := store.Collect(rows, err, store.Value[int64])
		if err != nil {
			return err
		}
		for _, x := range experts {
			if slices.Contains(asked, x.ExpertID) {
				return apperr.Field("expert_ids", "已请 "+x.Expert+" 判定此隐患，尚未答复")
			}
		}
		var reqs []int64
		for _, x := range experts {
			unit := x.ID
			id, err := tx.InsertID(ctx, `INSERT INTO hazard_opinions (hazard_id, unit_id, asked_by, asker, expert_id, question, asked_at)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, h.ID, a.Unit.ID, a.UserID, a.Name, x.ExpertID, question, now)
			if store.IsUniqueViolation(err) { // asked at the same moment by another (the check above ran before it committed)
				return apperr.New(apperr.Conflict, "已请 "+x.Expert+" 判定此隐患，尚未答复")
			}
			if err != nil {
				return err
			}
			title := fmt.Sprintf("%s 请您判定隐患 %s (%s %s)", a.Unit.Name, h.Number, h.Enterprise, h.Place)
			if err := inbox.AskUser(ctx, tx, now, unit, x.ExpertID, "hazard.opinion", title, fmt.Sprintf("/hazard-requests/%d", id), opinionOccasion(id), ""); err != nil {
				return err
			}
			reqs = append(reqs, id)
			out = append(out, Opinion{ID: id, HazardID: h.ID, HazardNumber: h.Number, Enterprise: h.Enterprise, Place: h.Place,
				Description: h.Description, HazardState: h.State, UnitID: a.Unit.ID, Unit: a.Unit.Name, Asker: a.Name,
				ExpertID: x.ExpertID, Expert: x.Expert, Question: question, AskedAt: now})
		}
		err = audit.Append(ctx, tx, now, a.Who(), audit.Entry{Action: "hazard.ask_experts", ObjectKind: "hazard", ObjectID: strconv.FormatInt(h.ID, 10),
			Region: h.Region, After: map[string]any{"experts": ids, "requests": reqs, "question": question}})
		return err
	})
	return out, err
}

// Answer records the named expert's opinion on request id, once, while the
// hazard is not yet judged; the expert's message is settled and the asking
// unit told.
func (s *Service) Answer(ctx context.Context, a *org.Actor, id int64, in AnswerInput) (Opinion, error) {
	if a == nil {
		return Opinion{}, apperr.New(apperr.Unauthenticated, "请先登录")
	}
	if !a.Has(org.RoleExpert) {
		return Opinion{}, apperr.New(apperr.Forbidden, "判定意见须由受邀专家提出")
	}
	o, err := s.GetRequest(ctx, a, id)
	if err != nil {
		return o, err
	}
	if o.ExpertID != a.UserID { // an expert reads only its own; kept for clarity
		return o, apperr.New(apperr.NotFound, "判定请求不存在或不是请您判定的")
	}
	if err := checkAnswer(o, &in); err != nil {
		return o, err
	}
	now := s.clock.Now()
	err = s.db.Tx(ctx, func(tx *store.Tx) error {
		var cur string
		if err := tx.QueryRow(ctx, "SELECT state FROM hazards WHERE id = ?", o.HazardID).Scan(&cur); err != nil {
			return err
		}
		if State(cur) != Reported {
			return apperr.New(apperr.Conflict, "部门已判定该隐患，不再接受意见")
		}
		n, err := tx.Exec(ctx, `UPDATE hazard_opinions SET level = ?, criterion = ?, reasoning = ?, answered_at = ?
			WHERE id = ? AND expert_id = ? AND answered_at IS NULL`, in.Level, in.Criterion, in.Reasoning, now, o.ID, a.UserID)
		if err != nil {
			return err
		}
		if k, err := n.RowsAffected(); err != nil || k != 1 {
			if err == nil {
				err = apperr.New(apperr.Conflict, "您已答复此请求，意见不能修改")
			}
			return err
		}
		if err := inbox.Settle(ctx, tx, now, opinionOccasion(o.ID),
			fmt.Sprintf("已答复 %s 的判定请求: 隐患 %s", o.Unit, o.HazardNumber)); err != nil {
			return err
		}
		title := fmt.Sprintf("专家 %s 已就隐患 %s 提出判定意见 (建议: %s)", o.Expert, o.HazardNumber, LevelName(in.Level))
		if err := inbox.Send(ctx, tx, now, o.UnitID, "hazard.opinion", title, fmt.Sprintf("/hazards/%d", o.HazardID), opinionOccasion(o.ID)+":answered"); err != nil {
			return err
		}
		err = audit.Append(ctx, tx, now, a.Who(), audit.Entry{Action: "hazard.opinion", ObjectKind: "hazard_opinion", ObjectID: strconv.FormatInt(o.ID, 10),
			Region: o.region, After: map[string]any{"hazard": o.HazardID, "level": in.Level, "criterion": in.Criterion, "reasoning": in.Reasoning}})
		return err
	})
	if err != nil {
		return o, err
	}
	o.Level, o.Criterion, o.Reasoning, o.AnsweredAt = in.Level, in.Criterion, in.Reasoning, &now
	return o, nil
}

// opinionsJudged tells the experts asked about h, now judged: a request
// not answered is settled in its expert's inbox (it can no longer be), an
// expert who answered is told the decision.
func opinionsJudged(ctx context.Context, tx *store.Tx, now time.Time, h Hazard) error {
	type asked struct {
		id, unit, expert int64
		answered         *time.Time
	}
	rows, err := tx.Query(ctx, "SELECT o.id, x.unit_id, o.expert_id, o.answered_at FROM hazard_opinions o JOIN "+org.UsersView+" x ON x.id = o.expert_id WHERE o.hazard_id = ?", h.ID)
	all, err := store.Collect(rows, err, func(r store.Scanner) (asked, error) {
		var q asked
		return q, r.Scan(&q.id, &q.unit, &q.expert, &q.answered)
	})
	if err != nil {
		return err
	}
	verdict := LevelName(h.Level) + "事故隐患"
	for _, q := range all { // written once the rows are closed (one connection per transaction)
		if q.answered == nil {
			err = inbox.Settle(ctx, tx, now, opinionOccasion(q.id), fmt.Sprintf("隐患 %s 已判定为%s，不再需要答复", h.Number, verdict))
		} else {
			err = inbox.SendToUser(ctx, tx, now, q.unit, q.expert, "hazard.opinion", fmt.Sprintf("隐患 %s 已判定为%s (您提出过意见)", h.Number, verdict),
				fmt.Sprintf("/hazard-requests/%d", q.id), opinionOccasion(q.id)+":decided")
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// checkAnswer checks an answer to o and trims it.
func checkAnswer(o Opinion, in *AnswerInput) error {
	in.Reasoning, in.Criterion = strings.TrimSpace(in.Reasoning), strings.TrimSpace(in.Criterion)
	switch {
	case o.Answered():
		return apperr.New(apperr.Conflict, "您已于 "+calendar.Local(*o.AnsweredAt).Format("2006-01-02 15:04")+" 答复，意见不能修改")
	case o.HazardState != Reported:
		return apperr.New(apperr.Conflict, "部门已判定该隐患，不再接受意见")
	}
	var c apperr.Checks // every field at once (issue 16.2), in the form's order
	c.If(in.Level != General && in.Level != Major, "level", "请选择建议等级 (一般或重大事故隐患)")
	if _, ok := rules.LookupCriterion(in.Criterion); in.Criterion != "" && !ok {
		c.Add("criterion", fmt.Sprintf("判定标准条款 %q 不在判定标准库中", in.Criterion))
	}
	c.If(in.Reasoning == "", "reasoning", "请写明判定理由")
	if err := c.Take(apperr.Lengths(opinionText("reasoning", "判定理由", in.Reasoning))); err != nil {
		return err
	}
	return c.Err()
}

// opinionCols are a request's columns with its hazard, asking unit and
// expert; opinionFrom joins them.
const opinionCols = `o.id, o.hazard_id, h.number, e.name, h.place, h.description, h.state, h.level, h.criterion, h.reasoning, h.region_code,
	o.unit_id, un.name, o.asker, o.expert_id, x.display_name, o.question, o.asked_at, o.level, o.criterion, o.reasoning, o.answered_at`

const opinionFrom = " FROM hazard_opinions o JOIN hazards h ON h.id = o.hazard_id JOIN " + enterprise.NamesView + " e ON e.unit_id = h.unit_id JOIN " +
	org.UnitsView + " un ON un.id = o.unit_id JOIN " + org.UsersView + " x ON x.id = o.expert_id "

func scanOpinion(r store.Scanner) (Opinion, error) {
	var o Opinion
	var st string
	var d Decision
	err := r.Scan(&o.ID, &o.HazardID, &o.HazardNumber, &o.Enterprise, &o.Place, &o.Description, &st, &d.Level, &d.Criterion, &d.Reasoning, &o.region,
		&o.UnitID, &o.Unit, &o.Asker, &o.ExpertID, &o.Expert, &o.Question, &o.AskedAt, &o.Level, &o.Criterion, &o.Reasoning, &o.AnsweredAt)
	o.HazardState = State(st)
	if o.HazardState != Reported && d.Level != "" {
		o.Decision = &d
	}
	return o, err
}

// opinionWhere is what of requests the actor may read: a government user
// that may judge hazards, those on hazards it sees; an expert its own
// (scopeWhere holds the hazards it was asked about). Anyone else is refused.
func opinionWhere(a *org.Actor) (string, []any, error) {
	if a == nil {
		return "", nil, apperr.New(apperr.Unauthenticated, "请先登录")
	}
	if !MaySeeOpinions(a) {
		return "", nil, apperr.New(apperr.Forbidden, "专家判定意见仅供监管部门和受邀专家查看")
	}
	w, args := scopeWhere(a)
	if !a.Can(org.PermHazardManage) {
		w += " AND o.expert_id = ?"
		args = append(args, a.UserID)
	}
	return w, args, nil
}

// Requests lists the requests addressed to the actor (an expert's 判定请求)
// or asked by its unit, those still open first, then newest first.
func (s *Service) Requests(ctx context.Context, a *org.Actor, f RequestFilter) ([]Opinion, int, error) {
	w, args, err := opinionWhere(a)
	if err != nil {
		return nil, 0, err
	}
	w += " AND (o.expert_id = ? OR o.unit_id = ?)"
	args = append(args, a.UserID, a.Unit.ID)
	switch f.Status {
	case "pending":
		w += " AND o.answered_at IS NULL"
	case "answered":
		w += " AND o.answered_at IS NOT NULL"
	case "":
	default:
		return nil, 0, apperr.Field("status", "状态应为 pending (待答复) 或 answered (已答复)")
	}
	var total int
	if err := s.db.QueryRow(ctx, "SELECT COUNT(*) FROM hazard_opinions o JOIN hazards h ON h.id = o.hazard_id WHERE "+w, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	pg := f.Page.Clamp()
	rows, err := s.db.Query(ctx, "SELECT "+opinionCols+opinionFrom+"WHERE "+w+
		" ORDER BY CASE WHEN o.answered_at IS NULL THEN 0 ELSE 1 END, o.id DESC LIMIT ? OFFSET ?", append(args, pg.Limit, pg.Offset)...)
	out, err := store.Collect(rows, err, scanOpinion)
	return out, total, err
}

// GetRequest returns one request the actor may read (Requests, or any on a
// hazard a government user sees).
func (s *Service) GetRequest(ctx context.Context, a *org.Actor, id int64) (Opinion, error) {
	w, args, err := opinionWhere(a)
	if err != nil {
		return Opinion{}, err
	}
	o, err := scanOpinion(s.db.QueryRow(ctx, "SELECT "+opinionCols+opinionFrom+"WHERE o.id = ? AND "+w, append([]any{id}, args...)...))
	if store.NoRows(err) {
		return o, apperr.New(apperr.NotFound, "判定请求不存在或不在您的范围内")
	}
	return o, err
}

// Opinions lists the requests and opinions on a hazard the actor sees,
// oldest first: all of them for a government user that may judge it, its
// own for an expert.
func (s *Service) Opinions(ctx context.Context, a *org.Actor, hazardID int64) ([]Opinion, error) {
	w, args, err := opinionWhere(a)
	if err != nil {
		return nil, err
	}
	if _, err := s.Get(ctx, a, hazardID); err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, "SELECT "+opinionCols+opinionFrom+"WHERE o.hazard_id = ? AND "+w+" ORDER BY o.id", append([]any{hazardID}, args...)...)
	return store.Collect(rows, err, scanOpinion)
}
