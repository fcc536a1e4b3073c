package enforce

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"anwei/internal/apperr"
	"anwei/internal/audit"
	"anwei/internal/enterprise"
	"anwei/internal/org"
	"anwei/internal/store"
)

// Officer is an entry of a department's 执法检查人员名录库: a user of the
// department holding a 行政执法证, with the conflicts declared.
type Officer struct {
	UserID      int64      `json:"user_id"`
	Name        string     `json:"name"`
	UnitID      int64      `json:"unit_id"`
	Unit        string     `json:"unit"`
	CertNo      string     `json:"cert_no"`
	CertExpires string     `json:"cert_expires"`
	Active      bool       `json:"active"`
	Conflicts   []Conflict `json:"conflicts"`
}

// Conflict is an enterprise an officer may not be sent to (行政处罚法 Art.
// 43): a relative's employer, a former employer, any interest.
type Conflict struct {
	EnterpriseID int64     `json:"enterprise_id"`
	Enterprise   string    `json:"enterprise"`
	Reason       string    `json:"reason"`
	DeclaredAt   time.Time `json:"declared_at"`
}

// OfficerInput puts a user of the department in its 名录库, or changes
// the entry.
type OfficerInput struct {
	UserID      int64  `json:"user_id"`
	CertNo      string `json:"cert_no"`
	CertExpires string `json:"cert_expires"` // YYYY-MM-DD, "" when not stated
	Active      bool   `json:"active"`
}

// ConflictInput is a conflict declared.
type ConflictInput struct {
	EnterpriseID int64  `json:"enterprise_id"`
	Reason       string `json:"reason"`
}

var dateRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// SetOfficer keeps the department's 名录库: the user must be an active
// user of the actor's own department.
func (s *Service) SetOfficer(ctx context.Context, a *org.Actor, in OfficerInput) error {
	if err := department(a, org.PermEnforcePlan); err != nil {
		return err
	}
	in.CertNo, in.CertExpires = strings.TrimSpace(in.CertNo), strings.TrimSpace(in.CertExpires)
	var c apperr.Checks
	c.If(in.UserID == 0, "user_id", "请选择执法人员")
	c.If(in.CertNo == "", "cert_no", "请填写行政执法证号")
	_ = c.Take(apperr.Lengths(apperr.Text{Field: "cert_no", Label: "行政执法证号", Max: Limits["cert_no"], Value: in.CertNo}))
	if in.CertExpires != "" {
		_, err := time.Parse("2006-01-02", in.CertExpires)
		c.If(err != nil || !dateRE.MatchString(in.CertExpires), "cert_expires", "证件有效期应为 YYYY-MM-DD")
	}
	if err := c.Err(); err != nil {
		return err
	}
	now := s.clock.Now()
	return s.db.Tx(ctx, func(tx *store.Tx) error {
		var unit int64
		var active bool
		err := tx.QueryRow(ctx, "SELECT unit_id, active FROM "+org.UsersView+" us WHERE us.id = ?", in.UserID).Scan(&unit, &active)
		if store.NoRows(err) || (err == nil && (unit != a.Unit.ID || !active)) {
			return apperr.Field("user_id", "只能把本部门在用的账号列入执法人员名录库")
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO enforce_officers (user_id, unit_id, cert_no, cert_expires, active, updated_at) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (user_id) DO UPDATE SET unit_id = excluded.unit_id, cert_no = excluded.cert_no, cert_expires = excluded.cert_expires,
			active = excluded.active, updated_at = excluded.updated_at`, in.UserID, a.Unit.ID, in.CertNo, in.CertExpires, in.Active, now); err != nil {
			return err
		}
		return audit.Append(ctx, tx, now, a.Who(), audit.Entry{Action: "enforce.officer.set", ObjectKind: "user",
			ObjectID: fmt.Sprint(in.UserID), Region: a.Unit.Region, After: in})
	})
}

// DeclareConflict records a conflict of an officer: declared by the
// officer, or recorded by the department's planner.
func (s *Service) DeclareConflict(ctx context.Context, a *org.Actor, officerID int64, in ConflictInput) error {
	if err := a.Require(org.PermEnforceRead); err != nil {
		return err
	}
	in.Reason = strings.TrimSpace(in.Reason)
	var c apperr.Checks
	c.If(in.EnterpriseID == 0, "enterprise_id", "请选择有利害关系的企业")
	c.If(in.Reason == "", "reason", "请填写利害关系 (如近亲属任职、曾在该企业任职)")
	_ = c.Take(apperr.Lengths(apperr.Text{Field: "reason", Label: "利害关系", Max: Limits["reason"], Value: in.Reason}))
	if err := c.Err(); err != nil {
		return err
	}
	now := s.clock.Now()
	return s.db.Tx(ctx, func(tx *store.Tx) error {
		var unit int64
		err := tx.QueryRow(ctx, "SELECT unit_id FROM enforce_officers WHERE user_id = ?", officerID).Scan(&unit)
		mine := err == nil && (a.UserID == officerID || (unit == a.Unit.ID && a.Can(org.PermEnforcePlan)))
		if store.NoRows(err) || (err == nil && !mine) {
			return apperr.New(apperr.NotFound, "执法人员不在您部门的名录库中")
		}
		if err != nil {
			return err
		}
		// Only an enterprise the actor may see: the department's own
		// (supervised) ones; nothing tells whether another exists.
		w, args := a.Scope.UnitsWhere("e.region_code", "e.unit_id")
		var exists int
		if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM "+enterprise.RosterView+" e WHERE e.unit_id = ? AND "+w,
			append([]any{in.EnterpriseID}, args...)...).Scan(&exists); err != nil {
			return err
		}
		if exists == 0 {
			return apperr.Field("enterprise_id", "请选择本部门监管范围内的企业")
		}
		if _, err := tx.Exec(ctx, `INSERT INTO enforce_conflicts (officer_id, enterprise_id, reason, declared_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (officer_id, enterprise_id) DO UPDATE SET reason = excluded.reason, declared_at = excluded.declared_at`,
			officerID, in.EnterpriseID, in.Reason, now); err != nil {
			return err
		}
		return audit.Append(ctx, tx, now, a.Who(), audit.Entry{Action: "enforce.conflict.declare", ObjectKind: "user",
			ObjectID: fmt.Sprint(officerID), Region: a.Unit.Region, After: in})
	})
}

// ListOfficers lists the 名录库 the actor may see (a department its own,
// the office its region's departments'), with their conflicts.
func (s *Service) ListOfficers(ctx context.Context, a *org.Actor) ([]Officer, error) {
	if err := a.Require(org.PermEnforceRead); err != nil {
		return nil, err
	}
	w, args := ownWhere(a, "u.region_code", "o.unit_id")
	rows, err := s.db.Query(ctx, `SELECT o.user_id, us.display_name, o.unit_id, u.name, o.cert_no, o.cert_expires, o.active
		FROM enforce_officers o JOIN `+org.UsersView+` us ON us.id = o.user_id JOIN `+org.UnitsView+` u ON u.id = o.unit_id
		WHERE `+w+` ORDER BY u.name, o.user_id LIMIT 2000`, args...)
	out, err := store.Collect(rows, err, func(r store.Scanner) (Officer, error) {
		var o Officer
		err := r.Scan(&o.UserID, &o.Name, &o.UnitID, &o.Unit, &o.CertNo, &o.CertExpires, &o.Active)
		return o, err
	})
	if err != nil || len(out) == 0 {
		return out, err
	}
	at := map[int64]int{}
	for i, o := range out {
		at[o.UserID] = i
	}
	crows, err := s.db.Query(ctx, `SELECT c.officer_id, c.enterprise_id, e.name, c.reason, c.declared_at FROM enforce_conflicts c
		JOIN enforce_officers o ON o.user_id = c.officer_id JOIN `+org.UnitsView+` u ON u.id = o.unit_id
		JOIN `+enterprise.NamesView+` e ON e.unit_id = c.enterprise_id WHERE `+w+` ORDER BY c.officer_id, c.enterprise_id`, args...)
	return out, store.Each(crows, err, func(r store.Scanner) error {
		var id int64
		var c Conflict
		if err := r.Scan(&id, &c.EnterpriseID, &c.Enterprise, &c.Reason, &c.DeclaredAt); err != nil {
			return err
		}
		if i, ok := at[id]; ok {
			out[i].Conflicts = append(out[i].Conflicts, c)
		}
		return nil
	})
}

// drawOfficers is the department's 名录库 as a draw commits to it: the
// active entries of active users whose certificate has not expired.
func drawOfficers(ctx context.Context, q querier, dept int64, today string) ([]DrawOfficer, error) {
	rows, err := q.Query(ctx, `SELECT o.user_id, us.display_name, u.name FROM enforce_officers o JOIN `+org.UsersView+` us ON us.id = o.user_id
		JOIN `+org.UnitsView+` u ON u.id = o.unit_id
		WHERE o.unit_id = ? AND us.unit_id = o.unit_id AND o.active = TRUE AND us.active = TRUE AND (o.cert_expires = '' OR o.cert_expires >= ?)
		ORDER BY o.user_id`, dept, today)
	out, err := store.Collect(rows, err, func(r store.Scanner) (DrawOfficer, error) {
		o := DrawOfficer{Conflicts: []int64{}}
		err := r.Scan(&o.ID, &o.Name, &o.Unit)
		return o, err
	})
	if err != nil || len(out) == 0 {
		return out, err
	}
	at := map[int64]int{}
	for i, o := range out {
		at[o.ID] = i
	}
	crows, err := q.Query(ctx, `SELECT c.officer_id, c.enterprise_id FROM enforce_conflicts c JOIN enforce_officers o ON o.user_id = c.officer_id
		WHERE o.unit_id = ? ORDER BY c.officer_id, c.enterprise_id`, dept)
	return out, store.Each(crows, err, func(r store.Scanner) error {
		var o, e int64
		if err := r.Scan(&o, &e); err != nil {
			return err
		}
		if i, ok := at[o]; ok {
			out[i].Conflicts = append(out[i].Conflicts, e)
		}
		return nil
	})
}
