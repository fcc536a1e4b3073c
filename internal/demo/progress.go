package demo

import (
	"context"
	"fmt"
	"time"

	"anwei/internal/calendar"
	"anwei/internal/org"
	"anwei/internal/paging"
	"anwei/internal/plan"
)

// progress gives the demo plan a realistic state: the units have done every
// duty already due but one, which stays overdue and gets a 提醒函; a few
// units have reported progress, and one lead unit's consolidated report was
// accepted while another waits for the office. The work is recorded as the
// units' own (staff: an actor named "<unit>（演示数据）" in the role of its
// kind of unit), so the audit log shows it.
func progress(ctx context.Context, orgs *org.Service, plans *plan.Service, office *org.Actor, planID int64) error {
	var due []plan.InstanceRow
	for off := 0; ; off += paging.Max {
		page, total, err := plans.ListInstances(ctx, org.System, plan.InstanceFilter{PlanID: planID, Status: plan.StatusOverdue, Page: paging.Page{Offset: off, Limit: paging.Max}})
		if err != nil {
			return err
		}
		due = append(due, page...)
		if off+paging.Max >= total {
			break
		}
	}
	people, err := newStaff(ctx, orgs)
	if err != nil {
		return err
	}
	unitActor := func(id int64) (*org.Actor, error) { return people.of(ctx, id) }
	// Keep the latest-due duty of a unit other than the office overdue.
	keep := int64(0)
	for i := len(due) - 1; i >= 0 && keep == 0; i-- {
		if due[i].UnitID != office.Unit.ID {
			keep = due[i].ID
		}
	}
	// Each duty is done at the time it would have been: most a few days
	// before the deadline, one in seven three days late; never after now.
	now := plans.Now()
	for i, d := range due {
		if d.ID == keep {
			continue
		}
		a, err := unitActor(d.UnitID)
		if err != nil {
			return err
		}
		ev := fmt.Sprintf("已按要求完成（%s），相关记录存档备查。", d.Label)
		if i%3 == 0 {
			ev = fmt.Sprintf("%s 已组织开展，形成会议纪要和检查记录。", d.Label)
		}
		at, err := time.ParseInLocation("2006-01-02 15:04", d.Due+" 16:30", calendar.Shanghai)
		if err != nil {
			return err
		}
		at = at.AddDate(0, 0, -(i % 4))
		if i%7 == 3 {
			at = at.AddDate(0, 0, 3+i%4)
		}
		if at.After(now) {
			at = now
		}
		if err := plans.WithClock(calendar.NewFixed(at)).CompleteInstance(ctx, a, d.ID, ev); err != nil {
			return fmt.Errorf("完成 %s %s: %w", d.ItemRef, d.Label, err)
		}
	}
	if err := reports(ctx, plans, office, planID, unitActor); err != nil {
		return err
	}
	if keep != 0 {
		answer := calendar.Local(plans.Now().Add(7 * 24 * time.Hour)).Format("2006-01-02")
		if _, err := plans.IssueNotices(ctx, office, plan.NoticeInput{Kind: plan.NoticeReminder, InstanceIDs: []int64{keep}, AnswerBy: answer}); err != nil {
			return fmt.Errorf("提醒函: %w", err)
		}
	}
	return nil
}

// reports files progress on the first tasks with both lead and support
// units, each step by its unit on its day: the support unit's input, the
// lead's consolidated report; the office accepts the first, returns the
// second with its reason and leaves the third waiting.
func reports(ctx context.Context, plans *plan.Service, office *org.Actor, planID int64, unitActor func(int64) (*org.Actor, error)) error {
	as, _, err := plans.ListAssignments(ctx, org.System, plan.AssignmentFilter{PlanID: planID, Page: paging.Page{Limit: 500}})
	if err != nil {
		return err
	}
	lead, support := map[int64]int64{}, map[int64]int64{}
	var order []int64
	for _, x := range as {
		if x.Role == "lead" && lead[x.TaskID] == 0 && x.UnitID != office.Unit.ID {
			lead[x.TaskID] = x.UnitID
			order = append(order, x.TaskID)
		}
		if x.Role == "support" && support[x.TaskID] == 0 {
			support[x.TaskID] = x.UnitID
		}
	}
	now := plans.Now()
	on := func(days int) *plan.Service {
		return plans.WithClock(calendar.NewFixed(officeHours(now, days)))
	}
	filed := []struct {
		days           int // when the support unit reported, before today
		progress, lead string
	}{
		{40, "已按分工开展辖区排查，发现问题 6 处，已整改 5 处，1 处正在整改。",
			"牵头汇总: 各配合单位已报送进展，累计排查问题 23 处，整改 21 处，其余 2 处已明确整改时限和责任人。"},
		{18, "本单位已完成行业领域自查，检查企业 14 家，督促整改问题 9 项。",
			"牵头汇总: 已组织成员单位联合检查 3 次，检查企业 41 家，发现问题 37 项，已整改 30 项。"},
		{4, "配合开展专项整治，已出动检查人员 26 人次，检查点位 18 处，问题均已交办。",
			"牵头汇总: 专项整治已完成阶段任务，共排查问题 52 项，整改 47 项，5 项正在整改，下阶段将开展“回头看”。"},
	}
	done := 0
	for _, task := range order {
		if support[task] == 0 || done == len(filed) {
			continue
		}
		f := filed[done]
		sa, err := unitActor(support[task])
		if err != nil {
			return err
		}
		if _, err := on(-f.days).SubmitReport(ctx, sa, task, plan.KindProgress, f.progress, nil); err != nil {
			return err
		}
		la, err := unitActor(lead[task])
		if err != nil {
			return err
		}
		id, err := on(-f.days+2).SubmitReport(ctx, la, task, plan.KindConsolidated, f.lead, nil)
		if err != nil {
			return err
		}
		switch done {
		case 0:
			err = on(-f.days+5).DecideReport(ctx, office, id, true, "")
		case 1:
			err = on(-f.days+5).DecideReport(ctx, office, id, false, "汇总报告未附各配合单位的检查记录，整改未完成问题未明确时限，请补充后重新报送")
		}
		if err != nil {
			return err
		}
		done++
	}
	return nil
}
