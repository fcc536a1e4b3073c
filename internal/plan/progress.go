package plan

import (
	"context"
	"fmt"
	"strings"
	"time"

	"anwei/internal/apperr"
	"anwei/internal/audit"
	"anwei/internal/files"
	"anwei/internal/inbox"
	"anwei/internal/org"
	"anwei/internal/paging"
	"anwei/internal/store"
)

// Report kinds and statuses. A unit's progress input is kept as it was
// sent; the lead unit's consolidated report (汇总报告) waits for the office,
// which accepts it or returns it with a reason.
const (
	KindProgress     = "progress"
	KindConsolidated = "consolidated"

	ReportSubmitted = "submitted"
	ReportAccepted  = "accepted"
	ReportReturned  = "returned"
)

// Upload is an attached file as received.
type Upload = files.Upload

// ReportRow is a progress report with its attachments.
type ReportRow struct {
	ID          int64        `json:"id"`
	PlanID      int64        `json:"plan_id"`
	TaskID      int64        `json:"task_id"`
	UnitID      int64        `json:"unit_id"`
	UnitName    string       `json:"unit_name"` // short name
	Kind        string       `json:"kind"`
	Text        string       `json:"text"`
	Status      string       `json:"status"`
	Reason      string       `json:"reason,omitempty"`
	CreatedAt   time.Time    `json:"created_at"`
	DecidedAt   *time.Time   `json:"decided_at,omitempty"`
	Attachments []Attachment `json:"attachments"`
}

// Attachment is a file attached to a report.
type Attachment struct {
	ID          int64  `json:"id"`
	ReportID    int64  `json:"report_id"`
	Name        string `json:"name"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
	ContentType string `json:"content_type"`
}

// ReportFilter narrows a report listing.
type ReportFilter struct {
	PlanID, TaskID, UnitID int64
	Kind, Status           string
	paging.Page
}

// reportScope is who sees a report: the reporting unit (and whoever has it
// in scope: its territorial office), the lead units of its task, and the
// office that issued the plan.
func reportScope(a *org.Actor) (string, []any) {
	own, args := a.Scope.UnitsWhere("r.region_code", "r.unit_id")
	return "(" + own + ` OR r.task_id IN (SELECT la.task_id FROM plan_assignments la WHERE la.unit_id = ? AND la.role = 'lead')
		OR r.plan_id IN (SELECT op.id FROM plans op WHERE op.office_id = ?))`, append(args, a.Unit.ID, a.Unit.ID)
}

// checkText validates a report's text.
func checkText(field, text string) (string, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return "", apperr.Field(field, "请填写进展情况")
	}
	return text, apperr.Lengths(apperr.Text{Field: field, Label: "进展情况", Max: Limits["text"], Value: text})
}

// roleOn returns the actor's unit's role on a task ("" when not assigned)
// with the task's plan, region and office.
func roleOn(ctx context.Context, tx *store.Tx, unitID, taskID int64) (role string, planID, officeID int64, region string, err error) {
	err = tx.QueryRow(ctx, `SELECT COALESCE(pa.role, ''), p.id, p.office_id, COALESCE(pa.region_code, p.region_code)
		FROM plan_tasks t JOIN plan_items i ON i.id = t.item_id JOIN plans p ON p.id = i.plan_id
		LEFT JOIN plan_assignments pa ON pa.task_id = t.id AND pa.unit_id = ? WHERE t.id = ?`, unitID, taskID).Scan(&role, &planID, &officeID, &region)
	if store.NoRows(err) {
		err = apperr.New(apperr.NotFound, "任务不存在")
	}
	return
}

// SubmitReport records the actor's unit's progress on a task, or, as the
// task's lead unit, its consolidated report for the office. Attachments are
// stored before the transaction; the report, its attachments and the audit
// event are written in one.
func (s *Service) SubmitReport(ctx context.Context, a *org.Actor, taskID int64, kind, text string, ups []Upload) (int64, error) {
	if err := a.Require(org.PermPlanReport); err != nil {
		return 0, err
	}
	var c apperr.Checks // every field at once (issue 16.2)
	c.If(kind != KindProgress && kind != KindConsolidated, "kind", "未知的报告类别")
	text, err := checkText("text", text)
	if err := c.Take(err); err != nil {
		return 0, err
	}
	if err := c.Err(); err != nil {
		return 0, err
	}
	atts, err := s.files.PutAll(ups, 10)
	if err != nil {
		return 0, err
	}
	now := s.clock.Now()
	var id int64
	err = s.db.Tx(ctx, func(tx *store.Tx) error {
		role, planID, officeID, region, err := roleOn(ctx, tx, a.Unit.ID, taskID)
		if err != nil {
			return err
		}
		if role == "" {
			return apperr.New(apperr.NotFound, "该任务不是本单位的任务")
		}
		if kind == KindConsolidated {
			if role != "lead" {
				return apperr.New(apperr.Forbidden, "只有牵头单位可以报送汇总报告")
			}
			var pending int
			if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM plan_reports WHERE task_id = ? AND unit_id = ? AND kind = ? AND status = ?`,
				taskID, a.Unit.ID, KindConsolidated, ReportSubmitted).Scan(&pending); err != nil {
				return err
			}
			if pending > 0 {
				return apperr.New(apperr.Conflict, "本单位已有待安委办审核的汇总报告，审核后才能再报")
			}
		}
		id, err = tx.InsertID(ctx, `INSERT INTO plan_reports (plan_id, task_id, unit_id, region_code, kind, text, status, created_at, created_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, planID, taskID, a.Unit.ID, region, kind, text, ReportSubmitted, now, a.UserID)
		if err != nil {
			return err
		}
		for _, at := range atts {
			if _, err := tx.Exec(ctx, `INSERT INTO plan_attachments (report_id, name, size, sha256, content_type) VALUES (?, ?, ?, ?, ?)`,
				id, at.Name, at.Size, at.SHA256, at.ContentType); err != nil {
				return err
			}
		}
		if kind == KindConsolidated {
			if err := inbox.Ask(ctx, tx, now, officeID, "plan.report", a.Unit.Name+" 报送了汇总报告，待审核",
				fmt.Sprintf("/tasks/%d", taskID), reportOccasion(id), ""); err != nil {
				return err
			}
		}
		err = audit.Append(ctx, tx, now, a.Who(), audit.Entry{Action: "plan.report." + kind, ObjectKind: "plan_report",
			ObjectID: fmt.Sprint(id), Region: region, After: map[string]any{"task_id": taskID, "text": text, "attachments": len(atts)}})
		return err
	})
	return id, err
}

// DecideReport accepts or returns a lead unit's consolidated report. Only
// the office that issued the plan decides, and a return needs a reason.
func (s *Service) DecideReport(ctx context.Context, a *org.Actor, id int64, accept bool, reason string) error {
	if err := a.Require(org.PermPlanSupervise); err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	if !accept && reason == "" {
		return apperr.Field("reason", "退回时请写明理由")
	}
	if err := apperr.Lengths(text("reason", "退回理由", reason)); err != nil {
		return err
	}
	now := s.clock.Now()
	return s.db.Tx(ctx, func(tx *store.Tx) error {
		var kind, status, region string
		var officeID, unitID, taskID int64
		err := tx.QueryRow(ctx, `SELECT r.kind, r.status, r.region_code, p.office_id, r.unit_id, r.task_id FROM plan_reports r
			JOIN plans p ON p.id = r.plan_id WHERE r.id = ?`, id).Scan(&kind, &status, &region, &officeID, &unitID, &taskID)
		if store.NoRows(err) || (err == nil && officeID != a.Unit.ID) {
			return apperr.New(apperr.NotFound, "报告不存在或不由本单位审核")
		}
		if err != nil {
			return err
		}
		if kind != KindConsolidated {
			return apperr.New(apperr.Conflict, "只有牵头单位的汇总报告需要审核")
		}
		if status != ReportSubmitted {
			return apperr.New(apperr.Conflict, "该报告已审核")
		}
		to, verb := ReportAccepted, "通过"
		if !accept {
			to, verb = ReportReturned, "退回"
		}
		if _, err := tx.Exec(ctx, `UPDATE plan_reports SET status = ?, reason = ?, decided_at = ?, decided_by = ? WHERE id = ?`,
			to, reason, now, a.UserID, id); err != nil {
			return err
		}
		if err := inbox.Send(ctx, tx, now, unitID, "plan.report", "汇总报告已"+verb+ifReason(reason),
			fmt.Sprintf("/tasks/%d", taskID), fmt.Sprintf("plan.report.decided:%d", id)); err != nil {
			return err
		}
		// The office's own "待审核" message no longer asks for anything.
		var unitName string
		if err := tx.QueryRow(ctx, "SELECT name FROM "+org.UnitsView+" u WHERE id = ?", unitID).Scan(&unitName); err != nil {
			return err
		}
		if err := inbox.Settle(ctx, tx, now, reportOccasion(id), unitName+" 报送的汇总报告已"+verb); err != nil {
			return err
		}
		err = audit.Append(ctx, tx, now, a.Who(), audit.Entry{Action: "plan.report." + to, ObjectKind: "plan_report",
			ObjectID: fmt.Sprint(id), Region: region, Before: map[string]any{"status": status},
			After: map[string]any{"status": to, "reason": reason}})
		return err
	})
}

func ifReason(r string) string {
	if r == "" {
		return ""
	}
	return ": " + r
}

// ListReports lists the reports the actor may see, newest first, with their
// attachments.
func (s *Service) ListReports(ctx context.Context, a *org.Actor, f ReportFilter) ([]ReportRow, int, error) {
	if err := a.Require(org.PermOrgRead); err != nil {
		return nil, 0, err
	}
	where, args := reportScope(a)
	for _, c := range []struct {
		col string
		v   any
		set bool
	}{{"r.plan_id", f.PlanID, f.PlanID != 0}, {"r.task_id", f.TaskID, f.TaskID != 0}, {"r.unit_id", f.UnitID, f.UnitID != 0},
		{"r.kind", f.Kind, f.Kind != ""}, {"r.status", f.Status, f.Status != ""}} {
		if c.set {
			where += " AND " + c.col + " = ?"
			args = append(args, c.v)
		}
	}
	var total int
	if err := s.db.QueryRow(ctx, "SELECT COUNT(*) FROM plan_reports r WHERE "+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	pg := f.Page.Clamp()
	rows, err := s.db.Query(ctx, `SELECT r.id, r.plan_id, r.task_id, r.unit_id, u.label, r.kind, r.text, r.status, r.reason, r.created_at, r.decided_at
		FROM plan_reports r JOIN `+org.UnitsView+` u ON u.id = r.unit_id WHERE `+where+" ORDER BY r.id DESC LIMIT ? OFFSET ?", append(args, pg.Limit, pg.Offset)...)
	out, err := store.Collect(rows, err, func(row store.Scanner) (ReportRow, error) {
		var r ReportRow
		err := row.Scan(&r.ID, &r.PlanID, &r.TaskID, &r.UnitID, &r.UnitName, &r.Kind, &r.Text, &r.Status, &r.Reason, &r.CreatedAt, &r.DecidedAt)
		return r, err
	})
	if err != nil || len(out) == 0 {
		return out, total, err
	}
	at := make(map[int64]int, len(out))
	ids := make([]any, 0, len(out))
	for i, r := range out {
		at[r.ID] = i
		ids = append(ids, r.ID)
	}
	rows, err = s.db.Query(ctx, `SELECT id, report_id, name, size, sha256, content_type FROM plan_attachments WHERE report_id IN (`+
		strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",")+`) ORDER BY id`, ids...)
	if err := store.Each(rows, err, func(r store.Scanner) error {
		var x Attachment
		if err := r.Scan(&x.ID, &x.ReportID, &x.Name, &x.Size, &x.SHA256, &x.ContentType); err != nil {
			return err
		}
		out[at[x.ReportID]].Attachments = append(out[at[x.ReportID]].Attachments, x)
		return nil
	}); err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// GetAttachment returns an attachment of a report the actor may see.
func (s *Service) GetAttachment(ctx context.Context, a *org.Actor, id int64) (Attachment, error) {
	if err := a.Require(org.PermOrgRead); err != nil {
		return Attachment{}, err
	}
	where, args := reportScope(a)
	var x Attachment
	err := s.db.QueryRow(ctx, `SELECT x.id, x.report_id, x.name, x.size, x.sha256, x.content_type FROM plan_attachments x
		JOIN plan_reports r ON r.id = x.report_id WHERE x.id = ? AND `+where, append([]any{id}, args...)...).
		Scan(&x.ID, &x.ReportID, &x.Name, &x.Size, &x.SHA256, &x.ContentType)
	if store.NoRows(err) {
		return x, apperr.New(apperr.NotFound, "附件不存在")
	}
	return x, err
}
