package plan

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"anwei/internal/apperr"
	"anwei/internal/audit"
	"anwei/internal/docs"
	"anwei/internal/org"
	"anwei/internal/paging"
	"anwei/internal/store"
)

// The 任务分工表's columns. 任务编号 and 任务内容 identify a row on the way
// back; 本单位进展 is what a unit fills in.
var sheetHeader = []string{"任务编号", "事项编号", "事项", "任务内容", "牵头单位", "配合单位", "时限/频次", "完成情况", "最新进展", "本单位进展"}

const (
	colTaskID   = "任务编号"
	colTaskText = "任务内容"
	colProgress = "本单位进展"
)

type sheetTask struct {
	id                   int64
	ref, heading, text   string
	lead, support, cues  []string
	total, done, overdue int
	latest, own          string
}

// TaskSheet builds the plan's 任务分工表 over the tasks the actor may see:
// one row per task with its units, obligations, how many of its dated duties
// are done or overdue, the latest report, and the actor's unit's own latest
// progress (the column it edits and imports back).
func (s *Service) TaskSheet(ctx context.Context, a *org.Actor, planID int64) (docs.Sheet, error) {
	if _, err := s.GetPlan(ctx, a, planID); err != nil {
		return docs.Sheet{}, err
	}
	var as []AssignmentRow
	for {
		page, total, err := s.ListAssignments(ctx, a, AssignmentFilter{PlanID: planID, Page: paging.Page{Limit: paging.Max, Offset: len(as)}})
		if err != nil {
			return docs.Sheet{}, err
		}
		as = append(as, page...)
		if len(page) == 0 || len(as) >= total {
			break
		}
	}
	var tasks []*sheetTask
	byID := map[int64]*sheetTask{}
	for _, x := range as {
		t := byID[x.TaskID]
		if t == nil {
			t = &sheetTask{id: x.TaskID, ref: x.ItemRef, heading: x.Heading, text: x.TaskText}
			byID[x.TaskID] = t
			tasks = append(tasks, t)
		}
		if x.Role == "lead" {
			t.lead = append(t.lead, x.UnitName)
		} else {
			t.support = append(t.support, x.UnitName)
		}
	}
	today, _ := s.today()
	where, args := a.Scope.UnitsWhere("pi.region_code", "pi.unit_id")
	rows, err := s.db.Query(ctx, `SELECT t.id, COUNT(pi.id), COALESCE(SUM(CASE WHEN pi.done_at IS NOT NULL THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN pi.done_at IS NULL AND pi.due_on < ? THEN 1 ELSE 0 END), 0)
		FROM plan_instances pi JOIN plan_obligations o ON o.id = pi.obligation_id JOIN plan_tasks t ON t.item_id = o.item_id
		JOIN plan_assignments pa ON pa.id = pi.assignment_id AND pa.task_id = t.id
		WHERE pi.plan_id = ? AND `+where+` GROUP BY t.id`, append([]any{today, planID}, args...)...)
	if err := store.Each(rows, err, func(r store.Scanner) error {
		var id int64
		var total, done, overdue int
		if err := r.Scan(&id, &total, &done, &overdue); err != nil {
			return err
		}
		if t := byID[id]; t != nil {
			t.total, t.done, t.overdue = total, done, overdue
		}
		return nil
	}); err != nil {
		return docs.Sheet{}, err
	}
	if err := s.sheetCues(ctx, planID, byID); err != nil {
		return docs.Sheet{}, err
	}
	reports, _, err := s.ListReports(ctx, a, ReportFilter{PlanID: planID, Page: paging.Page{Limit: 500}})
	if err != nil {
		return docs.Sheet{}, err
	}
	for i := len(reports) - 1; i >= 0; i-- { // oldest first, so the newest wins
		r := reports[i]
		if t := byID[r.TaskID]; t != nil {
			t.latest = r.UnitName + ": " + r.Text
			if r.Kind == KindConsolidated {
				t.latest = r.UnitName + " 汇总报告 (" + reportStatusName[r.Status] + "): " + r.Text
			}
			if r.UnitID == a.Unit.ID && r.Kind == KindProgress {
				t.own = r.Text
			}
		}
	}
	sh := docs.Sheet{Name: "任务分工表", Header: sheetHeader, Widths: []float64{9, 8, 24, 48, 18, 24, 18, 14, 36, 36}}
	for _, t := range tasks {
		status := "无时限要求"
		if t.total > 0 {
			status = fmt.Sprintf("%d/%d 期完成", t.done, t.total)
			if t.overdue > 0 {
				status += fmt.Sprintf("，逾期 %d", t.overdue)
			}
		}
		sh.Rows = append(sh.Rows, []string{strconv.FormatInt(t.id, 10), t.ref, t.heading, t.text, strings.Join(t.lead, "、"),
			strings.Join(t.support, "、"), strings.Join(t.cues, "；"), status, t.latest, t.own})
	}
	return sh, nil
}

var reportStatusName = map[string]string{ReportSubmitted: "待审核", ReportAccepted: "已通过", ReportReturned: "已退回"}

// ReportStatusName is a report status in Chinese.
func ReportStatusName(s string) string { return reportStatusName[s] }

func (s *Service) sheetCues(ctx context.Context, planID int64, byID map[int64]*sheetTask) error {
	rows, err := s.db.Query(ctx, `SELECT t.id, o.cue FROM plan_obligations o JOIN plan_items i ON i.id = o.item_id
		JOIN plan_tasks t ON t.item_id = i.id WHERE i.plan_id = ? ORDER BY o.id`, planID)
	return store.Each(rows, err, func(r store.Scanner) error {
		var id int64
		var cue string
		if err := r.Scan(&id, &cue); err != nil {
			return err
		}
		if t := byID[id]; t != nil {
			t.cues = append(t.cues, cue)
		}
		return nil
	})
}

// RowError is a rejected row of an imported sheet.
type RowError struct {
	Row    int    `json:"row"`
	Reason string `json:"reason"`
}

// MaxListed is how many rejected rows a progress import's result lists.
const MaxListed = 100

// ProgressImport is what an import of the 任务分工表 did. Rejected lists
// the first MaxListed rejected rows, RejectedTotal counts them all and
// RejectedOmitted those not listed.
type ProgressImport struct {
	Imported        int        `json:"imported"`
	Unchanged       int        `json:"unchanged"`
	Blank           int        `json:"blank"`
	Rejected        []RowError `json:"rejected"`
	RejectedTotal   int        `json:"rejected_total"`
	RejectedOmitted int        `json:"rejected_omitted"`
}

// reject records a refused row.
func (p *ProgressImport) reject(n int, format string, args ...any) {
	p.RejectedTotal++
	if len(p.Rejected) < MaxListed {
		p.Rejected = append(p.Rejected, RowError{n, fmt.Sprintf("第%d行: ", n) + fmt.Sprintf(format, args...)})
	} else {
		p.RejectedOmitted++
	}
}

// ImportProgress reads a 任务分工表 filled in by the actor's unit and adds
// each changed 本单位进展 as a new progress report. A row is rejected, with
// its reason, when its task is unknown, not the unit's, appears twice, or
// its 任务内容 differs from the stored task (a sheet from another plan or
// an edited row); reports are only ever added, so nothing stored is
// overwritten. The sheet is read as a stream inside one transaction with
// the good rows and one audit event (counts and the file's hash); a sheet
// past the row cap (maxRows) or with a value outside its header fails as
// a whole.
func (s *Service) ImportProgress(ctx context.Context, a *org.Actor, planID int64, f docs.File) (ProgressImport, error) {
	var res ProgressImport
	if err := a.Require(org.PermPlanReport); err != nil {
		return res, err
	}
	if _, err := s.GetPlan(ctx, a, planID); err != nil {
		return res, err
	}
	hash, err := f.Hash()
	if err != nil {
		return res, err
	}
	now := s.clock.Now()
	err = s.db.Tx(ctx, func(tx *store.Tx) error {
		res = ProgressImport{}
		rows, err := docs.Open(f, s.maxRows)
		if err != nil {
			return apperr.Field("file", err.Error())
		}
		defer rows.Close()
		col, err := docs.Columns(rows.Header(), colTaskID, colTaskText, colProgress)
		if err != nil {
			return apperr.Field("file", err.Error())
		}
		seen := map[int64]int{}
		for {
			n, row, err := rows.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				return apperr.Field("file", err.Error())
			}
			text := docs.Cell(row, col[colProgress])
			idText := docs.Cell(row, col[colTaskID])
			if idText == "" && text == "" {
				continue
			}
			id, err := strconv.ParseInt(idText, 10, 64)
			if err != nil {
				res.reject(n, "任务编号 %q 不是数字", idText)
				continue
			}
			if first, dup := seen[id]; dup {
				res.reject(n, "任务编号 %d 与第%d行重复", id, first)
				continue
			}
			seen[id] = n
			if text == "" {
				res.Blank++
				continue
			}
			if len([]rune(text)) > Limits["text"] {
				res.reject(n, "本单位进展超过 %d 字", Limits["text"])
				continue
			}
			var stored, role, region string
			var rowPlan int64
			err = tx.QueryRow(ctx, `SELECT t.text, i.plan_id, COALESCE(pa.role, ''), COALESCE(pa.region_code, '') FROM plan_tasks t
				JOIN plan_items i ON i.id = t.item_id LEFT JOIN plan_assignments pa ON pa.task_id = t.id AND pa.unit_id = ?
				WHERE t.id = ?`, a.Unit.ID, id).Scan(&stored, &rowPlan, &role, &region)
			switch {
			case store.NoRows(err) || (err == nil && rowPlan != planID):
				res.reject(n, "本工作要点中没有任务编号 %d", id)
				continue
			case err != nil:
				return err
			case role == "":
				res.reject(n, "任务 %d 不是本单位承担的任务", id)
				continue
			case strings.Join(strings.Fields(stored), "") != strings.Join(strings.Fields(docs.Cell(row, col[colTaskText])), ""):
				res.reject(n, "任务内容与系统中任务 %d 不一致，请使用本系统导出的表", id)
				continue
			}
			var last string
			err = tx.QueryRow(ctx, `SELECT text FROM plan_reports WHERE task_id = ? AND unit_id = ? AND kind = ? ORDER BY id DESC LIMIT 1`,
				id, a.Unit.ID, KindProgress).Scan(&last)
			if err != nil && !store.NoRows(err) {
				return err
			}
			if last == text {
				res.Unchanged++
				continue
			}
			if _, err := tx.Exec(ctx, `INSERT INTO plan_reports (plan_id, task_id, unit_id, region_code, kind, text, status, created_at, created_by)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, planID, id, a.Unit.ID, region, KindProgress, text, ReportSubmitted, now, a.UserID); err != nil {
				return err
			}
			res.Imported++
		}
		err = audit.Append(ctx, tx, now, a.Who(), audit.Entry{Action: "plan.progress.import", ObjectKind: "plan",
			ObjectID: fmt.Sprint(planID), Region: a.Unit.Region, After: map[string]any{"file": f.Name, "sha256": hash,
				"imported": res.Imported, "unchanged": res.Unchanged, "rejected": res.RejectedTotal}})
		return err
	})
	return res, err
}
