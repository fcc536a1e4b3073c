package enforce

import (
	"context"
	"slices"

	"anwei/internal/org"
	"anwei/internal/store"
)

// DeptFigures are a department's year at a glance: its plan against its
// capacity, the coverage of its 重点 enterprises, its draws and the
// inspections scheduled or recorded.
type DeptFigures struct {
	UnitID         int64  `json:"unit_id"`
	Unit           string `json:"unit"`
	PlanID         int64  `json:"plan_id"` // 0: no plan yet
	State          string `json:"state"`
	StateName      string `json:"state_name"`
	Capacity       int    `json:"capacity"` // inspections the staffing allows
	Demand         int    `json:"demand"`   // inspections the plan asks
	Fits           bool   `json:"fits"`
	KeyEnterprises int    `json:"key_enterprises"`
	KeyCovered     int    `json:"key_covered"` // 重点 enterprises with a routine inspection this year, scheduled or done
	Draws          int    `json:"draws"`
	Pending        int    `json:"pending"`     // draws whose lists and commitment were published and which were never drawn
	Drawn          int    `json:"drawn"`       // enterprises drawn this year
	Routine        int    `json:"routine"`     // routine inspections this year (planned and drawn)
	Supervisory    int    `json:"supervisory"` // 督导检查 this year
	Cases          int    `json:"cases"`       // case inspections this year
	Frequent       int    `json:"frequent"`    // enterprises whose case inspections are frequent
}

// Overview is the year's figures per department the actor may see: the
// office its region's departments, a department its own.
func (s *Service) Overview(ctx context.Context, a *org.Actor, year int) ([]DeptFigures, error) {
	plans, err := s.ListPlans(ctx, a, PlanFilter{Year: year})
	if err != nil {
		return nil, err
	}
	caps, _, err := s.CapsFor(ctx, s.db, a.Unit.Region)
	if err != nil {
		return nil, err
	}
	by := map[int64]*DeptFigures{}
	var order []int64
	get := func(id int64, name string) *DeptFigures {
		if f, ok := by[id]; ok {
			return f
		}
		by[id] = &DeptFigures{UnitID: id, Unit: name, StateName: "未编制"}
		order = append(order, id)
		return by[id]
	}
	keys := map[int64][]int64{}
	for _, p := range plans {
		f := get(p.UnitID, p.Unit)
		f.PlanID, f.State, f.StateName = p.ID, p.State, p.StateName
		if p.State != Draft {
			f.Capacity, f.Demand, f.Fits, f.KeyEnterprises = p.Figures.Capacity.Inspections, p.Figures.Demand, p.Figures.Fits, p.Figures.KeyEnterprises
			for _, k := range p.Figures.Key {
				keys[p.UnitID] = append(keys[p.UnitID], k.EnterpriseID)
			}
		}
	}
	w, args := ownWhere(a, "i.region_code", "i.unit_id")
	rows, err := s.db.Query(ctx, `SELECT i.unit_id, u.name, i.enterprise_id, i.kind, i.basis, COUNT(*) FROM enforce_inspections i
		JOIN `+org.UnitsView+` u ON u.id = i.unit_id WHERE `+w+` AND i.year = ? GROUP BY i.unit_id, u.name, i.enterprise_id, i.kind, i.basis`,
		append(args, year)...)
	covered := map[[2]int64]bool{}
	cases := map[int64]int{}                // per enterprise, whoever inspected it
	caseUnits := map[int64]map[int64]bool{} // the units that did
	err = store.Each(rows, err, func(r store.Scanner) error {
		var unit, ent int64
		var name, kind, basis string
		var n int
		if err := r.Scan(&unit, &name, &ent, &kind, &basis, &n); err != nil {
			return err
		}
		f := get(unit, name)
		switch kind {
		case Case:
			f.Cases += n
			cases[ent] += n
			if caseUnits[ent] == nil {
				caseUnits[ent] = map[int64]bool{}
			}
			caseUnits[ent][unit] = true
			return nil
		case Supervisory:
			f.Supervisory += n
			return nil
		}
		f.Routine += n
		covered[[2]int64{unit, ent}] = true
		if basis == BasisDraw {
			f.Drawn += n
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for ent, n := range cases {
		if caps.FrequentCase(n) {
			for unit := range caseUnits[ent] {
				by[unit].Frequent++
			}
		}
	}
	for unit, ks := range keys {
		for _, e := range ks {
			if covered[[2]int64{unit, e}] {
				by[unit].KeyCovered++
			}
		}
	}
	draws, err := s.ListDraws(ctx, a, DrawFilter{Year: year})
	if err != nil {
		return nil, err
	}
	for _, d := range draws {
		f := get(d.UnitID, d.Unit)
		f.Draws++
		if d.State == Committed {
			f.Pending++
		}
	}
	out := make([]DeptFigures, 0, len(order))
	for _, id := range order {
		out = append(out, *by[id])
	}
	slices.SortFunc(out, func(x, y DeptFigures) int {
		if x.Unit < y.Unit {
			return -1
		}
		if x.Unit > y.Unit {
			return 1
		}
		return 0
	})
	return out, nil
}
