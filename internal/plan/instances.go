package plan

import (
	"context"
	"fmt"
	"strings"
	"time"

	"anwei/internal/apperr"
	"anwei/internal/audit"
	"anwei/internal/calendar"
	"anwei/internal/inbox"
	"anwei/internal/org"
	"anwei/internal/paging"
	"anwei/internal/store"
)

// Instance statuses, derived from the clock and done_at, never stored.
const (
	StatusDone    = "done"     // 已完成
	StatusOverdue = "overdue"  // 已逾期
	StatusDueSoon = "due_soon" // 7 天内到期
	StatusTodo    = "todo"     // 待办
)

// DueSoonDays is how close a deadline must be to count as due soon.
const DueSoonDays = 7

// InstanceRow is a dated duty of a unit with its derived status.
type InstanceRow struct {
	ID       int64      `json:"id"`
	PlanID   int64      `json:"plan_id"`
	UnitID   int64      `json:"unit_id"`
	UnitName string     `json:"unit_name"` // short name
	ItemRef  string     `json:"item_ref"`
	What     string     `json:"what"` // the obligation's cue or the report's name
	Label    string     `json:"label"`
	Due      string     `json:"due"`
	Times    int        `json:"times"`
	Status   string     `json:"status"`
	DoneAt   *time.Time `json:"done_at,omitempty"`
	Evidence string     `json:"evidence"`
}

// InstanceFilter narrows an instance listing.
type InstanceFilter struct {
	UnitID int64
	PlanID int64
	Status string      // one of the statuses, or "" for all
	Sort   paging.Sort // a key of InstanceOrders; soonest first when none
	paging.Page
}

// InstanceOrders are the dated duties' sort keys (?sort=, issue 16.4): each
// names the SQL it orders by; nothing a request says reaches the SQL.
var InstanceOrders = paging.Orders{
	"due":  "pi.due_on",
	"item": "COALESCE(i.ref, '')",
	"unit": "u.label",
	"done": "CASE WHEN pi.done_at IS NULL THEN 0 ELSE 1 END", // open ones first
}

// today is the calendar day in Asia/Shanghai, the day deadlines fall on.
func (s *Service) today() (string, string) {
	t := calendar.Local(s.clock.Now())
	return t.Format("2006-01-02"), t.AddDate(0, 0, DueSoonDays).Format("2006-01-02")
}

const instanceStatus = `CASE WHEN pi.done_at IS NOT NULL THEN 'done' WHEN pi.due_on < ? THEN 'overdue'
	WHEN pi.due_on <= ? THEN 'due_soon' ELSE 'todo' END`

// ListInstances lists the dated duties of units the actor may see, soonest
// first, with their status derived from today's date.
func (s *Service) ListInstances(ctx context.Context, a *org.Actor, f InstanceFilter) ([]InstanceRow, int, error) {
	if err := a.Require(org.PermOrgRead); err != nil {
		return nil, 0, err
	}
	order, err := InstanceOrders.By(f.Sort, "pi.due_on, pi.id", "pi.id")
	if err != nil {
		return nil, 0, apperr.Field("sort", err.Error())
	}
	today, soon := s.today()
	where, args := a.Scope.UnitsWhere("pi.region_code", "pi.unit_id")
	if f.UnitID != 0 {
		where += " AND pi.unit_id = ?"
		args = append(args, f.UnitID)
	}
	if f.PlanID != 0 {
		where += " AND pi.plan_id = ?"
		args = append(args, f.PlanID)
	}
	if f.Status != "" {
		where += " AND " + instanceStatus + " = ?"
		args = append(args, today, soon, f.Status)
	}
	from := ` FROM plan_instances pi LEFT JOIN plan_obligations o ON o.id = pi.obligation_id
		LEFT JOIN plan_items i ON i.id = o.item_id JOIN ` + org.UnitsView + ` u ON u.id = pi.unit_id WHERE `
	var total int
	if err := s.db.QueryRow(ctx, "SELECT COUNT(*)"+from+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	pg := f.Page.Clamp()
	q := `SELECT pi.id, pi.plan_id, pi.unit_id, u.label, COALESCE(i.ref, ''), COALESCE(o.cue, ''), pi.label, pi.due_on, pi.times, ` +
		instanceStatus + `, pi.done_at, pi.evidence` + from + where + " ORDER BY " + order + " LIMIT ? OFFSET ?"
	rows, err := s.db.Query(ctx, q, append(append([]any{today, soon}, args...), pg.Limit, pg.Offset)...)
	out, err := store.Collect(rows, err, func(row store.Scanner) (InstanceRow, error) {
		var r InstanceRow
		err := row.Scan(&r.ID, &r.PlanID, &r.UnitID, &r.UnitName, &r.ItemRef, &r.What, &r.Label, &r.Due, &r.Times, &r.Status, &r.DoneAt, &r.Evidence)
		if r.What == "" {
			r.What = r.Label
		}
		return r, err
	})
	return out, total, err
}

// CompleteInstance records that the actor's unit has done a dated duty,
// with its evidence (what was done, when, where the record is).
func (s *Service) CompleteInstance(ctx context.Context, a *org.Actor, id int64, evidence string) error {
	if err := a.Require(org.PermPlanReport); err != nil {
		return err
	}
	evidence = strings.TrimSpace(evidence)
	if evidence == "" {
		return apperr.Field("evidence", "请填写完成情况 (做了什么、何时、佐证材料)")
	}
	if err := apperr.Lengths(text("evidence", "完成情况", evidence)); err != nil {
		return err
	}
	now := s.clock.Now()
	return s.db.Tx(ctx, func(tx *store.Tx) error {
		var unitID int64
		var region string
		var done *time.Time
		err := tx.QueryRow(ctx, "SELECT unit_id, region_code, done_at FROM plan_instances WHERE id = ?", id).Scan(&unitID, &region, &done)
		if store.NoRows(err) || (err == nil && unitID != a.Unit.ID) {
			return apperr.New(apperr.NotFound, "任务不存在或不是本单位的任务")
		}
		if err != nil {
			return err
		}
		if done != nil {
			return apperr.New(apperr.Conflict, "该任务已于 "+calendar.Local(*done).Format("2006-01-02")+" 完成")
		}
		if _, err := tx.Exec(ctx, "UPDATE plan_instances SET done_at = ?, done_on = ?, done_by = ?, evidence = ? WHERE id = ?",
			now, calendar.Local(now).Format("2006-01-02"), a.UserID, evidence, id); err != nil {
			return err
		}
		if err := inbox.Done(ctx, tx, now, overdueOccasion(id)); err != nil {
			return err
		}
		err = audit.Append(ctx, tx, now, a.Who(), audit.Entry{Action: "plan.instance.complete", ObjectKind: "plan_instance",
			ObjectID: fmt.Sprint(id), Region: region, Before: map[string]any{"done": false},
			After: map[string]any{"done": true, "evidence": evidence}})
		return err
	})
}

// Today is the date in Asia/Shanghai by the service's clock.
func (s *Service) Today() string {
	t, _ := s.today()
	return t
}

// Now is the service clock's time.
func (s *Service) Now() time.Time { return s.clock.Now() }

// WithClock returns the service reading another clock: the demo replays a
// year's work at the dates it would have happened.
func (s *Service) WithClock(c calendar.Clock) *Service {
	cp := *s
	cp.clock = c
	return &cp
}
