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

// tellChange tells the supervising departments of a request's enterprise
// that change request id awaits them, in one statement.
func tellChange(ctx context.Context, tx *store.Tx, now time.Time, id int64, name string) error {
	_, err := inbox.SendTo(ctx, tx, now, "enterprise.change", name+" 申请变更企业信息，待审核", "/enterprises/changes", changeOccasion(id),
		"SELECT sv.dept_id AS unit_id FROM "+org.SupervisionsView+" sv JOIN enterprise_changes c ON c.unit_id = sv.enterprise_id WHERE c.id = ?", id)
	return err
}

// tellDecision settles the messages of change c in every inbox it reached
// (also of a department whose duty the approval just moved) and tells the
// enterprise the decision.
func tellDecision(ctx context.Context, tx *store.Tx, now time.Time, c *Change, approve bool, reason string) error {
	verdict := "已驳回: " + reason
	if approve {
		verdict = "已通过"
	}
	if err := inbox.Settle(ctx, tx, now, changeOccasion(c.ID), c.Enterprise+" 申请变更企业信息，"+verdict); err != nil {
		return err
	}
	_, err := inbox.Send(ctx, tx, now, c.UnitID, "enterprise.change", "企业信息变更申请"+verdict, fmt.Sprintf("/enterprises/%d", c.UnitID),
		changeOccasion(c.ID)+":decided")
	return err
}
