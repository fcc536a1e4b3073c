package plan

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"anwei/internal/apperr"
	"anwei/internal/audit"
	"anwei/internal/calendar"
	"anwei/internal/docs"
	"anwei/internal/inbox"
	"anwei/internal/numbering"
	"anwei/internal/org"
	"anwei/internal/paging"
	"anwei/internal/store"
)

// Notice kinds: 提醒函 reminds a unit of overdue duties; 交办单 hands a unit
// duties to finish. Both carry a 文号 numbered per office, kind and year, and
// an answer-by date.
const (
	NoticeReminder = "reminder"
	NoticeSheet    = "sheet"
)

// noticeWords are each kind's name, 文号 letter and body, and the series
// of its 文号: numbered without gaps per issuing office and year.
var noticeWords = map[string]struct {
	name, letter, lead, ask string
	series                  numbering.Series
}{
	NoticeReminder: {"提醒函", "提", "你单位承担的以下任务已逾期，现予提醒，请抓紧落实：",
		"请于%s前将落实情况书面回复%s，逾期未办结的将按规定通报并纳入年度安全生产考核。",
		numbering.Declare(numbering.Series{Name: "plan.notice.reminder", Per: "office", GapFree: true})},
	NoticeSheet: {"交办单", "交", "现将以下任务交由你单位办理：",
		"请于%s前办结，并将办理情况书面回复%s。",
		numbering.Declare(numbering.Series{Name: "plan.notice.sheet", Per: "office", GapFree: true})},
}

// NoticeNumbers is the series of a notice kind's 文号.
func NoticeNumbers(kind string) numbering.Series { return noticeWords[kind].series }

// NoticeInput is an office's request to issue notices for chosen duties.
type NoticeInput struct {
	Kind        string  `json:"kind"`
	InstanceIDs []int64 `json:"instance_ids"`
	AnswerBy    string  `json:"answer_by"`  // YYYY-MM-DD
	DocPrefix   string  `json:"doc_prefix"` // 天安办; defaults from the office's region
	// Again issues it even when a chosen duty has an unanswered notice of
	// the same kind already (without it, that is refused with the notices
	// named, issue 16.2: a second 提醒函 for the same duty went out unasked).
	Again bool `json:"again"`
}

// NoticeRow is an issued notice with its derived status.
type NoticeRow struct {
	ID         int64        `json:"id"`
	OfficeID   int64        `json:"office_id"`
	UnitID     int64        `json:"unit_id"`
	Kind       string       `json:"kind"`
	DocNumber  string       `json:"doc_number"`
	Title      string       `json:"title"`
	Issuer     string       `json:"issuer"`
	Addressee  string       `json:"addressee"`
	Body       string       `json:"body"`
	IssuedOn   string       `json:"issued_on"`
	AnswerBy   string       `json:"answer_by"`
	Status     string       `json:"status"` // answered | overdue | waiting
	Answer     string       `json:"answer,omitempty"`
	AnsweredAt *time.Time   `json:"answered_at,omitempty"`
	Items      []NoticeItem `json:"items,omitempty"`
	// Contact and Phone are whom the addressee calls: the official who
	// issued the notice (GetNotice fills them).
	Contact string `json:"contact,omitempty"`
	Phone   string `json:"phone,omitempty"`
}

// NoticeItem is a duty listed in a notice.
type NoticeItem struct {
	InstanceID int64  `json:"instance_id"`
	ItemRef    string `json:"item_ref"`
	Heading    string `json:"heading"`
	What       string `json:"what"`
	Label      string `json:"label"`
	Due        string `json:"due"`
	Done       bool   `json:"done"`
}

// KindName is the notice kind in Chinese.
func (n NoticeRow) KindName() string { return noticeWords[n.Kind].name }

// Letter lays the notice out as an official document.
func (n NoticeRow) Letter() docs.Letter {
	l := docs.Letter{Issuer: n.Issuer, DocNumber: n.DocNumber, Title: n.Title, Addressee: n.Addressee,
		Signature: n.Issuer, Date: docs.ChineseDate(n.IssuedOn), Note: "请于" + docs.ChineseDate(n.AnswerBy) + "前回复",
		PrintedBy: n.Issuer, PrintedDate: docs.ChineseDate(n.IssuedOn), Contact: n.Contact, Phone: n.Phone}
	paras := strings.Split(n.Body, "\n")
	l.Body, l.Closing = paras[:1], paras[1:]
	for _, it := range n.Items {
		what := it.What
		if it.Heading != "" {
			what = it.Heading + "（事项" + it.ItemRef + "）：" + it.What
		}
		l.Items = append(l.Items, fmt.Sprintf("%s（%s，应于%s前完成）", what, it.Label, docs.ChineseDate(it.Due)))
	}
	return l
}

// IssueNotices issues one notice per addressee unit for the chosen
// unfinished duties of the office's plans, numbers them, puts them in the
// units' inboxes and audits each, all in one transaction.
func (s *Service) IssueNotices(ctx context.Context, a *org.Actor, in NoticeInput) ([]int64, error) {
	if err := a.Require(org.PermPlanSupervise); err != nil {
		return nil, err
	}
	var c apperr.Checks // every field at once (issue 16.2), in the form's order
	w, ok := noticeWords[in.Kind]
	c.If(len(in.InstanceIDs) == 0, "instance_ids", "请勾选要督办的任务")
	c.If(len(in.InstanceIDs) > 500, "instance_ids", "一次最多督办 500 项任务")
	c.If(!ok, "kind", "请选择提醒函或交办单")
	prefix := strings.TrimSpace(in.DocPrefix)
	if prefix == "" {
		prefix = org.DocPrefix(a.Unit.Region)
	}
	if err := c.Take(apperr.Lengths(text("doc_prefix", "文号前缀", prefix))); err != nil {
		return nil, err
	}
	today, _ := s.today()
	answerBy, err := time.Parse("2006-01-02", in.AnswerBy)
	if err != nil {
		c.Add("answer_by", "请填写回复期限 (年-月-日)")
	} else if in.AnswerBy <= today {
		c.Add("answer_by", "回复期限应在今天 ("+today+") 之后")
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	now := s.clock.Now()
	year := calendar.Local(now).Year()
	var ids []int64
	err = s.db.Tx(ctx, func(tx *store.Tx) error {
		ids = ids[:0]
		byUnit, titles, err := s.chosenDuties(ctx, tx, a, in.InstanceIDs)
		if err != nil {
			return err
		}
		if !in.Again {
			if err := unansweredBefore(ctx, tx, in.Kind, w.name, in.InstanceIDs); err != nil {
				return err
			}
		}
		units := make([]int64, 0, len(byUnit))
		for u := range byUnit {
			units = append(units, u)
		}
		sort.Slice(units, func(i, j int) bool { return units[i] < units[j] })
		var issuer string
		if err := tx.QueryRow(ctx, "SELECT name FROM "+org.UnitsView+" u WHERE id = ?", a.Unit.ID).Scan(&issuer); err != nil {
			return err
		}
		planTitle := "安全生产工作要点"
		if len(titles) == 1 {
			planTitle = titles[0]
		}
		for _, u := range units {
			var addressee, region string
			if err := tx.QueryRow(ctx, "SELECT name, COALESCE(region_code, '') FROM "+org.UnitsView+" u WHERE id = ?", u).Scan(&addressee, &region); err != nil {
				return err
			}
			seq, err := numbering.NextNumber(ctx, tx, w.series, numbering.ID(a.Unit.ID), year)
			if err != nil {
				return err
			}
			number := numbering.DocNumber(prefix+w.letter, year, seq)
			title := "关于督促落实《" + planTitle + "》有关任务的" + w.name
			body := "根据《" + planTitle + "》任务分工，" + w.lead + "\n" + fmt.Sprintf(w.ask, docs.ChineseDate(in.AnswerBy), issuer)
			// The letter's own words (the items' are the plan's, printed as parsed).
			if err := (docs.Letter{Issuer: issuer, DocNumber: number, Title: title, Addressee: addressee, Body: []string{body}}).Check(); err != nil {
				return err // the 文号 goes back with the transaction
			}
			id, err := tx.InsertID(ctx, `INSERT INTO plan_notices (office_id, unit_id, region_code, kind, year, seq, doc_number, title, issuer,
				addressee, body, issued_on, answer_by, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				a.Unit.ID, u, region, in.Kind, year, seq, number, title, issuer, addressee, body, today, answerBy.Format("2006-01-02"), now, a.UserID)
			if err != nil {
				return err
			}
			for _, iid := range byUnit[u] {
				if _, err := tx.Exec(ctx, "INSERT INTO plan_notice_items (notice_id, instance_id) VALUES (?, ?)", id, iid); err != nil {
					return err
				}
			}
			if err := inbox.Ask(ctx, tx, now, u, "plan.notice", "收到"+w.name+" "+number+"，请于"+in.AnswerBy+"前回复",
				fmt.Sprintf("/notices/%d", id), noticeOccasion(id), in.AnswerBy); err != nil {
				return err
			}
			if err := audit.Append(ctx, tx, now, a.Who(), audit.Entry{Action: "plan.notice.issue", ObjectKind: "plan_notice",
				ObjectID: fmt.Sprint(id), Region: region, After: map[string]any{"kind": in.Kind, "doc_number": number,
					"unit_id": u, "instances": byUnit[u], "answer_by": in.AnswerBy}}); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return nil
	})
	return ids, err
}

// unansweredBefore refuses, naming them, when some of the duties ids are
// in a notice of kind that is not answered yet: a second one is issued
// only when the office says so (NoticeInput.Again).
func unansweredBefore(ctx context.Context, tx *store.Tx, kind, name string, ids []int64) error {
	in, args := store.InIDs("ni.instance_id", ids)
	rows, err := tx.Query(ctx, `SELECT DISTINCT n.doc_number, n.issued_on, n.addressee FROM plan_notices n JOIN plan_notice_items ni ON ni.notice_id = n.id
		WHERE n.kind = ? AND n.answered_at IS NULL AND `+in+` ORDER BY n.doc_number`, append([]any{kind}, args...)...)
	before, err := store.Collect(rows, err, func(r store.Scanner) (string, error) {
		var number, on, to string
		err := r.Scan(&number, &on, &to)
		return number + " (" + on + "，" + to + ")", err
	})
	if err != nil || len(before) == 0 {
		return err
	}
	return &apperr.Error{Code: apperr.Conflict, Field: "again", Message: "所选任务已有尚未回复的" + name + ": " + strings.Join(before, "；") +
		"。确需再次印发，请勾选「仍要再次印发」后提交"}
}

// chosenDuties checks the chosen instances (each of a plan this office
// issued, none finished) and groups them by unit; it also returns the
// distinct plan titles.
func (s *Service) chosenDuties(ctx context.Context, tx *store.Tx, a *org.Actor, ids []int64) (map[int64][]int64, []string, error) {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := tx.Query(ctx, `SELECT pi.id, pi.unit_id, p.office_id, p.title, pi.done_at IS NOT NULL FROM plan_instances pi
		JOIN plans p ON p.id = pi.plan_id WHERE pi.id IN (`+strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",")+`) ORDER BY pi.due_on, pi.id`, args...)
	byUnit, seen, seenTitle := map[int64][]int64{}, map[int64]bool{}, map[string]bool{}
	var titles []string
	if err := store.Each(rows, err, func(r store.Scanner) error {
		var id, unit, office int64
		var title string
		var done bool
		if err := r.Scan(&id, &unit, &office, &title, &done); err != nil {
			return err
		}
		if office != a.Unit.ID {
			return apperr.Field("instance_ids", fmt.Sprintf("任务 %d 不属于本单位印发的工作要点", id))
		}
		if done {
			return apperr.Field("instance_ids", fmt.Sprintf("任务 %d 已完成，无需督办", id))
		}
		seen[id] = true
		byUnit[unit] = append(byUnit[unit], id)
		if !seenTitle[title] {
			seenTitle[title] = true
			titles = append(titles, title)
		}
		return nil
	}); err != nil {
		return nil, nil, err
	}
	for _, id := range ids {
		if !seen[id] {
			return nil, nil, apperr.Field("instance_ids", fmt.Sprintf("任务 %d 不存在", id))
		}
	}
	return byUnit, titles, nil
}

const noticeStatus = `CASE WHEN n.answered_at IS NOT NULL THEN 'answered' WHEN n.answer_by < ? THEN 'overdue' ELSE 'waiting' END`

// noticeScope: the addressee (and who has it in scope) and the issuing office.
func noticeScope(a *org.Actor) (string, []any) {
	own, args := a.Scope.UnitsWhere("n.region_code", "n.unit_id")
	return "(" + own + " OR n.office_id = ?)", append(args, a.Unit.ID)
}

// NoticeFilter narrows a notice listing.
type NoticeFilter struct {
	UnitID int64
	Status string
	paging.Page
}

const noticeCols = `n.id, n.office_id, n.unit_id, n.kind, n.doc_number, n.title, n.issuer, n.addressee, n.body, n.issued_on, n.answer_by, `

func scanNotice(r interface{ Scan(...any) error }) (NoticeRow, error) {
	var n NoticeRow
	err := r.Scan(&n.ID, &n.OfficeID, &n.UnitID, &n.Kind, &n.DocNumber, &n.Title, &n.Issuer, &n.Addressee, &n.Body, &n.IssuedOn, &n.AnswerBy,
		&n.Status, &n.Answer, &n.AnsweredAt)
	return n, err
}

// ListNotices lists the notices the actor issued or received (or has in
// scope), newest first.
func (s *Service) ListNotices(ctx context.Context, a *org.Actor, f NoticeFilter) ([]NoticeRow, int, error) {
	if err := a.Require(org.PermOrgRead); err != nil {
		return nil, 0, err
	}
	today, _ := s.today()
	where, args := noticeScope(a)
	if f.UnitID != 0 {
		where += " AND n.unit_id = ?"
		args = append(args, f.UnitID)
	}
	if f.Status != "" {
		where += " AND " + noticeStatus + " = ?"
		args = append(args, today, f.Status)
	}
	var total int
	if err := s.db.QueryRow(ctx, "SELECT COUNT(*) FROM plan_notices n WHERE "+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	pg := f.Page.Clamp()
	rows, err := s.db.Query(ctx, "SELECT "+noticeCols+noticeStatus+", n.answer, n.answered_at FROM plan_notices n WHERE "+where+
		" ORDER BY n.id DESC LIMIT ? OFFSET ?", append(append([]any{today}, args...), pg.Limit, pg.Offset)...)
	out, err := store.Collect(rows, err, scanNotice)
	return out, total, err
}

// GetNotice returns a notice the actor may see, with its duties.
func (s *Service) GetNotice(ctx context.Context, a *org.Actor, id int64) (NoticeRow, error) {
	if err := a.Require(org.PermOrgRead); err != nil {
		return NoticeRow{}, err
	}
	today, _ := s.today()
	where, args := noticeScope(a)
	n, err := scanNotice(s.db.QueryRow(ctx, "SELECT "+noticeCols+noticeStatus+", n.answer, n.answered_at FROM plan_notices n WHERE n.id = ? AND "+where,
		append([]any{today, id}, args...)...))
	if store.NoRows(err) {
		return n, apperr.New(apperr.NotFound, "督办文书不存在")
	}
	if err != nil {
		return n, err
	}
	rows, err := s.db.Query(ctx, `SELECT pi.id, COALESCE(i.ref, ''), COALESCE(i.heading, ''), COALESCE(o.cue, pi.label), pi.label, pi.due_on, pi.done_at IS NOT NULL
		FROM plan_notice_items ni JOIN plan_instances pi ON pi.id = ni.instance_id
		LEFT JOIN plan_obligations o ON o.id = pi.obligation_id LEFT JOIN plan_items i ON i.id = o.item_id
		WHERE ni.notice_id = ? ORDER BY pi.due_on, pi.id`, id)
	n.Items, err = store.Collect(rows, err, func(r store.Scanner) (NoticeItem, error) {
		var it NoticeItem
		err := r.Scan(&it.InstanceID, &it.ItemRef, &it.Heading, &it.What, &it.Label, &it.Due, &it.Done)
		return it, err
	})
	if err != nil {
		return n, err
	}
	// 联系人 and 电话: the official who issued it.
	err = s.db.QueryRow(ctx, "SELECT us.display_name, us.phone FROM plan_notices n JOIN "+org.UsersView+" us ON us.id = n.created_by WHERE n.id = ?", id).
		Scan(&n.Contact, &n.Phone)
	if store.NoRows(err) {
		err = nil
	}
	return n, err
}

// AnswerNotice records the addressee unit's written answer; the office is
// told through its inbox.
func (s *Service) AnswerNotice(ctx context.Context, a *org.Actor, id int64, answer string) error {
	if err := a.Require(org.PermPlanReport); err != nil {
		return err
	}
	answer = strings.TrimSpace(answer)
	if answer == "" {
		return apperr.Field("answer", "请填写回复内容 (落实情况)")
	}
	if err := apperr.Lengths(text("answer", "回复", answer)); err != nil {
		return err
	}
	now := s.clock.Now()
	return s.db.Tx(ctx, func(tx *store.Tx) error {
		var unit, office int64
		var region, number string
		var answered *time.Time
		err := tx.QueryRow(ctx, "SELECT unit_id, office_id, region_code, doc_number, answered_at FROM plan_notices WHERE id = ?", id).
			Scan(&unit, &office, &region, &number, &answered)
		if store.NoRows(err) || (err == nil && unit != a.Unit.ID) {
			return apperr.New(apperr.NotFound, "督办文书不存在或不是发给本单位的")
		}
		if err != nil {
			return err
		}
		if answered != nil {
			return apperr.New(apperr.Conflict, "已于 "+calendar.Local(*answered).Format("2006-01-02")+" 回复")
		}
		if _, err := tx.Exec(ctx, "UPDATE plan_notices SET answer = ?, answered_at = ?, answered_by = ? WHERE id = ?", answer, now, a.UserID, id); err != nil {
			return err
		}
		if err := inbox.Settle(ctx, tx, now, noticeOccasion(id), "已回复 "+number); err != nil {
			return err
		}
		if err := inbox.Send(ctx, tx, now, office, "plan.notice", a.Unit.Name+" 回复了 "+number,
			fmt.Sprintf("/notices/%d", id), fmt.Sprintf("plan.notice.answer:%d", id)); err != nil {
			return err
		}
		err = audit.Append(ctx, tx, now, a.Who(), audit.Entry{Action: "plan.notice.answer", ObjectKind: "plan_notice",
			ObjectID: fmt.Sprint(id), Region: region, Before: map[string]any{"answered": false}, After: map[string]any{"answered": true, "answer": answer}})
		return err
	})
}
