package plan

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	"anwei/internal/apperr"
	"anwei/internal/audit"
	"anwei/internal/calendar"
	"anwei/internal/files"
	"anwei/internal/org"
	"anwei/internal/paging"
	"anwei/internal/store"
)

// Service is the plan mechanism's use cases.
type Service struct {
	db    *store.DB
	clock calendar.Clock
	org   *org.Service
	files *files.Store // report attachments
	// maxRows caps the data rows of an imported 任务分工表; 0 means
	// docs.DefaultMaxRows.
	maxRows int
}

// NewService returns the plan service; fs keeps report attachments and
// maxRows caps an imported 任务分工表's data rows (0: docs.DefaultMaxRows).
func NewService(db *store.DB, clock calendar.Clock, orgs *org.Service, fs *files.Store, maxRows int) *Service {
	return &Service{db: db, clock: clock, org: orgs, files: fs, maxRows: maxRows}
}

// ImportInput is a reviewed plan: the parse, possibly edited, and for every
// printed unit name the units it means (as the office confirmed them).
type ImportInput struct {
	Parsed     *Parsed
	Resolved   map[string][]int64
	SourceHash string // hash of the uploaded file: the same file is imported once
	// Cadence is the reporting pace of the items whose text states no date
	// of its own (zero: none, only the text's dates are tracked).
	Cadence Cadence
	// Splits are the printed names the office split on the review page,
	// each into the names now in its place (市住建局等有关部门 → 市住建局,
	// 市交通局): remembered with their units, so the next plan printing one
	// resolves it at once.
	Splits map[string][]string
}

// Summary is the count of what an import created.
type Summary struct {
	PlanID      int64 `json:"plan_id"`
	Items       int   `json:"items"`
	Tasks       int   `json:"tasks"`
	Assignments int   `json:"assignments"`
	Obligations int   `json:"obligations"`
	Instances   int   `json:"instances"`
}

// subjectOf tells whether an obligation binds enterprises (the units then
// supervise it: "推动高危企业主要负责人每月至少带队检查1次") or the units themselves.
func subjectOf(text, cue string) string {
	i := strings.Index(text, cue)
	if i < 0 {
		return "unit"
	}
	before := []rune(text[:i])
	if len(before) > 20 {
		before = before[len(before)-20:]
	}
	for _, k := range []string{"企业", "主要负责人", "矿长", "生产经营单位"} {
		if strings.Contains(string(before), k) {
			return "enterprise"
		}
	}
	return "unit"
}

// Import stores a reviewed plan in one transaction: items, tasks, one
// assignment per unit and task, obligations with their dated instances for
// the lead units, and report-back duties for every responsible unit. The
// office's mappings of printed names are remembered. One audit event records
// the counts and the file's hash.
func (s *Service) Import(ctx context.Context, a *org.Actor, in ImportInput) (Summary, error) {
	if err := a.Require(org.PermPlanImport); err != nil {
		return Summary{}, err
	}
	p := in.Parsed
	if p == nil || len(p.Items) == 0 {
		return Summary{}, apperr.New(apperr.Invalid, "没有可导入的事项")
	}
	if p.Year == nil || *p.Year < 2000 || *p.Year > 2100 {
		return Summary{}, apperr.Field("year", "请填写计划年度")
	}
	year := *p.Year
	if err := in.Cadence.check(); err != nil {
		return Summary{}, err
	}
	if err := checkParsedLengths(p); err != nil {
		return Summary{}, err
	}
	remember, err := remembering(p, in.Resolved, in.Splits)
	if err != nil {
		return Summary{}, err
	}
	// Every printed name must be resolved, to units the office can see.
	seen := map[int64]org.Unit{}
	for _, it := range p.Items {
		for _, t := range it.Tasks {
			for _, n := range append(append([]string{}, t.Lead...), t.Support...) {
				ids := in.Resolved[n]
				if len(ids) == 0 {
					return Summary{}, apperr.Field("units", fmt.Sprintf("事项 %s: 「%s」尚未对应到单位", it.Ref, n))
				}
				for _, id := range ids {
					if _, ok := seen[id]; ok {
						continue
					}
					u, err := s.org.GetUnit(ctx, a, id)
					if err != nil {
						return Summary{}, apperr.Field("units", fmt.Sprintf("事项 %s: 「%s」对应的单位 #%d 不存在或不在管辖范围内", it.Ref, n, id))
					}
					seen[id] = u
				}
			}
		}
	}
	var sum Summary
	now := s.clock.Now()
	err = s.db.Tx(ctx, func(tx *store.Tx) error {
		sum = Summary{}
		var n int
		if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM plans WHERE office_id = ? AND source_hash = ?", a.Unit.ID, in.SourceHash).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return apperr.New(apperr.Conflict, "这份文件已经导入过")
		}
		var err error
		sum.PlanID, err = tx.InsertID(ctx, `INSERT INTO plans (title, year, issuer, doc_number, issued_on, office_id, region_code, source_hash, created_at, cadence, cadence_days)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, p.Title, year, strOf(p.Issuer), strOf(p.DocNumber), strOf(p.Date),
			a.Unit.ID, a.Unit.Region, in.SourceHash, now, in.Cadence.Period, in.Cadence.Days)
		if err != nil {
			return err
		}
		responsible := map[int64]bool{}
		for i, it := range p.Items {
			if err := s.importItem(ctx, tx, &sum, it, i+1, year, in.Resolved, seen, responsible); err != nil {
				return err
			}
		}
		// Items without dates of their own: the cadence's duties, every period.
		added, err := addCadenceDuties(ctx, tx, sum.PlanID, year, in.Cadence, "")
		if err != nil {
			return err
		}
		sum.Instances += added
		// Report-back duties of the notice: every responsible unit reports.
		units := make([]int64, 0, len(responsible))
		for id := range responsible {
			units = append(units, id)
		}
		sort.Slice(units, func(i, j int) bool { return units[i] < units[j] })
		for _, r := range p.Reports {
			for _, id := range units {
				if _, err := tx.Exec(ctx, `INSERT INTO plan_instances (plan_id, unit_id, region_code, label, start_on, due_on, times)
					VALUES (?, ?, ?, ?, ?, ?, 1)`, sum.PlanID, id, seen[id].RegionCode, "报送"+r.What, fmt.Sprintf("%d-01-01", year), r.Due); err != nil {
					return err
				}
				sum.Instances++
			}
		}
		// The office's mapping of each printed name, as chosen now, replaces
		// what it chose before (a corrected name is not the union of both).
		for _, name := range slices.Sorted(maps.Keys(remember)) {
			if _, err := tx.Exec(ctx, "DELETE FROM plan_unit_names WHERE office_id = ? AND name = ?", a.Unit.ID, name); err != nil {
				return err
			}
			for _, id := range remember[name] {
				if _, err := tx.Exec(ctx, "INSERT INTO plan_unit_names (office_id, name, unit_id) VALUES (?, ?, ?)", a.Unit.ID, name, id); err != nil {
					return err
				}
			}
		}
		err = audit.Append(ctx, tx, now, a.Who(), audit.Entry{Action: "plan.import", ObjectKind: "plan",
			ObjectID: fmt.Sprint(sum.PlanID), Region: a.Unit.Region,
			After: map[string]any{"title": p.Title, "year": year, "file_hash": in.SourceHash, "counts": sum,
				"cadence": in.Cadence.Period, "cadence_days": in.Cadence.Days}})
		return err
	})
	return sum, err
}

func (s *Service) importItem(ctx context.Context, tx *store.Tx, sum *Summary, it Item, seq, year int,
	resolved map[string][]int64, units map[int64]org.Unit, responsible map[int64]bool) error {
	itemID, err := tx.InsertID(ctx, "INSERT INTO plan_items (plan_id, seq, ref, heading, section, text) VALUES (?, ?, ?, ?, ?, ?)",
		sum.PlanID, seq, it.Ref, it.Heading, it.Section, it.Text)
	if err != nil {
		return err
	}
	sum.Items++
	leads := map[int64]int64{} // lead unit -> one of its assignments in this item
	var leadOrder []int64
	for ti, t := range it.Tasks {
		taskID, err := tx.InsertID(ctx, "INSERT INTO plan_tasks (item_id, seq, text) VALUES (?, ?, ?)", itemID, ti+1, t.Text)
		if err != nil {
			return err
		}
		sum.Tasks++
		done := map[int64]bool{}
		for _, role := range []struct {
			name  string
			names []string
		}{{"lead", t.Lead}, {"support", t.Support}} {
			for _, n := range role.names {
				for _, uid := range resolved[n] {
					if done[uid] {
						continue // a unit both lead and support of one task is lead
					}
					done[uid] = true
					aid, err := tx.InsertID(ctx, `INSERT INTO plan_assignments (plan_id, task_id, unit_id, region_code, role, printed)
						VALUES (?, ?, ?, ?, ?, ?)`, sum.PlanID, taskID, uid, units[uid].RegionCode, role.name, n)
					if err != nil {
						return err
					}
					sum.Assignments++
					responsible[uid] = true
					if role.name == "lead" {
						if _, ok := leads[uid]; !ok {
							leads[uid] = aid
							leadOrder = append(leadOrder, uid)
						}
					}
				}
			}
		}
	}
	for _, o := range it.Obligations {
		times := 1
		if o.Times != nil && *o.Times > 0 {
			times = *o.Times
		}
		oid, err := tx.InsertID(ctx, `INSERT INTO plan_obligations (item_id, kind, period, times, due_on, cue, subject)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, itemID, o.Kind, o.Period, times, o.Due, o.Cue, subjectOf(it.Text, o.Cue))
		if err != nil {
			return err
		}
		sum.Obligations++
		insts, err := Instances(o, year)
		if err != nil {
			return apperr.Field("obligations", fmt.Sprintf("事项 %s: %v", it.Ref, err))
		}
		for _, uid := range leadOrder {
			for _, in := range insts {
				if _, err := tx.Exec(ctx, `INSERT INTO plan_instances (plan_id, obligation_id, assignment_id, unit_id, region_code, label, start_on, due_on, times)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, sum.PlanID, oid, leads[uid], uid, units[uid].RegionCode, in.Label, in.Start, in.Due, in.Times); err != nil {
					return err
				}
				sum.Instances++
			}
		}
	}
	return nil
}

func strOf(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// RememberedNames returns the printed names the actor's office mapped
// before, each to every unit it chose for it (a name split into several
// units, 市住建局等有关部门 → 市住建局 and 市交通局, maps to all of them).
func (s *Service) RememberedNames(ctx context.Context, a *org.Actor) (map[string][]int64, error) {
	rows, err := s.db.Query(ctx, "SELECT name, unit_id FROM plan_unit_names WHERE office_id = ? ORDER BY name, unit_id", a.Unit.ID)
	out := map[string][]int64{}
	err = store.Each(rows, err, func(r store.Scanner) error {
		var n string
		var id int64
		if err := r.Scan(&n, &id); err != nil {
			return err
		}
		out[n] = append(out[n], id)
		return nil
	})
	return out, err
}

// PlanRow is a plan in a listing.
type PlanRow struct {
	ID        int64     `json:"id"`
	Title     string    `json:"title"`
	Year      int       `json:"year"`
	Issuer    string    `json:"issuer"`
	DocNumber string    `json:"doc_number"`
	OfficeID  int64     `json:"office_id"`
	Region    string    `json:"region_code"`
	Items     int       `json:"items"`
	CreatedAt time.Time `json:"created_at"`
	Cadence             // the reporting pace of items without dates of their own
}

// planScope: plans of the actor's regions and offices, and plans that
// assign work to units the actor sees.
func planScope(a *org.Actor) (string, []any) {
	own, args := a.Scope.UnitsWhere("p.region_code", "p.office_id")
	as, aargs := a.Scope.UnitsWhere("pa.region_code", "pa.unit_id")
	where, args := "("+own+" OR p.id IN (SELECT pa.plan_id FROM plan_assignments pa WHERE "+as+")", append(args, aargs...)
	// A plan is issued to the whole jurisdiction below its office (印发
	// 各街道办事处、各成员单位): a government unit reads the plans of its own
	// region and of every region above it (issue 14.4: a street office
	// could not open the district's plan). Enterprises and experts are no
	// addressees.
	if a.Has(org.RoleOffice) || a.Has(org.RoleMember) || a.Has(org.RoleTerritorial) || a.Has(org.RoleOfficer) {
		var up []string
		for r := a.Unit.Region; r != ""; r = org.ParentCode(r) {
			up = append(up, r)
		}
		if len(up) > 0 {
			where += " OR p.region_code IN (?" + strings.Repeat(", ?", len(up)-1) + ")"
			for _, r := range up {
				args = append(args, r)
			}
		}
	}
	return where + ")", args
}

const planCols = `p.id, p.title, p.year, p.issuer, p.doc_number, p.office_id, p.region_code,
	(SELECT COUNT(*) FROM plan_items i WHERE i.plan_id = p.id), p.created_at, p.cadence, p.cadence_days`

func scanPlan(r interface{ Scan(...any) error }) (PlanRow, error) {
	var p PlanRow
	err := r.Scan(&p.ID, &p.Title, &p.Year, &p.Issuer, &p.DocNumber, &p.OfficeID, &p.Region, &p.Items, &p.CreatedAt, &p.Period, &p.Days)
	return p, err
}

// ListPlans lists the plans the actor may see, newest first.
func (s *Service) ListPlans(ctx context.Context, a *org.Actor, pg paging.Page) ([]PlanRow, int, error) {
	if err := a.Require(org.PermOrgRead); err != nil {
		return nil, 0, err
	}
	where, args := planScope(a)
	var total int
	if err := s.db.QueryRow(ctx, "SELECT COUNT(*) FROM plans p WHERE "+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	pg = pg.Clamp()
	rows, err := s.db.Query(ctx, "SELECT "+planCols+" FROM plans p WHERE "+where+" ORDER BY p.year DESC, p.id DESC LIMIT ? OFFSET ?",
		append(args, pg.Limit, pg.Offset)...)
	out, err := store.Collect(rows, err, scanPlan)
	return out, total, err
}

// GetPlan returns one plan if the actor may see it.
func (s *Service) GetPlan(ctx context.Context, a *org.Actor, id int64) (PlanRow, error) {
	if err := a.Require(org.PermOrgRead); err != nil {
		return PlanRow{}, err
	}
	where, args := planScope(a)
	p, err := scanPlan(s.db.QueryRow(ctx, "SELECT "+planCols+" FROM plans p WHERE p.id = ? AND "+where, append([]any{id}, args...)...))
	if store.NoRows(err) {
		return p, apperr.New(apperr.NotFound, "工作要点不存在或不在您的管辖范围内")
	}
	return p, err
}

// AssignmentRow is a unit's part in a task.
type AssignmentRow struct {
	ID       int64  `json:"id"`
	PlanID   int64  `json:"plan_id"`
	TaskID   int64  `json:"task_id"`
	ItemRef  string `json:"item_ref"`
	Heading  string `json:"heading"`
	TaskText string `json:"task_text"`
	UnitID   int64  `json:"unit_id"`
	UnitName string `json:"unit_name"` // short name
	Role     string `json:"role"`
	Printed  string `json:"printed"`
}

// AssignmentFilter narrows an assignment listing.
type AssignmentFilter struct {
	PlanID int64
	UnitID int64
	paging.Page
}

// ListAssignments lists the assignments of units the actor may see (a
// department: its own).
func (s *Service) ListAssignments(ctx context.Context, a *org.Actor, f AssignmentFilter) ([]AssignmentRow, int, error) {
	if err := a.Require(org.PermOrgRead); err != nil {
		return nil, 0, err
	}
	where, args := a.Scope.UnitsWhere("pa.region_code", "pa.unit_id")
	if f.PlanID != 0 {
		where += " AND pa.plan_id = ?"
		args = append(args, f.PlanID)
	}
	if f.UnitID != 0 {
		where += " AND pa.unit_id = ?"
		args = append(args, f.UnitID)
	}
	from := " FROM plan_assignments pa JOIN plan_tasks t ON t.id = pa.task_id JOIN plan_items i ON i.id = t.item_id "
	var total int
	if err := s.db.QueryRow(ctx, "SELECT COUNT(*)"+from+"WHERE "+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	pg := f.Page.Clamp()
	rows, err := s.db.Query(ctx, "SELECT pa.id, pa.plan_id, pa.task_id, i.ref, i.heading, t.text, pa.unit_id, u.label, pa.role, pa.printed"+from+"JOIN "+org.UnitsView+" u ON u.id = pa.unit_id WHERE "+where+
		" ORDER BY pa.plan_id, i.seq, t.seq, pa.id LIMIT ? OFFSET ?", append(args, pg.Limit, pg.Offset)...)
	out, err := store.Collect(rows, err, func(row store.Scanner) (AssignmentRow, error) {
		var r AssignmentRow
		err := row.Scan(&r.ID, &r.PlanID, &r.TaskID, &r.ItemRef, &r.Heading, &r.TaskText, &r.UnitID, &r.UnitName, &r.Role, &r.Printed)
		return r, err
	})
	return out, total, err
}
