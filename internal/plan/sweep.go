package plan

import (
	"context"
	"fmt"

	"anwei/internal/audit"
	"anwei/internal/inbox"
	"anwei/internal/org"
	"anwei/internal/store"
)

// sweepLock is the advisory lock key of the overdue sweep ("plan" in ASCII).
const sweepLock = 0x706c616e

// sweepBatch bounds one transaction of the sweep.
const sweepBatch = 2000

// SweepOverdue acts once on every duty that has become overdue: it marks
// it noticed, tells the responsible unit (one inbox message per duty) and
// the plan's office (one message per plan and day), and writes one audit
// event per plan with the duties it found. Overdue itself is derived from
// the date; the mark only records that the notice went out, so a restart
// or a second server never repeats it. It returns how many it acted on.
func (s *Service) SweepOverdue(ctx context.Context) (int, error) {
	total := 0
	for {
		n, err := s.sweepBatch(ctx)
		total += n
		if err != nil || n < sweepBatch {
			return total, err
		}
	}
}

type overdueDuty struct {
	id, unit, plan, office  int64
	region, ref, label, due string
}

func (s *Service) sweepBatch(ctx context.Context) (int, error) {
	today, _ := s.today()
	now := s.clock.Now()
	n := 0
	err := s.db.Tx(ctx, func(tx *store.Tx) error {
		n = 0
		if ok, err := tx.TryLock(ctx, sweepLock); err != nil || !ok {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT pi.id, pi.unit_id, pi.plan_id, p.office_id, p.region_code, COALESCE(i.ref, ''), pi.label, pi.due_on
			FROM plan_instances pi JOIN plans p ON p.id = pi.plan_id
			LEFT JOIN plan_obligations o ON o.id = pi.obligation_id LEFT JOIN plan_items i ON i.id = o.item_id
			WHERE pi.done_at IS NULL AND pi.overdue_noted_at IS NULL AND pi.due_on < ? ORDER BY pi.id LIMIT ?`, today, sweepBatch)
		found, err := store.Collect(rows, err, func(r store.Scanner) (overdueDuty, error) {
			var d overdueDuty
			err := r.Scan(&d.id, &d.unit, &d.plan, &d.office, &d.region, &d.ref, &d.label, &d.due)
			return d, err
		})
		if err != nil {
			return err
		}
		byPlan := map[int64][]overdueDuty{}
		var order []int64
		for _, d := range found {
			if _, err := tx.Exec(ctx, "UPDATE plan_instances SET overdue_noted_at = ? WHERE id = ?", now, d.id); err != nil {
				return err
			}
			title := fmt.Sprintf("任务已逾期: %s %s", d.ref, d.label)
			if err := inbox.Ask(ctx, tx, now, d.unit, "plan.overdue", title, "/tasks?status=overdue", overdueOccasion(d.id), d.due); err != nil {
				return err
			}
			if len(byPlan[d.plan]) == 0 {
				order = append(order, d.plan)
			}
			byPlan[d.plan] = append(byPlan[d.plan], d)
		}
		for _, p := range order {
			ds := byPlan[p]
			ids := make([]int64, len(ds))
			for i, d := range ds {
				ids[i] = d.id
			}
			if err := inbox.Send(ctx, tx, now, ds[0].office, "plan.overdue", fmt.Sprintf("%s 新增逾期任务 %d 项", today, len(ds)),
				fmt.Sprintf("/supervise?plan=%d", p), fmt.Sprintf("plan.overdue:%d:%s:%d", p, today, ids[0])); err != nil {
				return err
			}
			if err := audit.Append(ctx, tx, now, org.System.Who(), audit.Entry{Action: "plan.instance.overdue", ObjectKind: "plan",
				ObjectID: fmt.Sprint(p), Region: ds[0].region, After: map[string]any{"date": today, "count": len(ds), "instances": ids}}); err != nil {
				return err
			}
		}
		n = len(found)
		return nil
	})
	return n, err
}
