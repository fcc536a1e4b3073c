package enforce

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"anwei/internal/apperr"
	"anwei/internal/audit"
	"anwei/internal/codes"
	"anwei/internal/org"
	"anwei/internal/store"
)

// Plan states: drafted by the department, approved by its head (someone
// other than the drafter), then published (公示) — which puts its 重点
// inspections into the year's schedule.
const (
	Draft     = "draft"
	Approved  = "approved"
	Published = "published"
)

// PlanStates are the states with their names.
var PlanStates = []codes.Choice{{Key: Draft, Name: "草稿"}, {Key: Approved, Name: "已审批"}, {Key: Published, Name: "已公示"}}

// PlanInput is a plan as the department drafts it.
type PlanInput struct {
	Year                 int     `json:"year"`
	Officers             int     `json:"officers"`
	OtherEnforcementDays int     `json:"other_enforcement_days"`
	NonEnforcementDays   int     `json:"non_enforcement_days"`
	TeamSize             int     `json:"team_size"`
	DaysPerInspection    float64 `json:"days_per_inspection"`
	// SamplePercent is the share of the 一般检查 pool (enterprises not
	// planned as 重点) drawn over the year by 双随机.
	SamplePercent float64 `json:"sample_percent"`
	FirstMonth    int     `json:"first_month"` // the month the plan starts (1–12)
	Note          string  `json:"note"`
}

// Plan is a department's annual inspection plan.
type Plan struct {
	ID     int64  `json:"id"`
	UnitID int64  `json:"unit_id"`
	Unit   string `json:"unit"`
	Region string `json:"region_code"`
	PlanInput
	State       string     `json:"state"`
	StateName   string     `json:"state_name"`
	DraftedBy   string     `json:"drafted_by"`
	ApprovedBy  string     `json:"approved_by"`
	ApprovedAt  *time.Time `json:"approved_at"`
	PublishedAt *time.Time `json:"published_at"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
	// Version names the draft as saved: an approval names the version
	// whose figures the head saw, and a draft saved since is not approved.
	Version string `json:"version"`
	// Figures are worked out from the registry while the plan is a draft,
	// and are the approved ones after.
	Figures Figures `json:"figures"`

	draftedBy int64
	stored    string
}

// staffing is the plan's arithmetic input.
func (in PlanInput) staffing() Staffing {
	return Staffing{Year: in.Year, Officers: in.Officers, OtherEnforcementDays: in.OtherEnforcementDays,
		NonEnforcementDays: in.NonEnforcementDays, TeamSize: in.TeamSize, DaysPerInspection: in.DaysPerInspection}
}

// Check names every field that cannot be (trimming the note).
func (in *PlanInput) Check() error {
	var c apperr.Checks
	c.If(in.Year < 2000 || in.Year > 2100, "year", "计划年度应为四位年份")
	c.If(in.Officers < MinOfficers || in.Officers > 10000, "officers", fmt.Sprintf("执法人员应为 %d–10000 名 (行政处罚法第四十二条: 至少两名)", MinOfficers))
	c.If(in.OtherEnforcementDays < 0 || in.OtherEnforcementDays > 10000000, "other_enforcement_days", "其他执法工作日应为不小于 0 的整数")
	c.If(in.NonEnforcementDays < 0 || in.NonEnforcementDays > 10000000, "non_enforcement_days", "非执法工作日应为不小于 0 的整数")
	c.If(in.TeamSize < MinOfficers || in.TeamSize > 20, "team_size", fmt.Sprintf("每组检查人数应为 %d–20 名", MinOfficers))
	c.If(!(in.DaysPerInspection > 0) || in.DaysPerInspection > 30, "days_per_inspection", "每次检查所需工作日应大于 0、不超过 30")
	c.If(!(in.SamplePercent >= 0) || in.SamplePercent > 100, "sample_percent", "抽查比例应在 0–100% 之间")
	c.If(in.FirstMonth < 1 || in.FirstMonth > 12, "first_month", "起始月份应为 1–12")
	if err := c.Take(apperr.Lengths(apperr.Text{Field: "note", Label: "说明", Max: Limits["note"], Value: in.Note})); err != nil {
		return err
	}
	return c.Err()
}

// versionOf names a draft by what it says and when it was saved (the
// clock may read the same for two saves).
func versionOf(in PlanInput, at time.Time) string {
	sum := sha256.Sum256(fmt.Appendf(nil, "%+v|%d", in, at.UnixMicro()))
	return hex.EncodeToString(sum[:8])
}

const planCols = `p.id, p.unit_id, u.name, p.region_code, p.year, p.officers, p.other_days, p.non_days, p.team_size,
	p.days_per_inspection, p.sample_percent, p.first_month, p.note, p.state, p.figures, p.drafted_by, COALESCE(d.display_name, ''),
	COALESCE(ap.display_name, ''), p.approved_at, p.published_at, p.created_at, p.updated_at`

var planFrom = ` FROM enforce_plans p JOIN ` + org.UnitsView + ` u ON u.id = p.unit_id
	LEFT JOIN ` + org.UsersView + ` d ON d.id = p.drafted_by LEFT JOIN ` + org.UsersView + ` ap ON ap.id = p.approved_by WHERE `

func scanPlan(r store.Scanner) (Plan, error) {
	var p Plan
	err := r.Scan(&p.ID, &p.UnitID, &p.Unit, &p.Region, &p.Year, &p.Officers, &p.OtherEnforcementDays, &p.NonEnforcementDays, &p.TeamSize,
		&p.DaysPerInspection, &p.SamplePercent, &p.FirstMonth, &p.Note, &p.State, &p.stored, &p.draftedBy, &p.DraftedBy,
		&p.ApprovedBy, &p.ApprovedAt, &p.PublishedAt, &p.CreatedAt, &p.UpdatedAt)
	p.StateName = codes.NameOf(PlanStates, p.State)
	p.Version = versionOf(p.PlanInput, p.UpdatedAt)
	return p, err
}

// GetPlan returns a plan the actor may see, with its figures.
func (s *Service) GetPlan(ctx context.Context, a *org.Actor, id int64) (Plan, error) {
	if err := a.Require(org.PermEnforceRead); err != nil {
		return Plan{}, err
	}
	w, args := ownWhere(a, "p.region_code", "p.unit_id")
	p, err := scanPlan(s.db.QueryRow(ctx, "SELECT "+planCols+planFrom+"p.id = ? AND "+w, append([]any{id}, args...)...))
	if store.NoRows(err) {
		return p, apperr.New(apperr.NotFound, "执法检查计划不存在或不在您的管辖范围内")
	}
	if err != nil {
		return p, err
	}
	return p, s.fill(ctx, &p)
}

// fill gives a plan its figures: the approved ones as stored, a draft's
// worked out now.
func (s *Service) fill(ctx context.Context, p *Plan) error {
	if p.State != Draft && p.stored != "" {
		return json.Unmarshal([]byte(p.stored), &p.Figures)
	}
	f, err := s.figures(ctx, s.db, p.UnitID, p.Region, p.PlanInput)
	p.Figures = f
	return err
}

// PlanFilter narrows the plans listed.
type PlanFilter struct {
	Year int `json:"year"`
}

// ListPlans lists the plans the actor may see (a department its own, the
// office its region's), newest year first; the figures are the stored
// ones (a draft's are worked out on its page).
func (s *Service) ListPlans(ctx context.Context, a *org.Actor, f PlanFilter) ([]Plan, error) {
	if err := a.Require(org.PermEnforceRead); err != nil {
		return nil, err
	}
	w, args := ownWhere(a, "p.region_code", "p.unit_id")
	if f.Year != 0 {
		w += " AND p.year = ?"
		args = append(args, f.Year)
	}
	rows, err := s.db.Query(ctx, "SELECT "+planCols+planFrom+w+" ORDER BY p.year DESC, u.name, p.id LIMIT 500", args...)
	out, err := store.Collect(rows, err, scanPlan)
	for i := range out {
		if out[i].stored != "" {
			_ = json.Unmarshal([]byte(out[i].stored), &out[i].Figures)
		}
	}
	return out, err
}

// SavePlan drafts the department's plan for a year, or changes its draft.
func (s *Service) SavePlan(ctx context.Context, a *org.Actor, in PlanInput) (int64, error) {
	if err := department(a, org.PermEnforcePlan); err != nil {
		return 0, err
	}
	if err := in.Check(); err != nil {
		return 0, err
	}
	if _, err := in.staffing().Plan(); err != nil {
		return 0, apperr.Field("non_enforcement_days", err.Error())
	}
	now := s.clock.Now()
	var id int64
	err := s.db.Tx(ctx, func(tx *store.Tx) error {
		var state string
		err := tx.QueryRow(ctx, "SELECT id, state FROM enforce_plans WHERE unit_id = ? AND year = ?", a.Unit.ID, in.Year).Scan(&id, &state)
		switch {
		case store.NoRows(err):
			id, err = tx.InsertID(ctx, `INSERT INTO enforce_plans (unit_id, region_code, year, officers, other_days, non_days, team_size,
				days_per_inspection, sample_percent, first_month, note, drafted_by, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, a.Unit.ID, a.Unit.Region, in.Year, in.Officers, in.OtherEnforcementDays,
				in.NonEnforcementDays, in.TeamSize, in.DaysPerInspection, in.SamplePercent, in.FirstMonth, in.Note, a.UserID, now, now)
			if store.IsUniqueViolation(err) {
				return apperr.New(apperr.Conflict, fmt.Sprintf("%d 年的计划刚由他人建立，请刷新后修改", in.Year))
			}
		case err != nil:
		case state != Draft:
			return apperr.New(apperr.Conflict, fmt.Sprintf("%d 年的计划已审批，不能再改", in.Year))
		default:
			_, err = tx.Exec(ctx, `UPDATE enforce_plans SET officers = ?, other_days = ?, non_days = ?, team_size = ?, days_per_inspection = ?,
				sample_percent = ?, first_month = ?, note = ?, drafted_by = ?, updated_at = ? WHERE id = ?`, in.Officers, in.OtherEnforcementDays,
				in.NonEnforcementDays, in.TeamSize, in.DaysPerInspection, in.SamplePercent, in.FirstMonth, in.Note, a.UserID, now, id)
		}
		if err != nil {
			return err
		}
		return audit.Append(ctx, tx, now, a.Who(), audit.Entry{Action: "enforce.plan.save", ObjectKind: "enforce_plan",
			ObjectID: fmt.Sprint(id), Region: a.Unit.Region, After: in})
	})
	return id, err
}

// ApprovePlan approves a draft: by the department's head, someone other
// than its drafter, only the version the head saw (a draft saved since is
// refused), and only a plan that fits its capacity. The figures are fixed
// as approved.
func (s *Service) ApprovePlan(ctx context.Context, a *org.Actor, id int64, version string) error {
	if err := department(a, org.PermEnforceApprove); err != nil {
		return err
	}
	if err := a.Require(org.PermEnforceRead); err != nil {
		return err
	}
	now := s.clock.Now()
	return s.db.Tx(ctx, func(tx *store.Tx) error {
		// The department's own row, held while it is read and approved:
		// a save waits, and the version checked is the one approved.
		if _, err := tx.Exec(ctx, "UPDATE enforce_plans SET state = state WHERE id = ? AND unit_id = ?", id, a.Unit.ID); err != nil {
			return err
		}
		w, args := ownWhere(a, "p.region_code", "p.unit_id")
		p, err := scanPlan(tx.QueryRow(ctx, "SELECT "+planCols+planFrom+"p.id = ? AND "+w, append([]any{id}, args...)...))
		if store.NoRows(err) || (err == nil && p.UnitID != a.Unit.ID) {
			return apperr.New(apperr.NotFound, "执法检查计划不存在或不在您的管辖范围内")
		}
		if err != nil {
			return err
		}
		switch {
		case p.State != Draft:
			return apperr.New(apperr.Conflict, "计划已审批")
		case p.draftedBy == a.UserID:
			return apperr.New(apperr.Forbidden, "计划须由起草人以外的负责人审批")
		case version != p.Version:
			return apperr.New(apperr.Conflict, "计划在您打开之后又被修改过，请查看新的测算后再审批")
		}
		if p.Figures, err = s.figures(ctx, tx, p.UnitID, p.Region, p.PlanInput); err != nil {
			return err
		}
		if !p.Figures.Fits {
			return apperr.New(apperr.Conflict, "计划排不下，不能审批: "+p.Figures.Verdict)
		}
		raw, _ := json.Marshal(p.Figures)
		if _, err := tx.Exec(ctx, "UPDATE enforce_plans SET state = ?, figures = ?, approved_by = ?, approved_at = ?, updated_at = ? WHERE id = ?",
			Approved, string(raw), a.UserID, now, now, id); err != nil {
			return err
		}
		return audit.Append(ctx, tx, now, a.Who(), audit.Entry{Action: "enforce.plan.approve", ObjectKind: "enforce_plan",
			ObjectID: fmt.Sprint(id), Region: p.Region, After: map[string]any{"capacity": p.Figures.Capacity.Inspections, "demand": p.Figures.Demand,
				"key_enterprises": p.Figures.KeyEnterprises, "key_inspections": p.Figures.KeyInspections, "sampled": p.Figures.Sampled,
				"fits": p.Figures.Fits}})
	})
}

// PublishPlan publishes (公示) an approved plan and schedules its 重点
// inspections: each 重点 enterprise's count, within its cap, spread over
// the months from the plan's first.
func (s *Service) PublishPlan(ctx context.Context, a *org.Actor, id int64) error {
	if err := department(a, org.PermEnforcePlan); err != nil {
		return err
	}
	p, err := s.GetPlan(ctx, a, id)
	if err != nil {
		return err
	}
	switch {
	case p.UnitID != a.Unit.ID:
		return apperr.New(apperr.NotFound, "执法检查计划不存在或不在您的管辖范围内")
	case p.State != Approved:
		return apperr.New(apperr.Conflict, "只有已审批的计划可以公示")
	}
	now := s.clock.Now()
	return s.db.Tx(ctx, func(tx *store.Tx) error {
		res, err := tx.Exec(ctx, "UPDATE enforce_plans SET state = ?, published_at = ?, updated_at = ? WHERE id = ? AND state = ?",
			Published, now, now, id, Approved)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return apperr.New(apperr.Conflict, "计划已公示")
		}
		// The schedule is the approved one; each inspection is counted
		// against its enterprise's cap as the counts stand now (a draw or
		// another department may have used some of it since).
		n, short := 0, 0
		for _, k := range p.Figures.Key {
			for _, m := range k.Months { // none when the table had no cap for it
				ok, err := take(ctx, tx, k.EnterpriseID, p.Year, Routine, k.Cap)
				if err != nil {
					return err
				}
				if !ok {
					short++
					continue
				}
				if _, err := tx.Exec(ctx, `INSERT INTO enforce_inspections (unit_id, enterprise_id, region_code, year, month, kind, basis,
					plan_id, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
					p.UnitID, k.EnterpriseID, k.Region, p.Year, m, Routine, BasisPlan, p.ID, a.UserID, now); err != nil {
					return err
				}
				n++
			}
		}
		return audit.Append(ctx, tx, now, a.Who(), audit.Entry{Action: "enforce.plan.publish", ObjectKind: "enforce_plan",
			ObjectID: fmt.Sprint(id), Region: p.Region, After: map[string]int{"key_inspections": n, "over_cap": short}})
	})
}
