package web

import (
	"context"
	"sort"

	"anwei/internal/org"
	"anwei/internal/paging"
	"anwei/internal/plan"
)

// itemRow is one item of a plan with every unit's part in it once: a unit
// leading any of its tasks is among the leads only (issue 14.8).
type itemRow struct {
	Ref, Heading  string
	Tasks         []plan.DutyTask // the item's tasks the listed units are on
	Lead, Support []plan.Duty
	Done, Total   int
}

// allDuties walks every page of the plan's duties the actor sees.
func (s *Server) allDuties(ctx context.Context, a *org.Actor, planID int64) ([]plan.Duty, error) {
	var out []plan.Duty
	for {
		page, _, err := s.Plans.ListDuties(ctx, a, plan.DutyFilter{PlanID: planID, Page: paging.Page{Limit: paging.Max, Offset: len(out)}})
		out = append(out, page...)
		if err != nil || len(page) < paging.Max {
			return out, err
		}
	}
}

// groupDuties folds duties (in the plan's order) into one row per item.
func groupDuties(ds []plan.Duty) []itemRow {
	var out []itemRow
	var last int64
	seen := map[int64]bool{}
	for _, d := range ds {
		if len(out) == 0 || d.ItemID != last {
			out = append(out, itemRow{Ref: d.ItemRef, Heading: d.Heading})
			last, seen = d.ItemID, map[int64]bool{}
		}
		row := &out[len(out)-1]
		for _, t := range d.Tasks {
			if !seen[t.TaskID] {
				seen[t.TaskID] = true
				row.Tasks = append(row.Tasks, plan.DutyTask{TaskID: t.TaskID, Text: t.Text})
			}
		}
		if d.Role == "lead" {
			row.Lead = append(row.Lead, d)
		} else {
			row.Support = append(row.Support, d)
		}
		row.Done += d.Done
		row.Total += d.Total
	}
	for i := range out {
		sort.Slice(out[i].Tasks, func(a, b int) bool { return out[i].Tasks[a].TaskID < out[i].Tasks[b].TaskID })
	}
	return out
}
