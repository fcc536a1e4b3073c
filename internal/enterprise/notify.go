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
// (issue 14.3). The request is a to-do in their 待办 (no rule sets a time
// for it), which the decision settles; TodoStates shows it as it is now.

// changeOccasion names a change request in the inbox.
func changeOccasion(id int64) string { return fmt.Sprintf("enterprise.change:%d", id) }

// tellChange tells the supervising departments of a request's enterprise
// that change request id awaits them, in one statement.
func tellChange(ctx context.Context, tx *store.Tx, now time.Time, id int64, name string) error {
	_, err := inbox.AskTo(ctx, tx, now, "enterprise.change", name+" 申请变更企业信息，待审核", "/enterprises/changes", changeOccasion(id), "",
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
	err := inbox.Send(ctx, tx, now, c.UnitID, "enterprise.change", "企业信息变更申请"+verdict, fmt.Sprintf("/enterprises/%d", c.UnitID),
		changeOccasion(c.ID)+":decided")
	return err
}

// changeStates are a change request's statuses in a to-do.
var changeStates = map[string]string{"pending": "待审核", "approved": "已通过", "rejected": "已驳回"}

// TodoStates is the live state of the change requests of to-dos
// (inbox.Resolver, declared in app's wiring), in one query.
func (s *Service) TodoStates(ctx context.Context, _ string, occasions []string) (map[string]string, error) {
	out := map[string]string{}
	ids, by := inbox.OccasionIDs("enterprise.change:", occasions)
	if len(ids) == 0 {
		return out, nil
	}
	in, args := store.InIDs("id", ids)
	rows, err := s.db.Query(ctx, "SELECT id, status FROM enterprise_changes WHERE "+in, args...)
	err = store.Each(rows, err, func(r store.Scanner) error {
		var id int64
		var st string
		if err := r.Scan(&id, &st); err != nil {
			return err
		}
		for _, o := range by[id] {
			out[o] = "变更申请" + changeStates[st]
		}
		return nil
	})
	return out, err
}
