package plan

import (
	"context"
	"fmt"

	"anwei/internal/inbox"
	"anwei/internal/store"
)

// A plan's hand-overs are to-dos in the 待办 of the unit that acts next
// (issue 16.1), each settled by the step that deals with it:
//   - a duty past its date (sweep.go): the unit's 待办, due by the duty's
//     date, until it completes it (CompleteInstance); the office is told
//     of the day's new overdue duties (a plain message);
//   - a 提醒函 or other notice (notice.go): the addressee's 待办, due by
//     its answer date, until it replies (AnswerNotice);
//   - a lead unit's consolidated report (progress.go): the office's 待办,
//     until it accepts or returns it (DecideReport), which tells the unit.
// TodoStates shows each item's object as it is now.

func overdueOccasion(id int64) string { return fmt.Sprintf("plan.overdue:%d", id) }
func noticeOccasion(id int64) string  { return fmt.Sprintf("plan.notice:%d", id) }
func reportOccasion(id int64) string  { return fmt.Sprintf("plan.report:%d", id) }

var reportStates = map[string]string{ReportSubmitted: "待审核", ReportAccepted: "已通过", ReportReturned: "已退回"}

// TodoStates is the live state of the duties, notices and reports of
// to-dos (inbox.Resolver, declared in app's wiring), one query per kind.
func (s *Service) TodoStates(ctx context.Context, today string, occasions []string) (map[string]string, error) {
	out := map[string]string{}
	each := func(prefix, q string, state func(r store.Scanner) (int64, string, error)) error {
		ids, by := inbox.OccasionIDs(prefix, occasions)
		if len(ids) == 0 {
			return nil
		}
		in, args := store.InIDs("id", ids)
		rows, err := s.db.Query(ctx, q+" WHERE "+in, args...)
		return store.Each(rows, err, func(r store.Scanner) error {
			id, st, err := state(r)
			for _, o := range by[id] {
				out[o] = st
			}
			return err
		})
	}
	err := each("plan.overdue:", "SELECT id, due_on, done_on FROM plan_instances", func(r store.Scanner) (int64, string, error) {
		var id int64
		var due string
		var done *string
		err := r.Scan(&id, &due, &done)
		if done != nil && *done != "" {
			return id, "任务已于 " + *done + " 完成", err
		}
		return id, fmt.Sprintf("任务未完成，逾期 %d 天", inbox.DaysPast(today, due)), err
	})
	if err == nil {
		err = each("plan.notice:", "SELECT id, doc_number, answer_by, answered_at IS NOT NULL FROM plan_notices", func(r store.Scanner) (int64, string, error) {
			var id int64
			var number, by string
			var answered bool
			err := r.Scan(&id, &number, &by, &answered)
			switch {
			case answered:
				return id, number + " 已回复", err
			case by < today:
				return id, fmt.Sprintf("%s 未回复，逾期 %d 天", number, inbox.DaysPast(today, by)), err
			}
			return id, number + " 待回复", err
		})
	}
	if err == nil {
		err = each("plan.report:", "SELECT id, status FROM plan_reports", func(r store.Scanner) (int64, string, error) {
			var id int64
			var st string
			err := r.Scan(&id, &st)
			return id, "汇总报告" + reportStates[st], err
		})
	}
	return out, err
}
