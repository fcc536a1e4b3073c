package hazard

import (
	"context"
	"time"

	"anwei/internal/calendar"
	"anwei/internal/org"
	"anwei/internal/store"
)

// hazardCols are a hazard's columns with its enterprise's name and the
// office of its highest active listing (the one that closes it; for a
// closed hazard, the listings its closing lifted, so that office reopens it).
const hazardCols = `h.id, h.number, h.unit_id, e.name, h.region_code, h.place, h.description, h.source, h.level, h.criterion, h.reasoning,
	h.measures, h.responsible, h.funds, h.deadline, h.writ, h.state, COALESCE(h.assigned_by, 0),
	COALESCE((SELECT l.office_id FROM hazard_listings l WHERE l.hazard_id = h.id AND (l.lifted_at IS NULL OR l.lifted_at >= h.closed_at)
		ORDER BY length(l.office_region), l.id LIMIT 1), 0),
	h.created_at, h.updated_at, h.closed_at`

const hazardFrom = " FROM hazards h JOIN enterprises e ON e.unit_id = h.unit_id "

func scanHazard(r interface{ Scan(...any) error }, today string) (Hazard, error) {
	var h Hazard
	var st string
	var closed *time.Time
	err := r.Scan(&h.ID, &h.Number, &h.UnitID, &h.Enterprise, &h.Region, &h.Place, &h.Description, &h.Source, &h.Level, &h.Criterion,
		&h.Reasoning, &h.Measures, &h.Responsible, &h.Funds, &h.Deadline, &h.Writ, &st, &h.AssignedBy, &h.ListedBy, &h.CreatedAt, &h.UpdatedAt, &closed)
	h.State = State(st)
	h.ClosedAt = closed
	h.Overdue = Overdue(h.State, h.Deadline, today)
	return h, err
}

// scopeWhere is what of hazards the actor may see: the enterprises in its
// scope (region subtree, supervised enterprises, grants, itself), plus
// what its office listed or was escalated (DESIGN.md: a hazard listed by
// the city office is visible to that office).
func scopeWhere(a *org.Actor) (string, []any) {
	w, args := a.Scope.UnitsWhere("h.region_code", "h.unit_id")
	if a.Unit.Kind == org.KindCommitteeOffice {
		w = "(" + w + " OR h.id IN (SELECT hazard_id FROM hazard_listings WHERE office_id = ?) OR h.id IN (SELECT hazard_id FROM hazard_escalations WHERE office_id = ?))"
		args = append(args, a.Unit.ID, a.Unit.ID)
	}
	return w, args
}

func history(ctx context.Context, tx *store.Tx, now time.Time, a *org.Actor, id int64, action string, from, to State, note string) error {
	_, err := tx.Exec(ctx, `INSERT INTO hazard_history (hazard_id, at, actor_id, actor, unit_id, action, from_state, to_state, note)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, now, a.UserID, a.Name, a.Unit.ID, action, string(from), string(to), note)
	return err
}

// tally adds delta to the count of hazards like h (its enterprise, year
// reported, level, source) that are open or closed. Every change that
// moves a hazard between those keeps the tally in the same transaction.
func tally(ctx context.Context, tx *store.Tx, h Hazard, level string, open bool, delta int) error {
	o := 0
	if open {
		o = 1
	}
	_, err := tx.Exec(ctx, `INSERT INTO hazard_tally (unit_id, region_code, year, level, source, open, n) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (unit_id, year, level, source, open) DO UPDATE SET n = hazard_tally.n + excluded.n`,
		h.UnitID, h.Region, calendar.Local(h.CreatedAt).Year(), level, h.Source, o, delta)
	return err
}

// OpenMajorHazards counts an enterprise's open major hazards inside tx,
// from the tally: the registry's class input (enterprise.Signals).
func (s *Service) OpenMajorHazards(ctx context.Context, tx *store.Tx, unitID int64) (int, error) {
	var n int
	err := tx.QueryRow(ctx, "SELECT COALESCE(SUM(n), 0) FROM hazard_tally WHERE unit_id = ? AND level = 'major' AND open = 1", unitID).Scan(&n)
	return n, err
}
