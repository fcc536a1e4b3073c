package plan

import (
	"context"

	"anwei/internal/apperr"
	"anwei/internal/org"
	"anwei/internal/store"
)

// TaskView is one task with its item, plan and responsible units.
type TaskView struct {
	ID        int64     `json:"id"`
	PlanID    int64     `json:"plan_id"`
	PlanTitle string    `json:"plan_title"`
	OfficeID  int64     `json:"office_id"`
	ItemRef   string    `json:"item_ref"`
	Heading   string    `json:"heading"`
	Section   string    `json:"section"`
	Text      string    `json:"text"`
	Units     []TaskRef `json:"units"`
}

// TaskRef is a unit's role on a task.
type TaskRef struct {
	UnitID int64  `json:"unit_id"`
	Name   string `json:"name"`
	Role   string `json:"role"`
}

// RoleOf returns unit's role on the task, or "".
func (t TaskView) RoleOf(unit int64) string {
	for _, u := range t.Units {
		if u.UnitID == unit {
			return u.Role
		}
	}
	return ""
}

// MayDecide reports whether a decides the task's consolidated reports (for
// the page's buttons; DecideReport checks again): the office that issued
// the plan, holding plan.supervise.
func (t TaskView) MayDecide(a *org.Actor) bool {
	return a.Can(org.PermPlanSupervise) && t.OfficeID == a.Unit.ID
}

// GetTask returns a task of a plan the actor may see.
func (s *Service) GetTask(ctx context.Context, a *org.Actor, id int64) (TaskView, error) {
	if err := a.Require(org.PermOrgRead); err != nil {
		return TaskView{}, err
	}
	where, args := planScope(a)
	var t TaskView
	err := s.db.QueryRow(ctx, `SELECT t.id, p.id, p.title, p.office_id, i.ref, i.heading, i.section, t.text
		FROM plan_tasks t JOIN plan_items i ON i.id = t.item_id JOIN plans p ON p.id = i.plan_id WHERE t.id = ? AND `+where,
		append([]any{id}, args...)...).Scan(&t.ID, &t.PlanID, &t.PlanTitle, &t.OfficeID, &t.ItemRef, &t.Heading, &t.Section, &t.Text)
	if store.NoRows(err) {
		return t, apperr.New(apperr.NotFound, "任务不存在")
	}
	if err != nil {
		return t, err
	}
	rows, err := s.db.Query(ctx, `SELECT pa.unit_id, u.label, pa.role FROM plan_assignments pa
		JOIN `+org.UnitsView+` u ON u.id = pa.unit_id WHERE pa.task_id = ? ORDER BY CASE pa.role WHEN 'lead' THEN 0 ELSE 1 END, pa.id`, id)
	t.Units, err = store.Collect(rows, err, func(row store.Scanner) (TaskRef, error) {
		var r TaskRef
		err := row.Scan(&r.UnitID, &r.Name, &r.Role)
		return r, err
	})
	return t, err
}
