package hazard

import (
	"context"
	"fmt"
	"sort"

	"anwei/internal/audit"
	"anwei/internal/enterprise"
	"anwei/internal/inbox"
	"anwei/internal/org"
	"anwei/internal/store"
)

// sweepLock is the advisory lock key of the hazard sweep ("hzrd").
const sweepLock = 0x687a7264

// sweepBatch bounds one transaction of the sweep.
const sweepBatch = 2000

// SweepOverdue escalates every major hazard that has newly become overdue,
// once per deadline (安全生产法 第四十一条: major hazards are supervised;
// 挂牌督办 moves up a level when the deadline passes). The next level's
// office gets it in its inbox and its supervision list
// (hazard_escalations): the office above the listing office when the
// hazard is listed, else the county's office. The supervising departments,
// the assigning unit and the enterprise are reminded. Overdue itself stays
// derived; the escalated_at mark only records that this went out, so a
// restart or a second server never repeats it, and a new deadline (a new
// assignment or listing) clears it. One audit event per office and batch
// lists the hazards. It returns how many hazards it escalated.
func (s *Service) SweepOverdue(ctx context.Context) (int, error) {
	total := 0
	offices := map[string]int64{}
	for {
		n, err := s.sweepBatch(ctx, offices)
		total += n
		if err != nil || n < sweepBatch {
			return total, err
		}
	}
}

type overdueHazard struct {
	id, unit, assignedBy          int64
	number, region, deadline, ent string
	listedRegion                  string
}

func (s *Service) sweepBatch(ctx context.Context, offices map[string]int64) (int, error) {
	today := s.today()
	now := s.clock.Now()
	n := 0
	err := s.db.Tx(ctx, func(tx *store.Tx) error {
		n = 0
		if ok, err := tx.TryLock(ctx, sweepLock); err != nil || !ok {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT h.id, h.unit_id, COALESCE(h.assigned_by, 0), h.number, h.region_code, h.deadline, e.name,
			COALESCE((SELECT l.office_region FROM hazard_listings l WHERE l.hazard_id = h.id AND l.lifted_at IS NULL ORDER BY length(l.office_region) LIMIT 1), '')
			FROM hazards h JOIN `+enterprise.NamesView+` e ON e.unit_id = h.unit_id
			WHERE h.level = 'major' AND h.state <> 'closed' AND h.escalated_at IS NULL AND h.deadline > '' AND h.deadline < ?
			ORDER BY h.deadline, h.id LIMIT ?`, today, sweepBatch)
		found, err := store.Collect(rows, err, func(r store.Scanner) (overdueHazard, error) {
			var o overdueHazard
			err := r.Scan(&o.id, &o.unit, &o.assignedBy, &o.number, &o.region, &o.deadline, &o.ent, &o.listedRegion)
			return o, err
		})
		if err != nil || len(found) == 0 {
			return err
		}
		ids := make([]int64, len(found))
		for i, o := range found {
			ids[i] = o.unit
		}
		depts, err := s.ents.SupervisingDepts(ctx, ids)
		if err != nil {
			return err
		}
		byOffice := map[int64][]int64{}
		regionOf := map[int64]string{}
		for _, o := range found {
			office, err := escalationOffice(ctx, tx, offices, o)
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, "UPDATE hazards SET escalated_at = ? WHERE id = ?", now, o.id); err != nil {
				return err
			}
			if office != 0 {
				if _, err := tx.Exec(ctx, `INSERT INTO hazard_escalations (hazard_id, office_id, deadline, at) VALUES (?, ?, ?, ?)
					ON CONFLICT (hazard_id, deadline) DO NOTHING`, o.id, office, o.deadline, now); err != nil {
					return err
				}
				byOffice[office] = append(byOffice[office], o.id)
				regionOf[office] = o.region
			}
			link, dedup := fmt.Sprintf("/hazards/%d", o.id), fmt.Sprintf("hazard.overdue:%d:%s", o.id, o.deadline)
			to := map[int64]string{o.unit: "本企业重大事故隐患 %s 已超过整改期限 (%s)，请立即整改并报告"}
			for _, d := range append([]int64{o.assignedBy}, depts[o.unit]...) {
				if d != 0 {
					to[d] = o.ent + " 的重大事故隐患 %s 已超过整改期限 (%s)，请督促整改"
				}
			}
			if office != 0 {
				to[office] = o.ent + " 的重大事故隐患 %s 逾期未整改 (期限 %s)，已提请本级督办"
			}
			for u, f := range to {
				// The office is asked to supervise it (a to-do until the
				// hazard is listed or closed); the others are told.
				if err := inbox.Tell(ctx, tx, now, u == office, u, "hazard.overdue", fmt.Sprintf(f, o.number, o.deadline), link, dedup, ""); err != nil {
					return err
				}
			}
		}
		order := make([]int64, 0, len(byOffice))
		for o := range byOffice {
			order = append(order, o)
		}
		sort.Slice(order, func(i, j int) bool { return order[i] < order[j] })
		for _, office := range order {
			if err := audit.Append(ctx, tx, now, org.System.Who(), audit.Entry{Action: "hazard.escalate", ObjectKind: "unit",
				ObjectID: fmt.Sprint(office), Region: regionOf[office], After: map[string]any{"date": today, "hazards": byOffice[office]}}); err != nil {
				return err
			}
		}
		n = len(found)
		return nil
	})
	return n, err
}

// escalationOffice is the office an overdue hazard goes to: above its
// listing office when listed (a county listing goes to the city), else the
// county's own office; where a level has no office in anwei, the next one
// up, and when there is none above the listing office, that office itself.
// 0 when there is none at all.
func escalationOffice(ctx context.Context, tx *store.Tx, cache map[string]int64, o overdueHazard) (int64, error) {
	region := o.region
	if len(region) > 6 {
		region = region[:6]
	}
	if o.listedRegion != "" {
		region = o.listedRegion[:max(len(o.listedRegion)-2, 2)]
	}
	for ; len(region) >= 2; region = region[:len(region)-2] {
		id, ok := cache[region]
		if !ok {
			err := tx.QueryRow(ctx, `SELECT id FROM `+org.UnitsView+` u WHERE kind = ? AND region_code = ? AND active = TRUE ORDER BY id LIMIT 1`,
				string(org.KindCommitteeOffice), region).Scan(&id)
			if err != nil && !store.NoRows(err) {
				return 0, err
			}
			cache[region] = id
		}
		if id != 0 {
			return id, nil
		}
	}
	if o.listedRegion != "" {
		return escalationOffice(ctx, tx, cache, overdueHazard{region: o.listedRegion})
	}
	return 0, nil
}
