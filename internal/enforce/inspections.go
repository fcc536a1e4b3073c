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
	"anwei/internal/enterprise"
	"anwei/internal/org"
	"anwei/internal/paging"
	"anwei/internal/store"
)

// Bases of an inspection: the routine ones count against the cap, 督导检查
// against its own, those of a case are exempt (国办发〔2024〕54号,
// 应急〔2025〕11号).
const (
	BasisPlan        = "plan"
	BasisDraw        = "draw"
	BasisSupervisory = "supervisory"
	BasisTip         = "tip"
	BasisComplaint   = "complaint"
	BasisReferral    = "referral"
	BasisAccident    = "accident"
	BasisRecheck     = "recheck"
)

// Bases are the bases with their names.
var Bases = []codes.Choice{{Key: BasisPlan, Name: "年度计划 (重点检查)"}, {Key: BasisDraw, Name: "双随机抽查"},
	{Key: BasisSupervisory, Name: "督导检查"}, {Key: BasisTip, Name: "举报核查"}, {Key: BasisComplaint, Name: "投诉核查"},
	{Key: BasisReferral, Name: "转办交办"}, {Key: BasisAccident, Name: "事故调查"}, {Key: BasisRecheck, Name: "整改复查"}}

// CaseBases are the bases of a 个案检查.
var CaseBases = []string{BasisTip, BasisComplaint, BasisReferral, BasisAccident, BasisRecheck}

// KindOf is the kind an inspection of a basis is.
func KindOf(basis string) string {
	switch {
	case slices.Contains(CaseBases, basis):
		return Case
	case basis == BasisSupervisory:
		return Supervisory
	}
	return Routine
}

// Inspection is an inspection of an enterprise, planned or recorded.
type Inspection struct {
	ID           int64     `json:"id"`
	UnitID       int64     `json:"unit_id"`
	Unit         string    `json:"unit"`
	EnterpriseID int64     `json:"enterprise_id"`
	Enterprise   string    `json:"enterprise"`
	Region       string    `json:"region_code"`
	Year         int       `json:"year"`
	Month        int       `json:"month"`
	Kind         string    `json:"kind"`
	Basis        string    `json:"basis"`
	BasisName    string    `json:"basis_name"`
	DrawID       *int64    `json:"draw_id"`
	Officers     string    `json:"officers"`      // officer ids, comma-separated
	OfficerNames []string  `json:"officer_names"` // their names, in that order
	Note         string    `json:"note"`
	State        string    `json:"state"`
	CreatedAt    time.Time `json:"created_at"`
	// Frequent: the enterprise's case inspections this year reached the
	// count the cap table flags.
	Frequent bool `json:"frequent"`
	// Part 2: the task's window, state name, approval and re-check link.
	DueFrom      string `json:"due_from"`
	DueTo        string `json:"due_to"`
	StateName    string `json:"state_name"`
	ApprovedBy   int64  `json:"approved_by,omitempty"`
	OfInspection int64  `json:"of_inspection,omitempty"` // a re-check: the inspection it re-checks
	CreatedBy    int64  `json:"created_by"`
}

// enterpriseNames is the registry's read view of enterprise names.
const enterpriseNames = enterprise.NamesView

// InspectionInput is an inspection a department records by hand: a 个案
// 检查 (exempt from the cap), a 督导检查, or a routine one within the cap.
type InspectionInput struct {
	EnterpriseID int64  `json:"enterprise_id"`
	Basis        string `json:"basis"`
	Month        int    `json:"month"` // 0: this month
	Note         string `json:"note"`
}

// AddInspection records an inspection of an enterprise the department
// supervises. A routine one over the enterprise's cap is refused; a case
// one is recorded and comes back flagged when the year's case inspections
// of the enterprise reach the table's count.
func (s *Service) AddInspection(ctx context.Context, a *org.Actor, in InspectionInput) (Inspection, error) {
	if err := department(a, org.PermEnforcePlan); err != nil {
		return Inspection{}, err
	}
	if err := in.Check(); err != nil {
		return Inspection{}, err
	}
	now := s.clock.Now()
	local := calendar.Local(now)
	year := local.Year()
	if in.Month == 0 {
		in.Month = int(local.Month())
	}
	caps, _, err := s.CapsFor(ctx, s.db, a.Unit.Region)
	if err != nil {
		return Inspection{}, err
	}
	var out Inspection
	err = s.db.Tx(ctx, func(tx *store.Tx) error {
		rows, err := roster(ctx, tx, a.Unit.ID, year, " AND r.unit_id = ?", in.EnterpriseID)
		if err != nil {
			return err
		}
		if len(rows) == 0 {
			return apperr.Field("enterprise_id", "本部门不监管该企业，或企业已关闭")
		}
		r := rows[0]
		kind := KindOf(in.Basis)
		// A case inspection is counted, never capped; a 督导检查 is under
		// its own cap (routine ones come from the plan and the draws).
		limit := noCap
		if kind == Supervisory {
			limit = caps.Supervisory
		}
		ok := true
		if in.Basis != BasisRecheck { // a re-check follows an order: no new inspection to count (close.go)
			if ok, err = take(ctx, tx, r.ID, year, kind, limit); err != nil {
				return err
			}
		}
		if !ok {
			return apperr.Field("basis", fmt.Sprintf("%s本年督导检查已达上限 %d 次", r.Name, caps.Supervisory))
		}
		cases, err := counted(ctx, tx, r.ID, year, Case)
		if err != nil {
			return err
		}
		id, err := tx.InsertID(ctx, `INSERT INTO enforce_inspections (unit_id, enterprise_id, region_code, year, month, kind, basis, note, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, a.Unit.ID, r.ID, r.Region, year, in.Month, kind, in.Basis, in.Note, a.UserID, now)
		if err != nil {
			return err
		}
		out = Inspection{ID: id, UnitID: a.Unit.ID, Unit: a.Unit.Name, EnterpriseID: r.ID, Enterprise: r.Name, Region: r.Region, Year: year,
			Month: in.Month, Kind: kind, Basis: in.Basis, BasisName: codes.NameOf(Bases, in.Basis), Note: in.Note, State: StatePlanned, StateName: codes.NameOf(States, StatePlanned), CreatedAt: now,
			Frequent: kind == Case && caps.FrequentCase(cases)}
		return audit.Append(ctx, tx, now, a.Who(), audit.Entry{Action: "enforce.inspection.add", ObjectKind: "enforce_inspection",
			ObjectID: fmt.Sprint(id), Region: r.Region, After: map[string]any{"enterprise": r.Name, "basis": in.Basis, "month": in.Month,
				"note": in.Note, "frequent": out.Frequent}})
	})
	return out, err
}

// Check names every field that cannot be.
func (in *InspectionInput) Check() error {
	var c apperr.Checks
	c.If(in.EnterpriseID == 0, "enterprise_id", "请选择被检查企业")
	c.If(codes.NameOf(Bases, in.Basis) == in.Basis, "basis", "请选择检查依据")
	c.If(in.Basis == BasisPlan || in.Basis == BasisDraw, "basis", "年度计划和双随机抽查的检查由计划公示和抽查产生，不能手工添加")
	c.If(in.Month < 0 || in.Month > 12, "month", "月份应为 1–12")
	_ = c.Take(apperr.Lengths(apperr.Text{Field: "note", Label: "说明", Max: Limits["note"], Value: in.Note}))
	if err := c.Err(); err != nil {
		return err
	}
	return nil
}

// InspectionFilter narrows an inspection listing.
type InspectionFilter struct {
	Year         int    `json:"year"`
	EnterpriseID int64  `json:"enterprise_id"`
	Kind         string `json:"kind"`
	DrawID       int64  `json:"draw_id"`
	State        string `json:"state"`
	Month        int    `json:"month"`
	Mine         bool   `json:"mine"` // the actor's own tasks (an officer's)
	paging.Page
}

// ListInspections lists the inspections the actor may see: an enterprise
// those of itself, a department its own, the office its region's; each case inspection flagged when its
// enterprise's case inspections of the year are frequent.
func (s *Service) ListInspections(ctx context.Context, a *org.Actor, f InspectionFilter) ([]Inspection, int, error) {
	w, args, err := seeWhere(a)
	if err != nil {
		return nil, 0, err
	}
	w, args = narrow(w, args, cond{f.Year != 0, " AND i.year = ?", f.Year}, cond{f.EnterpriseID != 0, " AND i.enterprise_id = ?", f.EnterpriseID},
		cond{f.Kind != "", " AND i.kind = ?", f.Kind}, cond{f.DrawID != 0, " AND i.draw_id = ?", f.DrawID}, cond{f.State != "", " AND i.state = ?", f.State},
		cond{f.Month != 0, " AND i.month = ?", f.Month})
	if f.Mine {
		// The officer's own tasks: the id among the comma-separated team.
		w += " AND ',' || i.officers || ',' LIKE ?"
		args = append(args, "%,"+strconv.FormatInt(a.UserID, 10)+",%")
	}
	var total int
	if err := s.db.QueryRow(ctx, "SELECT COUNT(*) FROM enforce_inspections i WHERE "+w, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	caps, _, err := s.CapsFor(ctx, s.db, a.Unit.Region)
	if err != nil {
		return nil, 0, err
	}
	order := "i.year DESC, i.month DESC, i.id DESC"
	if f.Mine {
		order = "CASE i.state WHEN 'closed' THEN 1 ELSE 0 END, i.due_from, i.id"
	}
	pg := f.Page.Clamp()
	rows, err := s.db.Query(ctx, `SELECT i.id, i.unit_id, u.name, i.enterprise_id, e.name, i.region_code, i.year, i.month, i.kind, i.basis, i.draw_id,
		i.officers, i.note, i.state, i.created_at, i.due_from, i.due_to, COALESCE(i.of_inspection, 0),
		(SELECT COUNT(*) FROM enforce_inspections c WHERE c.enterprise_id = i.enterprise_id AND c.year = i.year AND c.kind = 'case' AND c.basis <> 'recheck')
		FROM enforce_inspections i JOIN `+org.UnitsView+` u ON u.id = i.unit_id JOIN `+enterprise.NamesView+` e ON e.unit_id = i.enterprise_id
		WHERE `+w+` ORDER BY `+order+` LIMIT ? OFFSET ?`, append(args, pg.Limit, pg.Offset)...)
	out, err := store.Collect(rows, err, func(r store.Scanner) (Inspection, error) {
		var i Inspection
		var cases int
		err := r.Scan(&i.ID, &i.UnitID, &i.Unit, &i.EnterpriseID, &i.Enterprise, &i.Region, &i.Year, &i.Month, &i.Kind, &i.Basis, &i.DrawID,
			&i.Officers, &i.Note, &i.State, &i.CreatedAt, &i.DueFrom, &i.DueTo, &i.OfInspection, &cases)
		i.BasisName, i.StateName = codes.NameOf(Bases, i.Basis), codes.NameOf(States, i.State)
		i.Frequent = i.Kind == Case && caps.FrequentCase(cases)
		if a.Unit.Kind == org.KindEnterprise {
			i.Note = "" // the department's own note is not the party's to read
		}
		return i, err
	})
	if err != nil {
		return out, total, err
	}
	return out, total, s.nameOfficers(ctx, out)
}

// nameOfficers fills the officers' names of a page of inspections, one
// query for the page.
func (s *Service) nameOfficers(ctx context.Context, is []Inspection) error {
	var ids []any
	var ph []string
	seen := map[string]bool{}
	for _, i := range is {
		for _, f := range strings.Split(i.Officers, ",") {
			if id, err := strconv.ParseInt(f, 10, 64); err == nil && !seen[f] {
				seen[f] = true
				ids, ph = append(ids, id), append(ph, "?")
			}
		}
	}
	if len(ids) == 0 {
		return nil
	}
	names := map[string]string{}
	rows, err := s.db.Query(ctx, "SELECT us.id, us.display_name FROM "+org.UsersView+" us WHERE us.id IN ("+strings.Join(ph, ",")+")", ids...)
	if err := store.Each(rows, err, func(r store.Scanner) error {
		var id int64
		var name string
		err := r.Scan(&id, &name)
		names[strconv.FormatInt(id, 10)] = name
		return err
	}); err != nil {
		return err
	}
	for k := range is {
		for _, f := range strings.Split(is[k].Officers, ",") {
			if f != "" {
				is[k].OfficerNames = append(is[k].OfficerNames, names[f])
			}
		}
	}
	return nil
}
