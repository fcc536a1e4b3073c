package enterprise

import (
	"context"
	"fmt"
	"time"

	"anwei/internal/inbox"
	"anwei/internal/org"
	"anwei/internal/store"
)

// An enterprise's change of its key fields waits for its supervising
// departments: they are told of the request in their inboxes, and the
// enterprise of the decision, when the request is settled in theirs
// (issue 14.3).

// changeOccasion names a change request in the inbox.
func changeOccasion(id int64) string { return fmt.Sprintf("enterprise.change:%d", id) }

// changeDepts are the supervising departments of change request id's
// enterprise, read inside tx (SupervisingDepts reads outside any
// transaction; the request and its messages are written in this one).
func changeDepts(ctx context.Context, tx *store.Tx, id int64) ([]int64, error) {
	rows, err := tx.Query(ctx, "SELECT sv.dept_id FROM "+org.SupervisionsView+" sv JOIN enterprise_changes c ON c.unit_id = sv.enterprise_id WHERE c.id = ?", id)
	return store.Collect(rows, err, func(r store.Scanner) (int64, error) {
		var d int64
		return d, r.Scan(&d)
	})
}

// tellChange tells the supervising departments of a request's enterprise
// that change request id awaits them.
func tellChange(ctx context.Context, tx *store.Tx, now time.Time, id int64, name string) error {
	depts, err := changeDepts(ctx, tx, id)
	if err != nil {
		return err
	}
	for _, d := range depts {
		if _, err := inbox.Send(ctx, tx, now, d, "enterprise.change", name+" 申请变更企业信息，待审核", "/enterprises/changes", changeOccasion(id)); err != nil {
			return err
		}
	}
	return nil
}

// tellDecision settles the messages of change c in the inboxes of depts
// (the departments told of it, read before an approval moves the duties)
// and tells the enterprise the decision.
func tellDecision(ctx context.Context, tx *store.Tx, now time.Time, c *Change, depts []int64, approve bool, reason string) error {
	verdict := "已驳回: " + reason
	if approve {
		verdict = "已通过"
	}
	if err := inbox.Settle(ctx, tx, now, depts, changeOccasion(c.ID), c.Enterprise+" 申请变更企业信息，"+verdict); err != nil {
		return err
	}
	_, err := inbox.Send(ctx, tx, now, c.UnitID, "enterprise.change", "企业信息变更申请"+verdict, fmt.Sprintf("/enterprises/%d", c.UnitID),
		changeOccasion(c.ID)+":decided")
	return err
}
