package hazard

import (
	"anwei/internal/codes"
	"context"
	"strings"
	"time"

	"anwei/internal/enterprise"
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
	h.created_at, h.updated_at, h.closed_at, COALESCE((SELECT rn.name FROM ` + org.RegionsView + ` rn WHERE rn.code = h.region_code), '')`

const hazardFrom = " FROM hazards h JOIN " + enterprise.NamesView + " e ON e.unit_id = h.unit_id "

func scanHazard(r interface{ Scan(...any) error }, today string) (Hazard, error) {
	var h Hazard
	var st string
	var closed *time.Time
	err := r.Scan(&h.ID, &h.Number, &h.UnitID, &h.Enterprise, &h.Region, &h.Place, &h.Description, &h.Source, &h.Level, &h.Criterion,
		&h.Reasoning, &h.Measures, &h.Responsible, &h.Funds, &h.Deadline, &h.Writ, &st, &h.AssignedBy, &h.ListedBy, &h.CreatedAt, &h.UpdatedAt, &closed, &h.RegionName)
	h.State = State(st)
	h.ClosedAt = closed
	h.Overdue = Overdue(h.State, h.Deadline, today)
	h.Handling = HandlingOf(h)
	h.nameCodes()
	return h, err
}

// nameCodes fills the words beside the hazard's codes.
func (h *Hazard) nameCodes() {
	h.StateName, h.LevelName = h.State.Name(), LevelName(h.Level)
	h.SourceName, h.HandlingName = codes.NameOf(Sources, h.Source), codes.NameOf(Handlings, h.Handling)
}

// scopeWhere is what of hazards the actor may see: the enterprises in its
// scope (region subtree, supervised enterprises, grants, itself), plus
// what its office listed or was escalated (DESIGN.md: a hazard listed by
// the city office is visible to that office), and for an expert what it was
// asked to judge.
func scopeWhere(a *org.Actor) (string, []any) {
	w, args := a.Scope.UnitsWhere("h.region_code", "h.unit_id")
	for _, b := range beyondUnits(a) {
		w = "(" + w + " OR h.id IN (" + strings.Join(b.ids, ") OR h.id IN (") + "))"
		args = append(args, b.args...)
	}
	return w, args
}

// beyond is hazards an actor sees outside its enterprises' scope: queries
// of their ids, with their arguments.
type beyond struct {
	ids  []string
	args []any
}

// beyondUnits is what scopeWhere adds to the enterprises in scope.
func beyondUnits(a *org.Actor) []beyond {
	var out []beyond
	if a.Unit.Kind == org.KindCommitteeOffice {
		out = append(out, beyond{[]string{"SELECT hazard_id FROM hazard_listings WHERE office_id = ?", "SELECT hazard_id FROM hazard_escalations WHERE office_id = ?"},
			[]any{a.Unit.ID, a.Unit.ID}})
	}
	if a.Has(org.RoleExpert) { // an expert: the hazards it was asked to judge (opinion.go)
		out = append(out, beyond{[]string{"SELECT hazard_id FROM hazard_opinions WHERE expert_id = ?"}, []any{a.UserID}})
	}
	return out
}

// historyRows are a hazard's history lines, written several at a time
// before the transaction commits (store.Rows).
var historyRows = &store.Rows{Table: "hazard_history", Cols: "hazard_id, at, actor_id, actor, unit_id, action, from_state, to_state, note"}

func history(_ context.Context, tx *store.Tx, now time.Time, a *org.Actor, id int64, action string, from, to State, note string) error {
	tx.Add(historyRows, id, now, a.UserID, a.Name, a.Unit.ID, action, string(from), string(to), note)
	return nil
}

// counts is what one hazard adds to the figures of its enterprise, year
// reported and source (hazard_counts): reported, closed, major,
// major_closed and open_major.
type counts [5]int

// countsOf is what a hazard of the level, open or closed, counts for.
func countsOf(level string, open bool) counts {
	c := counts{1, 0, 0, 0, 0}
	if !open {
		c[1] = 1
	}
	if level == "major" {
		c[2] = 1
		if open {
			c[4] = 1
		} else {
			c[3] = 1
		}
	}
	return c
}

// moved is what a hazard's counts change by going from one to the other.
func moved(from, to counts) counts {
	for i := range to {
		to[i] -= from[i]
	}
	return to
}

// countsUpdate adds an upsert's counts (excluded) to the row's.
const countsUpdate = `reported = hazard_counts.reported + excluded.reported,
		closed = hazard_counts.closed + excluded.closed, major = hazard_counts.major + excluded.major,
		major_closed = hazard_counts.major_closed + excluded.major_closed, open_major = hazard_counts.open_major + excluded.open_major`

// OpenMajorHazards counts the open major hazards of the enterprises ids
// (of all when ids is nil) inside tx, from the counts: the registry's
// class input (enterprise.OpenMajorHazards, bound in NewService).
func (s *Service) OpenMajorHazards(ctx context.Context, tx *store.Tx, ids []int64) (map[int64]int, error) {
	if err := flushTallies(ctx, tx); err != nil {
		return nil, err
	}
	in, args := store.InIDs("unit_id", ids)
	rows, err := tx.Query(ctx, "SELECT unit_id, SUM(open_major) FROM hazard_counts WHERE open_major > 0 AND "+in+" GROUP BY unit_id", args...)
	out := map[int64]int{}
	err = store.Each(rows, err, func(r store.Scanner) error {
		var id int64
		var n int
		if err := r.Scan(&id, &n); err != nil {
			return err
		}
		out[id] = n
		return nil
	})
	return out, err
}
