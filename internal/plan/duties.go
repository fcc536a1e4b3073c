package plan

import (
	"context"
	"fmt"
	"strings"

	"anwei/internal/org"
	"anwei/internal/paging"
	"anwei/internal/store"
)

// Duty is a unit's part in one item of a plan (四.20), once: the item's
// tasks the unit is on and whether it leads any of them — a unit 牵头 on one
// task of an item and 配合 on another is its lead (issue 14.8: 四.20 showed
// four times for 区应急局, once per sentence of the item, each row alike).
// Status is the worst of the unit's dated duties for the item.
type Duty struct {
	PlanID   int64      `json:"plan_id"`
	ItemID   int64      `json:"item_id"`
	ItemRef  string     `json:"item_ref"`
	Heading  string     `json:"heading"`
	UnitID   int64      `json:"unit_id"`
	UnitName string     `json:"unit_name"` // short name
	Role     string     `json:"role"`      // lead | support
	Tasks    []DutyTask `json:"tasks"`
	Status   string     `json:"status"`   // overdue | due_soon | todo | done; "" without dated duties
	Done     int        `json:"done"`     // dated duties done
	Total    int        `json:"total"`    // dated duties
	NextDue  string     `json:"next_due"` // the earliest open duty's date
	Reports  int        `json:"reports"`  // the unit's progress and consolidated reports on these tasks
}

// DutyTask is one task of the item the unit is on.
type DutyTask struct {
	TaskID int64  `json:"task_id"`
	Text   string `json:"text"`
	Role   string `json:"role"`
}

// StatusName is the duty's status in Chinese.
func (d Duty) StatusName() string {
	switch d.Status {
	case StatusOverdue:
		return "已逾期"
	case StatusDueSoon:
		return "临期"
	case StatusTodo:
		return "进行中"
	case StatusDone:
		return "已完成"
	}
	if d.Role == "support" {
		return "配合"
	}
	return "未设时限"
}

// DutyFilter narrows a duty listing.
type DutyFilter struct {
	PlanID int64
	UnitID int64
	paging.Page
}

// statusRank orders statuses from the worst; a duty shows its worst.
var statusRank = map[string]int{StatusOverdue: 4, StatusDueSoon: 3, StatusTodo: 2, StatusDone: 1}

// ListDuties lists, once per item and unit, the parts of units the actor
// may see (a department: its own) in the plans' items, in the plan's
// order, leads before supporters within an item.
func (s *Service) ListDuties(ctx context.Context, a *org.Actor, f DutyFilter) ([]Duty, int, error) {
	if err := a.Require(org.PermOrgRead); err != nil {
		return nil, 0, err
	}
	where, args := a.Scope.UnitsWhere("pa.region_code", "pa.unit_id")
	if f.PlanID != 0 {
		where += " AND pa.plan_id = ?"
		args = append(args, f.PlanID)
	}
	if f.UnitID != 0 {
		where += " AND pa.unit_id = ?"
		args = append(args, f.UnitID)
	}
	group := ` FROM plan_assignments pa JOIN plan_tasks t ON t.id = pa.task_id JOIN plan_items i ON i.id = t.item_id
		WHERE ` + where + ` GROUP BY i.id, i.plan_id, i.seq, i.ref, i.heading, pa.unit_id`
	var total int
	if err := s.db.QueryRow(ctx, "SELECT COUNT(*) FROM (SELECT i.id"+group+") d", args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	pg := f.Page.Clamp()
	rows, err := s.db.Query(ctx, `SELECT d.item_id, d.plan_id, d.ref, d.heading, d.unit_id, u.label, d.lead FROM (
		SELECT i.id AS item_id, i.plan_id, i.seq, i.ref, i.heading, pa.unit_id, MIN(CASE WHEN pa.role = 'lead' THEN 0 ELSE 1 END) AS lead,
		MIN(pa.id) AS first`+group+`) d JOIN `+org.UnitsView+` u ON u.id = d.unit_id
		ORDER BY d.plan_id, d.seq, d.lead, d.first LIMIT ? OFFSET ?`, append(args, pg.Limit, pg.Offset)...)
	out, err := store.Collect(rows, err, func(r store.Scanner) (Duty, error) {
		var d Duty
		var lead int
		err := r.Scan(&d.ItemID, &d.PlanID, &d.ItemRef, &d.Heading, &d.UnitID, &d.UnitName, &lead)
		d.Role = "support"
		if lead == 0 {
			d.Role = "lead"
		}
		return d, err
	})
	if err != nil || len(out) == 0 {
		return out, total, err
	}
	return out, total, s.fillDuties(ctx, out)
}

// fillDuties reads the tasks, dated duties and reports of a page of duties.
func (s *Service) fillDuties(ctx context.Context, ds []Duty) error {
	at := map[string]*Duty{}
	items, units := map[int64]bool{}, map[int64]bool{}
	var itemIDs, unitIDs []any
	for i := range ds {
		d := &ds[i]
		at[fmt.Sprint(d.ItemID, ":", d.UnitID)] = d
		if !items[d.ItemID] {
			items[d.ItemID] = true
			itemIDs = append(itemIDs, d.ItemID)
		}
		if !units[d.UnitID] {
			units[d.UnitID] = true
			unitIDs = append(unitIDs, d.UnitID)
		}
	}
	in := func(ids []any) string { return "(?" + strings.Repeat(", ?", len(ids)-1) + ")" }
	pairs := append(append([]any{}, itemIDs...), unitIDs...)
	rows, err := s.db.Query(ctx, `SELECT t.item_id, pa.unit_id, t.id, t.text, pa.role FROM plan_assignments pa
		JOIN plan_tasks t ON t.id = pa.task_id WHERE t.item_id IN `+in(itemIDs)+` AND pa.unit_id IN `+in(unitIDs)+`
		ORDER BY t.seq`, pairs...)
	err = store.Each(rows, err, func(r store.Scanner) error {
		var item, unit int64
		var t DutyTask
		if err := r.Scan(&item, &unit, &t.TaskID, &t.Text, &t.Role); err != nil {
			return err
		}
		if d := at[fmt.Sprint(item, ":", unit)]; d != nil {
			d.Tasks = append(d.Tasks, t)
		}
		return nil
	})
	if err != nil {
		return err
	}
	today, soon := s.today()
	rows, err = s.db.Query(ctx, `SELECT o.item_id, pi.unit_id, `+instanceStatus+`, pi.due_on FROM plan_instances pi
		JOIN plan_obligations o ON o.id = pi.obligation_id WHERE o.item_id IN `+in(itemIDs)+` AND pi.unit_id IN `+in(unitIDs)+`
		ORDER BY pi.due_on`, append([]any{today, soon}, pairs...)...)
	err = store.Each(rows, err, func(r store.Scanner) error {
		var item, unit int64
		var status, due string
		if err := r.Scan(&item, &unit, &status, &due); err != nil {
			return err
		}
		d := at[fmt.Sprint(item, ":", unit)]
		if d == nil {
			return nil
		}
		d.Total++
		if status == StatusDone {
			d.Done++
		} else if d.NextDue == "" {
			d.NextDue = due
		}
		if statusRank[status] > statusRank[d.Status] {
			d.Status = status
		}
		return nil
	})
	if err != nil {
		return err
	}
	rows, err = s.db.Query(ctx, `SELECT t.item_id, r.unit_id, COUNT(*) FROM plan_reports r JOIN plan_tasks t ON t.id = r.task_id
		WHERE t.item_id IN `+in(itemIDs)+` AND r.unit_id IN `+in(unitIDs)+` GROUP BY t.item_id, r.unit_id`, pairs...)
	return store.Each(rows, err, func(r store.Scanner) error {
		var item, unit int64
		var n int
		if err := r.Scan(&item, &unit, &n); err != nil {
			return err
		}
		if d := at[fmt.Sprint(item, ":", unit)]; d != nil {
			d.Reports = n
		}
		return nil
	})
}
