package hazard

import (
	"context"
	"fmt"
	"slices"
	"time"

	"anwei/internal/inbox"
	"anwei/internal/org"
	"anwei/internal/store"
)

// Who is told of a hazard's hand-overs, through the units' inboxes, in the
// step's own transaction (issue 14.3; part 3 turns the inbox into the 待办):
//
//   - reported by the enterprise: its supervising departments (to judge it);
//     reported by a government unit: the enterprise, and the other
//     supervising departments;
//   - 交办: the enterprise, with the writ and the deadline;
//   - 报整改完成: whoever reviews it — the unit that assigned or listed it,
//     else the supervising departments;
//   - 复查不通过 and 销号: the enterprise.
//
// Nobody is told of their own step.

// recipients are the units to tell of a's action on h, given the
// enterprise's supervising departments.
func recipients(a *org.Actor, h Hazard, act Action, depts []int64) []int64 {
	var to []int64
	switch act {
	case "report":
		to = append(to, depts...)
		if a.Unit.ID != h.UnitID {
			to = append(to, h.UnitID)
		}
	case Assign, Fail, Pass:
		to = []int64{h.UnitID}
	case Submit:
		if c := h.Closer(); c != 0 {
			to = []int64{c}
		} else {
			to = depts
		}
	}
	return slices.DeleteFunc(slices.Compact(slices.Sorted(slices.Values(to))), func(u int64) bool { return u == a.Unit.ID || u == 0 })
}

// message is what a step on h says, "" for a step nobody is told of.
func message(a *org.Actor, h Hazard, act Action, note string) string {
	switch act {
	case "report":
		if a.Unit.ID == h.UnitID {
			return fmt.Sprintf("%s 上报隐患 %s (%s)，待判定", h.Enterprise, h.Number, h.Place)
		}
		return fmt.Sprintf("%s 记录了 %s 的隐患 %s (%s)", a.Unit.Name, h.Enterprise, h.Number, h.Place)
	case Assign:
		return fmt.Sprintf("隐患 %s 已交办 (%s)，限 %s 前整改", h.Number, h.Writ, h.Deadline)
	case Submit:
		return fmt.Sprintf("%s 报隐患 %s 整改完成，待复查", h.Enterprise, h.Number)
	case Fail:
		return fmt.Sprintf("隐患 %s 复查不通过，退回整改: %s", h.Number, note)
	case Pass:
		return fmt.Sprintf("隐患 %s 复查合格，已销号", h.Number)
	}
	return ""
}

// tell puts the message of a's action on h into each recipient's inbox.
// The occasion is the step's time: a hazard sent back and submitted again
// tells its reviewer again.
func tell(ctx context.Context, tx *store.Tx, now time.Time, a *org.Actor, h Hazard, act Action, note string, depts []int64) error {
	title := message(a, h, act, note)
	if title == "" {
		return nil
	}
	for _, u := range recipients(a, h, act, depts) {
		dedup := fmt.Sprintf("hazard.%s:%d:%s", act, h.ID, now.Format(time.RFC3339Nano))
		if _, err := inbox.Send(ctx, tx, now, u, "hazard."+string(act), title, fmt.Sprintf("/hazards/%d", h.ID), dedup); err != nil {
			return err
		}
	}
	return nil
}

// departments are the enterprise's supervising departments.
func (s *Service) departments(ctx context.Context, enterprise int64) ([]int64, error) {
	m, err := s.ents.SupervisingDepts(ctx, []int64{enterprise})
	return m[enterprise], err
}
