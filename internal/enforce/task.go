package enforce

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"anwei/internal/apperr"
	"anwei/internal/audit"
	"anwei/internal/calendar"
	"anwei/internal/codes"
	"anwei/internal/inbox"
	"anwei/internal/org"
	"anwei/internal/store"
)

// The states of an inspection, in order (国办发〔2024〕54号: every
// inspection approved and notified, every entry traced).
const (
	StatePlanned   = "planned"    // 待审批: planned or recorded, officers and window to set
	StateApproved  = "approved"   // 已批准: the head approved it, the 任务通知书 went to the enterprise
	StateCheckedIn = "checked_in" // 已扫码入企
	StateStarted   = "started"    // 检查中
	StateClosed    = "closed"     // 已完成: the 现场检查记录 signed
)

// States are the states with their names.
var States = []codes.Choice{{Key: StatePlanned, Name: "待审批"}, {Key: StateApproved, Name: "已批准待检查"},
	{Key: StateCheckedIn, Name: "已扫码入企"}, {Key: StateStarted, Name: "检查中"}, {Key: StateClosed, Name: "已完成"}}

// TaskInput is what a department's planner sets on a task before the head
// approves it: at least two certified officers (行政处罚法 Art. 42) and the
// date window it is to be done in.
type TaskInput struct {
	Officers []int64 `json:"officers"`
	From     string  `json:"from"` // YYYY-MM-DD
	To       string  `json:"to"`
	Note     string  `json:"note"`
}

// Check is the task's own faults, every field at once.
func (in *TaskInput) Check(today string) error {
	in.Note = strings.TrimSpace(in.Note)
	var c apperr.Checks
	seen := map[int64]bool{}
	var ids []int64
	for _, o := range in.Officers {
		if o != 0 && !seen[o] {
			seen[o] = true
			ids = append(ids, o)
		}
	}
	in.Officers = ids
	c.If(len(ids) < 2, "officers", "执法检查须有两名以上持证执法人员 (行政处罚法第四十二条)")
	c.If(len(ids) > 6, "officers", "一个检查组最多 6 名执法人员")
	from, errF := time.Parse("2006-01-02", in.From)
	to, errT := time.Parse("2006-01-02", in.To)
	switch {
	case errF != nil:
		c.Add("from", "请填写检查开始日期 (年-月-日)")
	case in.From < today:
		c.Add("from", fmt.Sprintf("检查开始日期不能早于今天 (%s)", today))
	}
	switch {
	case errT != nil:
		c.Add("to", "请填写检查截止日期 (年-月-日)")
	case errF == nil && to.Before(from):
		c.Add("to", "截止日期不能早于开始日期")
	case errF == nil && to.Sub(from) > 92*24*time.Hour:
		c.Add("to", "检查时间窗最长三个月")
	}
	c.If(len([]rune(in.Note)) > maxNote, "note", fmt.Sprintf("备注最多 %d 字", maxNote))
	return c.Err()
}

// officersOf reads an inspection's officer ids.
func officersOf(list string) []int64 {
	var out []int64
	for _, f := range strings.Split(list, ",") {
		if id, err := strconv.ParseInt(strings.TrimSpace(f), 10, 64); err == nil {
			out = append(out, id)
		}
	}
	return out
}

func joinIDs(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ",")
}

// task reads an inspection of the actor's department for a write, locked
// in tx (a row touch: two writers take turns).
func task(ctx context.Context, tx *store.Tx, a *org.Actor, id int64) (Inspection, error) {
	i, err := readTask(ctx, tx, a, id)
	if err != nil {
		return i, err
	}
	// The department's own row only, then locked (a touch: two writers
	// take turns) and read again as it is now.
	if _, err := tx.Exec(ctx, "UPDATE enforce_inspections SET state = state WHERE id = ? AND unit_id = ?", id, a.Unit.ID); err != nil {
		return i, err
	}
	return readTask(ctx, tx, a, id)
}

// readTask reads an inspection of the actor's department.
func readTask(ctx context.Context, q querier, a *org.Actor, id int64) (Inspection, error) {
	var i Inspection
	err := q.QueryRow(ctx, `SELECT i.id, i.unit_id, i.enterprise_id, e.name, i.region_code, i.year, i.month, i.kind, i.basis, i.officers, i.note,
		i.state, i.due_from, i.due_to, COALESCE(i.approved_by, 0), COALESCE(i.of_inspection, 0), i.created_by, i.draw_id
		FROM enforce_inspections i JOIN `+enterpriseNames+` e ON e.unit_id = i.enterprise_id WHERE i.id = ?`, id).
		Scan(&i.ID, &i.UnitID, &i.EnterpriseID, &i.Enterprise, &i.Region, &i.Year, &i.Month, &i.Kind, &i.Basis, &i.Officers, &i.Note,
			&i.State, &i.DueFrom, &i.DueTo, &i.ApprovedBy, &i.OfInspection, &i.CreatedBy, &i.DrawID)
	if store.NoRows(err) || (err == nil && i.UnitID != a.Unit.ID) {
		return i, apperr.New(apperr.NotFound, "检查任务不存在或不属于本部门")
	}
	i.BasisName, i.StateName = codes.NameOf(Bases, i.Basis), codes.NameOf(States, i.State)
	return i, err
}

// inState refuses a step on an inspection in another state, naming both.
func inState(i Inspection, want ...string) error {
	if slices.Contains(want, i.State) {
		return nil
	}
	var names []string
	for _, w := range want {
		names = append(names, codes.NameOf(States, w))
	}
	return apperr.New(apperr.Conflict, fmt.Sprintf("检查任务当前为「%s」，此操作只适用于「%s」的任务", i.StateName, strings.Join(names, "」或「")))
}

// SetTask sets the officers and the window of a task awaiting approval.
// The officers must be in the department's 名录库 with a valid 执法证 on
// the first day and no declared conflict with the enterprise.
func (s *Service) SetTask(ctx context.Context, a *org.Actor, id int64, in TaskInput) error {
	if err := department(a, org.PermEnforcePlan); err != nil {
		return err
	}
	now := s.clock.Now()
	if err := in.Check(calendar.Local(now).Format("2006-01-02")); err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *store.Tx) error {
		i, err := task(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if err := inState(i, StatePlanned); err != nil {
			return err
		}
		if in.From[:4] != strconv.Itoa(i.Year) || in.To[:4] != strconv.Itoa(i.Year) {
			return apperr.Field("from", fmt.Sprintf("检查时间窗应在本任务的年度 (%d 年) 内", i.Year))
		}
		if err := checkTeam(ctx, tx, a.Unit.ID, i.EnterpriseID, in.Officers, in.From); err != nil {
			return err
		}
		note := i.Note
		if in.Note != "" {
			note = in.Note
		}
		month, _ := strconv.Atoi(in.From[5:7])
		if _, err := tx.Exec(ctx, "UPDATE enforce_inspections SET officers = ?, due_from = ?, due_to = ?, note = ?, month = ? WHERE id = ?",
			joinIDs(in.Officers), in.From, in.To, note, month, id); err != nil {
			return err
		}
		return audit.Append(ctx, tx, now, a.Who(), audit.Entry{Action: "enforce.task.set", ObjectKind: "enforce_inspection", ObjectID: fmt.Sprint(id),
			Region: i.Region, Before: map[string]any{"officers": i.Officers, "due_from": i.DueFrom, "due_to": i.DueTo},
			After: map[string]any{"officers": joinIDs(in.Officers), "from": in.From, "to": in.To, "note": note}})
	})
}

// checkTeam refuses a team with an officer who is not in the department's
// 名录库, whose 执法证 has lapsed by day, or who declared a conflict with
// the enterprise — naming them.
func checkTeam(ctx context.Context, q querier, dept, enterpriseID int64, ids []int64, day string) error {
	var bad []string
	for _, id := range ids {
		var name, expires string
		var active bool
		var conflicts int
		err := q.QueryRow(ctx, `SELECT u.display_name, o.cert_expires, o.active,
			(SELECT COUNT(*) FROM enforce_conflicts c WHERE c.officer_id = o.user_id AND c.enterprise_id = ?)
			FROM enforce_officers o JOIN `+org.UsersView+` u ON u.id = o.user_id WHERE o.user_id = ? AND o.unit_id = ?`, enterpriseID, id, dept).
			Scan(&name, &expires, &active, &conflicts)
		switch {
		case store.NoRows(err):
			bad = append(bad, fmt.Sprintf("%d 不在本部门执法人员名录库中", id))
		case err != nil:
			return err
		case !active:
			bad = append(bad, name+" 已停用")
		case expires != "" && expires < day:
			bad = append(bad, name+" 的执法证已于 "+expires+" 到期")
		case conflicts > 0:
			bad = append(bad, name+" 已申报与该企业存在利害关系，应当回避")
		}
	}
	if len(bad) > 0 {
		return apperr.Field("officers", strings.Join(bad, "；"))
	}
	return nil
}

// ApproveTask is the head's approval of a task (行政检查审批): it is
// numbered and the 执法检查通知书 goes to the enterprise — the inspection,
// its window, the officers, the year's cap and its right to ask for
// recusal — and the officers find it in their 待办. A head on the team
// does not approve his own inspection.
func (s *Service) ApproveTask(ctx context.Context, a *org.Actor, id int64) error {
	if err := department(a, org.PermEnforceApprove); err != nil {
		return err
	}
	now := s.clock.Now()
	caps, _, err := s.CapsFor(ctx, s.db, a.Unit.Region)
	if err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *store.Tx) error {
		i, err := task(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if err := inState(i, StatePlanned); err != nil {
			return err
		}
		team := officersOf(i.Officers)
		var c apperr.Checks
		c.If(len(team) < 2, "officers", "请先指派两名以上执法人员")
		c.If(i.DueFrom == "" || i.DueTo == "", "from", "请先确定检查时间窗")
		c.If(slices.Contains(team, a.UserID), "officers", "检查组成员不能审批本组的检查任务")
		if err := c.Err(); err != nil {
			return err
		}
		if err := checkTeam(ctx, tx, a.Unit.ID, i.EnterpriseID, team, i.DueFrom); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE enforce_inspections SET state = ?, approved_by = ?, approved_at = ? WHERE id = ?",
			StateApproved, a.UserID, now, id); err != nil {
			return err
		}
		i.State, i.ApprovedBy = StateApproved, a.UserID
		w, err := s.issueNotice(ctx, tx, now, a, i, caps)
		if err != nil {
			return err
		}
		link := fmt.Sprintf("/enforce/inspections/%d", id)
		if err := inbox.Send(ctx, tx, now, i.EnterpriseID, "enforce.notice", fmt.Sprintf("%s 将于 %s 至 %s 对本单位进行执法检查 (%s)",
			a.Unit.Name, i.DueFrom, i.DueTo, w.Number), link, fmt.Sprintf("enforce:%d:notice", id)); err != nil {
			return err
		}
		for _, o := range team {
			if err := inbox.AskUser(ctx, tx, now, a.Unit.ID, o, "enforce.task", fmt.Sprintf("执法检查任务: %s (%s 至 %s)", i.Enterprise, i.DueFrom, i.DueTo),
				link, fmt.Sprintf("enforce:%d:task:%d", id, o), i.DueTo); err != nil {
				return err
			}
		}
		return audit.Append(ctx, tx, now, a.Who(), audit.Entry{Action: "enforce.task.approve", ObjectKind: "enforce_inspection", ObjectID: fmt.Sprint(id),
			Region: i.Region, Before: map[string]any{"state": StatePlanned}, After: map[string]any{"state": StateApproved, "notice": w.Number}})
	})
}

// CheckIn is 扫码入企: an officer of an approved task scans the
// enterprise's code on arrival, within the task's window. The code names
// the enterprise (CheckinToken); the task is the officer's.
func (s *Service) CheckIn(ctx context.Context, a *org.Actor, token string) (int64, error) {
	if err := a.Require(org.PermEnforceInspect); err != nil {
		return 0, err
	}
	ent, err := s.tokenEnterprise(ctx, token)
	if err != nil {
		return 0, err
	}
	now := s.clock.Now()
	today := calendar.Local(now).Format("2006-01-02")
	var id int64
	err = s.db.TxGroup(ctx, func(tx *store.Tx) error {
		id = 0 // a group run again runs this again
		rows, err := tx.Query(ctx, `SELECT id, officers, state, due_from, due_to FROM enforce_inspections
			WHERE enterprise_id = ? AND unit_id = ? AND state IN ('approved', 'checked_in', 'started') ORDER BY due_from, id`, ent, a.Unit.ID)
		type cand struct {
			id              int64
			officers, state string
			from, to        string
		}
		cs, err := store.Collect(rows, err, func(r store.Scanner) (cand, error) {
			var c cand
			return c, r.Scan(&c.id, &c.officers, &c.state, &c.from, &c.to)
		})
		if err != nil {
			return err
		}
		var windows []string
		for _, c := range cs {
			if !slices.Contains(officersOf(c.officers), a.UserID) {
				continue
			}
			if c.state != StateApproved { // already in: the scan opens it again
				id = c.id
				return nil
			}
			if today < c.from || today > c.to {
				windows = append(windows, c.from+" 至 "+c.to)
				continue
			}
			id = c.id
			break
		}
		if id == 0 {
			if len(windows) > 0 {
				return apperr.New(apperr.Conflict, "今天不在检查任务的时间窗内 ("+strings.Join(windows, "，")+")")
			}
			return apperr.New(apperr.NotFound, "您没有对该企业的已批准检查任务 (检查须先经审批并通知企业)")
		}
		if err := checkTeam(ctx, tx, a.Unit.ID, ent, []int64{a.UserID}, today); err != nil {
			return err // a lapsed 执法证 or a conflict declared since the approval
		}
		res, err := tx.Exec(ctx, "UPDATE enforce_inspections SET state = ?, checkin_at = ?, checkin_by = ? WHERE id = ? AND state = ?",
			StateCheckedIn, now, a.UserID, id, StateApproved)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return apperr.New(apperr.Conflict, "该检查任务已由检查组其他成员扫码入企，请刷新")
		}
		return audit.Append(ctx, tx, now, a.Who(), audit.Entry{Action: "enforce.checkin", ObjectKind: "enforce_inspection", ObjectID: fmt.Sprint(id),
			Region: a.Unit.Region, Before: map[string]any{"state": StateApproved}, After: map[string]any{"state": StateCheckedIn}})
	})
	return id, err
}

// StartInput is where the officer stood when starting, if the browser
// said (navigator.geolocation); nil when it did not.
type StartInput struct {
	Lat *float64 `json:"lat"`
	Lon *float64 `json:"lon"`
}

// Start begins the on-site inspection after the check-in: its time and,
// when given, its position are recorded.
func (s *Service) Start(ctx context.Context, a *org.Actor, id int64, in StartInput) error {
	if in.Lat != nil && (*in.Lat < -90 || *in.Lat > 90) || in.Lon != nil && (*in.Lon < -180 || *in.Lon > 180) {
		return apperr.Field("lat", "位置坐标无效")
	}
	return s.onSite(ctx, a, id, []string{StateCheckedIn}, func(tx *store.Tx, i Inspection, now time.Time) error {
		if _, err := tx.Exec(ctx, "UPDATE enforce_inspections SET state = ?, started_at = ?, lat = ?, lon = ? WHERE id = ?",
			StateStarted, now, in.Lat, in.Lon, id); err != nil {
			return err
		}
		return audit.Append(ctx, tx, now, a.Who(), audit.Entry{Action: "enforce.start", ObjectKind: "enforce_inspection", ObjectID: fmt.Sprint(id),
			Region: i.Region, Before: map[string]any{"state": i.State}, After: map[string]any{"state": StateStarted, "lat": in.Lat, "lon": in.Lon}})
	})
}

// onSite runs a step of an officer of the inspection's team on an
// inspection in one of the states, in one transaction.
func (s *Service) onSite(ctx context.Context, a *org.Actor, id int64, states []string, f func(tx *store.Tx, i Inspection, now time.Time) error) error {
	if err := a.Require(org.PermEnforceInspect); err != nil {
		return err
	}
	now := s.clock.Now()
	// Officers on site write one small step at a time: their transactions
	// are committed together (group commit), one flush for many.
	return s.db.TxGroup(ctx, func(tx *store.Tx) error {
		i, err := task(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if err := onTeam(i, a, states); err != nil {
			return err
		}
		return f(tx, i, now)
	})
}

// onTeam refuses an actor not on the inspection's team, or a step in
// another state.
func onTeam(i Inspection, a *org.Actor, states []string) error {
	if !slices.Contains(officersOf(i.Officers), a.UserID) {
		return apperr.New(apperr.Forbidden, "只有检查组的执法人员可以进行现场检查")
	}
	return inState(i, states...)
}

// mayWork is onSite's check without a write, before a file is stored: the
// actor's department's inspection, the actor on its team, in a state the
// step takes.
func (s *Service) mayWork(ctx context.Context, a *org.Actor, id int64, states ...string) error {
	if err := a.Require(org.PermEnforceInspect); err != nil {
		return err
	}
	i, err := readTask(ctx, s.db, a, id)
	if err != nil {
		return err
	}
	return onTeam(i, a, states)
}
