package enterprise

import (
	"context"
	"fmt"
	"strings"

	"anwei/internal/apperr"
	"anwei/internal/audit"
	"anwei/internal/org"
	"anwei/internal/store"
)

// 三管三必须: a duty rule says which department supervises a category. A
// rule applies to enterprises inside the department's region (a district
// department supervises its district's enterprises of the category; a city
// department, the city's). Each supervision can name the responsible
// officer (实名制监管).

// DutyRule is one category → department mapping.
type DutyRule struct {
	Category string `json:"category"`
	DeptID   int64  `json:"dept_id"`
	DeptName string `json:"dept_name"`
	Region   string `json:"region_code"`
}

// assignDuties adds the supervisions the duty rules give a record.
func assignDuties(ctx context.Context, tx *store.Tx, e *Enterprise) error {
	if len(e.Categories) == 0 {
		return nil
	}
	ph := strings.TrimSuffix(strings.Repeat("?,", len(e.Categories)), ",")
	args := []any{}
	for _, c := range e.Categories {
		args = append(args, c)
	}
	rows, err := tx.Query(ctx, `SELECT DISTINCT r.dept_id, u.region_code FROM duty_rules r JOIN `+org.UnitsView+` u ON u.id = r.dept_id
		WHERE u.active = TRUE AND r.category IN (`+ph+`)`, args...)
	var depts []int64
	if err := store.Each(rows, err, func(r store.Scanner) error {
		var id int64
		var region string
		if err := r.Scan(&id, &region); err != nil {
			return err
		}
		if region == "" || strings.HasPrefix(e.RegionCode, region) {
			depts = append(depts, id)
		}
		return nil
	}); err != nil {
		return err
	}
	for _, d := range depts {
		if err := org.AddSupervision(ctx, tx, d, e.UnitID); err != nil {
			return err
		}
	}
	return nil
}

// ListDutyRules lists the rules whose departments the actor can see.
func (s *Service) ListDutyRules(ctx context.Context, a *org.Actor) ([]DutyRule, error) {
	if err := a.Require(org.PermOrgRead); err != nil {
		return nil, err
	}
	where, args := a.Scope.UnitsWhere("u.region_code", "u.id")
	rows, err := s.db.Query(ctx, `SELECT r.category, r.dept_id, u.name, u.region_code FROM duty_rules r JOIN `+org.UnitsView+` u ON u.id = r.dept_id
		WHERE `+where+` ORDER BY r.category, u.name`, args...)
	return store.Collect(rows, err, func(row store.Scanner) (DutyRule, error) {
		var r DutyRule
		err := row.Scan(&r.Category, &r.DeptID, &r.DeptName, &r.Region)
		return r, err
	})
}

// SetDutyRule adds (on) or removes a rule. Adding one also assigns the
// department to the enterprises of that category already in its region;
// removing one leaves existing supervisions alone (they are changed one by
// one, since each may have a named officer).
func (s *Service) SetDutyRule(ctx context.Context, a *org.Actor, category string, deptID int64, on bool) (int, error) {
	if err := a.Require(org.PermEntDuty); err != nil {
		return 0, err
	}
	var c apperr.Checks // every field at once (issue 16.2), before the lookup
	c.If(CategoryName(category) == "", "category", "未知的监管类别")
	c.If(deptID <= 0, "dept_id", "请选择监管部门")
	if err := c.Err(); err != nil {
		return 0, err
	}
	dept, err := s.org.GetUnit(ctx, a, deptID)
	if err != nil {
		return 0, err
	}
	if dept.Kind != org.KindDepartment && dept.Kind != org.KindGovernment && dept.Kind != org.KindStreet {
		return 0, apperr.Field("dept_id", "监管部门应为政府部门、属地政府或街道")
	}
	now := s.clock.Now()
	added := 0
	err = s.db.Tx(ctx, func(tx *store.Tx) error {
		added = 0
		if !on {
			_, err := tx.Exec(ctx, "DELETE FROM duty_rules WHERE category = ? AND dept_id = ?", category, deptID)
			if err == nil {
				err = audit.Append(ctx, tx, now, a.Who(), audit.Entry{Action: "enterprise.duty.remove", ObjectKind: "duty_rule",
					ObjectID: category + ":" + fmt.Sprint(deptID), Region: dept.RegionCode})
			}
			return err
		}
		if _, err := tx.Exec(ctx, "INSERT INTO duty_rules (category, dept_id) VALUES (?, ?) ON CONFLICT (category, dept_id) DO NOTHING", category, deptID); err != nil {
			return err
		}
		lo, hi := regionRange(dept.RegionCode)
		rows, err := tx.Query(ctx, `SELECT c.unit_id FROM enterprise_categories c JOIN enterprises e ON e.unit_id = c.unit_id
			WHERE c.category = ? AND e.region_code >= ? AND e.region_code < ?`, category, lo, hi)
		ids, err := store.Collect(rows, err, store.Value[int64])
		if err != nil {
			return err
		}
		if added, err = org.AddSupervisions(ctx, tx, deptID, ids); err != nil {
			return err
		}
		err = audit.Append(ctx, tx, now, a.Who(), audit.Entry{Action: "enterprise.duty.add", ObjectKind: "duty_rule",
			ObjectID: category + ":" + fmt.Sprint(deptID), Region: dept.RegionCode, After: map[string]any{"category": category,
				"dept_id": deptID, "enterprises_assigned": added}})
		return err
	})
	return added, err
}

// regionRange is the half-open code range of a region subtree ("" = all).
func regionRange(code string) (string, string) {
	if code == "" {
		return "", "\xff"
	}
	b := []byte(code)
	b[len(b)-1]++
	return code, string(b)
}

// Supervisor is a department supervising an enterprise, with its officer.
type Supervisor struct {
	DeptID      int64  `json:"dept_id"`
	DeptName    string `json:"dept_name"`
	OfficerID   int64  `json:"officer_id,omitempty"`
	OfficerName string `json:"officer_name,omitempty"`
}

// Supervisors lists who supervises an enterprise the actor may see.
func (s *Service) Supervisors(ctx context.Context, a *org.Actor, id int64) ([]Supervisor, error) {
	if _, err := s.Get(ctx, a, id); err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, `SELECT sv.dept_id, u.label, COALESCE(sv.officer_id, 0), COALESCE(us.display_name, '')
		FROM `+org.SupervisionsView+` sv JOIN `+org.UnitsView+` u ON u.id = sv.dept_id LEFT JOIN `+org.UsersView+` us ON us.id = sv.officer_id
		WHERE sv.enterprise_id = ? ORDER BY u.name`, id)
	return store.Collect(rows, err, func(r store.Scanner) (Supervisor, error) {
		var x Supervisor
		err := r.Scan(&x.DeptID, &x.DeptName, &x.OfficerID, &x.OfficerName)
		return x, err
	})
}

// SetSupervisor adds a supervisor of an enterprise, with a named officer
// of it (0: none yet): a department or a street office (属地) adds itself;
// an office or a government any department or street office it sees.
func (s *Service) SetSupervisor(ctx context.Context, a *org.Actor, id, deptID, officerID int64) error {
	if err := a.Require(org.PermEntWrite); err != nil {
		return err
	}
	e, err := s.Get(ctx, a, id)
	if err != nil {
		return err
	}
	if err := maySupervise(a, deptID); err != nil {
		return err
	}
	u, err := s.org.GetUnit(ctx, a, deptID)
	if err != nil {
		return err
	}
	if u.Kind != org.KindDepartment && u.Kind != org.KindStreet {
		return apperr.Field("dept_id", "监管部门应为政府部门或街道/乡镇，「"+u.Name+"」不是")
	}
	now := s.clock.Now()
	return s.db.Tx(ctx, func(tx *store.Tx) error {
		if err := org.SetSupervisionOfficer(ctx, tx, deptID, id, officerID); err != nil {
			return err
		}
		err := audit.Append(ctx, tx, now, a.Who(), audit.Entry{Action: "enterprise.supervisor.set", ObjectKind: "enterprise",
			ObjectID: fmt.Sprint(id), Region: e.RegionCode, After: map[string]any{"dept_id": deptID, "officer_id": officerID}})
		return err
	})
}

// maySupervise says whether a may name unit deptID a supervisor: a
// department or street office only itself.
func maySupervise(a *org.Actor, deptID int64) error {
	if OwnSupervisorOnly(a) && deptID != a.Unit.ID {
		return apperr.Field("dept_id", "只能将本单位 ("+a.Unit.Name+") 列为监管部门")
	}
	return nil
}

// OwnSupervisorOnly reports whether a (a department or a street office)
// may name only its own unit a supervisor of an enterprise.
func OwnSupervisorOnly(a *org.Actor) bool {
	return a.Unit.Kind == org.KindDepartment || a.Unit.Kind == org.KindStreet
}

// SupervisingDepts returns, for each of the given enterprises, the
// departments that supervise it. It is for other mechanisms acting on
// records they already scope-checked (the hazard sweep telling the
// department of an overdue hazard); it applies no actor scope itself.
func (s *Service) SupervisingDepts(ctx context.Context, ids []int64) (map[int64][]int64, error) {
	return pairsOf[int64](ctx, s.db, ids, "SELECT enterprise_id, dept_id FROM "+org.SupervisionsView+" sv WHERE enterprise_id IN (%s) ORDER BY dept_id")
}

// CategoriesOf returns the supervision categories of the given
// enterprises, for mechanisms that break their figures down by category;
// like SupervisingDepts it applies no actor scope.
func (s *Service) CategoriesOf(ctx context.Context, ids []int64) (map[int64][]string, error) {
	return pairsOf[string](ctx, s.db, ids, "SELECT unit_id, category FROM enterprise_categories WHERE unit_id IN (%s) ORDER BY category")
}

// pairsOf runs q (an enterprise id and a value per row, %s the id list)
// over ids in chunks of 500 and groups the values by enterprise.
func pairsOf[T any](ctx context.Context, db *store.DB, ids []int64, q string) (map[int64][]T, error) {
	out := map[int64][]T{}
	for len(ids) > 0 {
		n := min(len(ids), 500)
		args := make([]any, n)
		for i, id := range ids[:n] {
			args[i] = id
		}
		rows, err := db.Query(ctx, fmt.Sprintf(q, "?"+strings.Repeat(", ?", n-1)), args...)
		if err := store.Each(rows, err, func(r store.Scanner) error {
			var e int64
			var v T
			if err := r.Scan(&e, &v); err != nil {
				return err
			}
			out[e] = append(out[e], v)
			return nil
		}); err != nil {
			return nil, err
		}
		ids = ids[n:]
	}
	return out, nil
}
