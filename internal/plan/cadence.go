package plan

import (
	"context"
	"fmt"
	"strings"
	"time"

	"anwei/internal/apperr"
	"anwei/internal/audit"
	"anwei/internal/calendar"
	"anwei/internal/org"
	"anwei/internal/store"
)

// Cadence is a plan's reporting pace for the items whose text states no
// date or frequency of its own (issue 14.8: such a task had no duty at all,
// so nothing tracked it). Offices ask for progress 每月, 每季度 or 每半年, due
// a few working days after the period ends (季后5个工作日内报送); the lead
// units of every such item get one duty per period. Items with their own
// dates keep them.
type Cadence struct {
	Period string `json:"cadence"`      // month | quarter | half-year; "" for none
	Days   int    `json:"cadence_days"` // working days after the period's end
}

// Cadences are the periods an office may choose, in the form's order.
var Cadences = []struct{ Key, Name string }{
	{"quarter", "每季度"}, {"half-year", "每半年"}, {"month", "每月"}, {"", "不设 (只跟踪文中写明时限的任务)"},
}

// MaxCadenceDays bounds the working days after a period's end.
const MaxCadenceDays = 20

// DefaultCadence is what the import form offers: 每季度, 季后5个工作日内.
var DefaultCadence = Cadence{Period: "quarter", Days: 5}

var cadenceAfter = map[string]string{"month": "月后", "quarter": "季后", "half-year": "半年后"}

func (c Cadence) check() error {
	if c.Period == "" {
		if c.Days != 0 {
			return apperr.Field("cadence_days", "不设报送频次时不填报送期限")
		}
		return nil
	}
	var ch apperr.Checks // both at once (issue 16.2)
	ch.If(cadenceAfter[c.Period] == "", "cadence", "报送频次只能是每月、每季度或每半年")
	ch.If(c.Days < 0 || c.Days > MaxCadenceDays, "cadence_days", fmt.Sprintf("报送期限应为期末后 0 至 %d 个工作日", MaxCadenceDays))
	return ch.Err()
}

// Name is the cadence in words: 每季度，季后5个工作日内报送.
func (c Cadence) Name() string {
	if c.Period == "" {
		return "不设"
	}
	var name string
	for _, x := range Cadences {
		if x.Key == c.Period {
			name = x.Name
		}
	}
	if c.Days == 0 {
		return name + "，期末前报送"
	}
	return fmt.Sprintf("%s，%s%d个工作日内报送", name, cadenceAfter[c.Period], c.Days)
}

// cue is what a cadence duty asks, as the task lists show it.
func (c Cadence) cue() string { return "按工作要点报送频次报送进展 (" + c.Name() + ")" }

// Instances are the cadence's duties in year: one per period, due the
// cadence's working days after the period ends (holidays and 调休 counted
// by calendar.AddWorkdays).
func (c Cadence) Instances(year int) ([]Instance, error) {
	out, err := Instances(Obligation{Kind: "recurring", Period: c.Period}, year)
	for i := range out {
		end, perr := time.Parse("2006-01-02", out[i].Due)
		if perr != nil {
			return nil, perr
		}
		out[i].End, out[i].Due = out[i].Due, calendar.AddWorkdays(end, c.Days).Format("2006-01-02")
	}
	return out, err
}

// cadenceLead is a lead unit of an item with no dated duty of its own.
type cadenceLead struct {
	item, unit, assignment int64
	region                 string
}

// addCadenceDuties gives the lead units of the plan's items without
// obligations read from their text one duty per period of c, skipping
// periods that ended before today ("" at import: every period; a period
// ended is the old cadence's to report, which SetCadence keeps) and the
// periods a kept duty of the same item and unit is for. It returns how
// many it added.
func addCadenceDuties(ctx context.Context, tx *store.Tx, planID int64, year int, c Cadence, today string) (int, error) {
	if c.Period == "" {
		return 0, nil
	}
	insts, err := c.Instances(year)
	if err != nil {
		return 0, err
	}
	rows, err := tx.Query(ctx, `SELECT t.item_id, pa.unit_id, MIN(pa.id), pa.region_code FROM plan_assignments pa
		JOIN plan_tasks t ON t.id = pa.task_id WHERE pa.plan_id = ? AND pa.role = 'lead'
		AND NOT EXISTS (SELECT 1 FROM plan_obligations o WHERE o.item_id = t.item_id AND o.source = 'text')
		GROUP BY t.item_id, pa.unit_id, pa.region_code ORDER BY t.item_id, MIN(pa.id)`, planID)
	leads, err := store.Collect(rows, err, func(r store.Scanner) (cadenceLead, error) {
		var l cadenceLead
		err := r.Scan(&l.item, &l.unit, &l.assignment, &l.region)
		return l, err
	})
	if err != nil || len(leads) == 0 {
		return 0, err
	}
	kept := map[string]bool{} // item:unit:start:label of the cadence duties left
	rows, err = tx.Query(ctx, `SELECT o.item_id, pi.unit_id, pi.start_on, pi.label FROM plan_instances pi
		JOIN plan_obligations o ON o.id = pi.obligation_id WHERE pi.plan_id = ? AND o.source = 'cadence'`, planID)
	err = store.Each(rows, err, func(r store.Scanner) error {
		var item, unit int64
		var start, label string
		err := r.Scan(&item, &unit, &start, &label)
		kept[fmt.Sprint(item, ":", unit, ":", start, ":", label)] = true
		return err
	})
	if err != nil {
		return 0, err
	}
	added := 0
	oblig := map[int64]int64{}
	for _, l := range leads {
		oid, ok := oblig[l.item]
		if !ok {
			oid, err = tx.InsertID(ctx, `INSERT INTO plan_obligations (item_id, kind, period, times, due_on, cue, subject, source)
				VALUES (?, 'recurring', ?, 1, '', ?, 'unit', 'cadence')`, l.item, c.Period, c.cue())
			if err != nil {
				return added, err
			}
			oblig[l.item] = oid
		}
		for _, in := range insts {
			if in.End < today || kept[fmt.Sprint(l.item, ":", l.unit, ":", in.Start, ":", in.Label)] {
				continue
			}
			if _, err := tx.Exec(ctx, `INSERT INTO plan_instances (plan_id, obligation_id, assignment_id, unit_id, region_code, label, start_on, due_on, times)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)`, planID, oid, l.assignment, l.unit, l.region, in.Label, in.Start, in.Due); err != nil {
				return added, err
			}
			added++
		}
	}
	return added, nil
}

// periodMonths is how long a cadence's period is.
var periodMonths = map[string]int{"month": 1, "quarter": 3, "half-year": 6}

// dropOpenPeriods deletes the cadence duties whose period has not
// ended by today and that are not reported nor in a 提醒函 or 交办单, and
// reports how many. A period that has ended stays to be reported, even if
// its report is not yet due (review finding: a change on 10 October
// dropped Q3, due 13 October, and the new months July–September were
// already past; nobody reported on them).
func dropOpenPeriods(ctx context.Context, tx *store.Tx, planID int64, today string) (int64, error) {
	rows, err := tx.Query(ctx, `SELECT pi.id, pi.start_on, o.period FROM plan_instances pi JOIN plan_obligations o ON o.id = pi.obligation_id
		WHERE pi.plan_id = ? AND pi.done_at IS NULL AND o.source = 'cadence'
		AND NOT EXISTS (SELECT 1 FROM plan_notice_items ni WHERE ni.instance_id = pi.id)`, planID)
	var ids []any
	err = store.Each(rows, err, func(r store.Scanner) error {
		var id int64
		var start, period string
		if err := r.Scan(&id, &start, &period); err != nil {
			return err
		}
		from, err := time.Parse("2006-01-02", start)
		if err != nil {
			return err
		}
		// each duty's own period: one kept from an earlier cadence is not old's
		if from.AddDate(0, periodMonths[period], -1).Format("2006-01-02") >= today {
			ids = append(ids, id)
		}
		return nil
	})
	if err != nil || len(ids) == 0 {
		return 0, err
	}
	res, err := tx.Exec(ctx, "DELETE FROM plan_instances WHERE id IN (?"+strings.Repeat(", ?", len(ids)-1)+")", ids...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// SetCadence changes a plan's reporting cadence. Only the office that
// issued the plan may, holding plan.import. The cadence duties still to
// come — not yet due, not reported, in no 提醒函 or 交办单 — are replaced by
// the new cadence's; those reported or already due stay as they were, and
// duties read from the plan's text are never touched. Setting the cadence
// the plan has changes nothing; a change is audited with what it removed
// and added.
func (s *Service) SetCadence(ctx context.Context, a *org.Actor, planID int64, c Cadence) error {
	if err := a.Require(org.PermPlanImport); err != nil {
		return err
	}
	c.Period = strings.TrimSpace(c.Period)
	if err := c.check(); err != nil {
		return err
	}
	today, _ := s.today()
	now := s.clock.Now()
	return s.db.Tx(ctx, func(tx *store.Tx) error {
		var old Cadence
		var year int
		var office int64
		var region string
		err := tx.QueryRow(ctx, "SELECT cadence, cadence_days, year, office_id, region_code FROM plans WHERE id = ?", planID).
			Scan(&old.Period, &old.Days, &year, &office, &region)
		if store.NoRows(err) || (err == nil && office != a.Unit.ID) {
			return apperr.New(apperr.NotFound, "工作要点不存在或不是本单位印发的")
		}
		if err != nil || old == c {
			return err
		}
		removed, err := dropOpenPeriods(ctx, tx, planID, today)
		if err != nil {
			return err
		}
		added, err := addCadenceDuties(ctx, tx, planID, year, c, today)
		if err != nil {
			return err
		}
		// An item whose every period was replaced keeps no empty obligation.
		if _, err := tx.Exec(ctx, `DELETE FROM plan_obligations WHERE source = 'cadence'
			AND item_id IN (SELECT i.id FROM plan_items i WHERE i.plan_id = ?)
			AND NOT EXISTS (SELECT 1 FROM plan_instances pi WHERE pi.obligation_id = plan_obligations.id)`, planID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE plans SET cadence = ?, cadence_days = ? WHERE id = ?", c.Period, c.Days, planID); err != nil {
			return err
		}
		err = audit.Append(ctx, tx, now, a.Who(), audit.Entry{Action: "plan.cadence", ObjectKind: "plan",
			ObjectID: fmt.Sprint(planID), Region: region,
			Before: map[string]any{"cadence": old.Period, "cadence_days": old.Days},
			After:  map[string]any{"cadence": c.Period, "cadence_days": c.Days, "removed": removed, "added": added, "from": today}})
		return err
	})
}

// MaySetCadence reports whether a may change the plan's cadence (for the
// page's form; SetCadence checks again): the office that issued it.
func (p PlanRow) MaySetCadence(a *org.Actor) bool {
	return a.Can(org.PermPlanImport) && p.OfficeID == a.Unit.ID
}
