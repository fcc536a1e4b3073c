package enterprise

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"anwei/internal/apperr"
	"anwei/internal/audit"
	"anwei/internal/calendar"
	"anwei/internal/org"
	"anwei/internal/store"
)

// Service is the registry's use cases.
type Service struct {
	db    *store.DB
	clock calendar.Clock
	org   *org.Service
	hooks *Hooks
	// maxRows caps the data rows of an imported file; 0 means
	// docs.DefaultMaxRows.
	maxRows int
}

// NewService returns the registry service. Mechanisms that feed its class
// or follow its moves bind to hooks as they are built; app builds them all
// and seals hooks (see Hooks). maxRows caps an imported file's data rows
// (0: docs.DefaultMaxRows).
func NewService(db *store.DB, clock calendar.Clock, orgs *org.Service, hooks *Hooks, maxRows int) *Service {
	return &Service{db: db, clock: clock, org: orgs, hooks: hooks, maxRows: maxRows}
}

func (s *Service) today() string { return calendar.Local(s.clock.Now()).Format("2006-01-02") }

// inRegions reports whether code lies in the actor's region scope or area.
func inRegions(a *org.Actor, code string) bool {
	if a.Scope.All {
		return true
	}
	for _, r := range append(append([]string{}, a.Scope.Regions...), a.Scope.Area) {
		if r != "" && strings.HasPrefix(code, r) {
			return true
		}
	}
	return false
}

// Create adds an enterprise: its unit, record and categories, the
// supervisions its categories call for (and the creating department's own),
// its class, and one audit event, in one transaction.
func (s *Service) Create(ctx context.Context, a *org.Actor, in Input) (Enterprise, error) {
	if err := a.Require(org.PermEntWrite); err != nil {
		return Enterprise{}, err
	}
	e, err := in.record()
	if err != nil {
		return e, err
	}
	now := s.clock.Now()
	err = s.db.Tx(ctx, func(tx *store.Tx) error {
		if ok, err := org.RegionExists(ctx, tx, e.RegionCode); err != nil || !ok {
			return firstErr(err, apperr.Field("region_code", "行政区划代码「"+e.RegionCode+"」不存在"))
		}
		if !inRegions(a, e.RegionCode) {
			return apperr.Field("region_code", "行政区划「"+e.RegionCode+"」不在您的管辖范围内")
		}
		var taken int
		if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM enterprises WHERE credit_code = ?", e.CreditCode).Scan(&taken); err != nil {
			return err
		}
		if taken > 0 {
			return apperr.Field("credit_code", "统一社会信用代码 "+e.CreditCode+" 已登记")
		}
		id, err := org.InsertEnterpriseUnit(ctx, tx, now, e.Name, e.RegionCode)
		if err != nil {
			return err
		}
		e.UnitID, e.CreatedAt, e.UpdatedAt = id, now, now
		if err := insertRecord(ctx, tx, &e); err != nil {
			return err
		}
		if err := assignDuties(ctx, tx, &e); err != nil {
			return err
		}
		if a.Unit.Kind == org.KindDepartment {
			if err := org.AddSupervision(ctx, tx, a.Unit.ID, id); err != nil {
				return err
			}
		}
		if err := s.reclass(ctx, tx, &e); err != nil {
			return err
		}
		err = audit.Append(ctx, tx, now, a.Who(), audit.Entry{Action: "enterprise.create", ObjectKind: "enterprise",
			ObjectID: fmt.Sprint(id), Region: e.RegionCode, After: e})
		return err
	})
	return e, err
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// Get returns an enterprise the actor may see.
func (s *Service) Get(ctx context.Context, a *org.Actor, id int64) (Enterprise, error) {
	if err := a.Require(org.PermOrgRead); err != nil {
		return Enterprise{}, err
	}
	where, args := a.Scope.UnitsWhere("e.region_code", "e.unit_id")
	today := s.today()
	e, err := scanEnterprise(s.db.QueryRow(ctx, "SELECT "+entCols+" FROM enterprises e WHERE e.unit_id = ? AND "+where,
		append([]any{today, today, id}, args...)...))
	if store.NoRows(err) {
		return e, apperr.New(apperr.NotFound, "企业不存在或不在您的管辖范围内")
	}
	return e, err
}

// Ref is what other records carry of an enterprise.
type Ref struct {
	UnitID     int64
	Name       string
	RegionCode string
}

// Ref returns the name and region of an enterprise the actor may see: the
// scope check of a write about the enterprise, without reading its record.
func (s *Service) Ref(ctx context.Context, a *org.Actor, id int64) (Ref, error) {
	if err := a.Require(org.PermOrgRead); err != nil {
		return Ref{}, err
	}
	where, args := a.Scope.UnitsWhere("e.region_code", "e.unit_id")
	var r Ref
	err := s.db.QueryRow(ctx, "SELECT e.unit_id, e.name, e.region_code FROM enterprises e WHERE e.unit_id = ? AND "+where,
		append([]any{id}, args...)...).Scan(&r.UnitID, &r.Name, &r.RegionCode)
	if store.NoRows(err) {
		return r, apperr.New(apperr.NotFound, "企业不存在或不在您的管辖范围内")
	}
	return r, err
}

// getTx reads a record inside a transaction, without scope (the caller checked it).
func getTx(ctx context.Context, tx *store.Tx, today string, id int64) (Enterprise, error) {
	e, err := scanEnterprise(tx.QueryRow(ctx, "SELECT "+entCols+" FROM enterprises e WHERE e.unit_id = ?", today, today, id))
	if store.NoRows(err) {
		return e, apperr.New(apperr.NotFound, "企业不存在")
	}
	return e, err
}

// owns reports whether a is enterprise id itself, keeping its own record.
func owns(a *org.Actor, id int64) bool { return a.Unit.ID == id && a.Can(org.PermEntOwn) }

// MayEdit reports whether a may change enterprise id's record (for the
// page's buttons; Update checks again, and its scope decides which records
// a government user reaches): the enterprise itself, or a holder of
// enterprise.write.
func MayEdit(a *org.Actor, id int64) bool { return owns(a, id) || a.Can(org.PermEntWrite) }

// Update changes a record. Government users with enterprise.write change
// every field of an enterprise in their scope; an enterprise changes its own
// record directly except for the key fields, which become a change request
// its supervising department reviews. It returns the record as stored and
// the id of the change request, if one was made.
func (s *Service) Update(ctx context.Context, a *org.Actor, id int64, in Input) (Enterprise, int64, error) {
	own := owns(a, id)
	if !own {
		if err := a.Require(org.PermEntWrite); err != nil {
			return Enterprise{}, 0, err
		}
	}
	before, err := s.Get(ctx, a, id)
	if err != nil {
		return before, 0, err
	}
	after, err := in.record()
	if err != nil {
		return after, 0, err
	}
	after.UnitID, after.CreatedAt = id, before.CreatedAt
	now := s.clock.Now()
	var change int64
	err = s.db.Tx(ctx, func(tx *store.Tx) error {
		change = 0
		var by *org.Actor // a government user's edit passes the region checks now; an enterprise's, on review
		if !own {
			by = a
		}
		if err := checkEdit(ctx, tx, by, before, after); err != nil {
			return err
		}
		stored := after
		if own {
			kb, ka := keyValues(before), keyValues(after)
			if kb != ka {
				// Keep the key fields as they are until the department agrees.
				stored = withKeys(after, before)
				bj, _ := json.Marshal(kb)
				aj, _ := json.Marshal(ka)
				if change, err = tx.InsertID(ctx, `INSERT INTO enterprise_changes (unit_id, region_code, before_json, after_json, status, created_at, created_by)
					VALUES (?, ?, ?, ?, 'pending', ?, ?)`, id, before.RegionCode, string(bj), string(aj), now, a.UserID); err != nil {
					return err
				}
				if err := tellChange(ctx, tx, now, change, before.Name); err != nil {
					return err
				}
			}
		}
		stored.UpdatedAt = now
		if err := updateRecord(ctx, tx, &stored, before.Name, before.CreditCode); err != nil {
			return err
		}
		if err := org.UpdateEnterpriseUnit(ctx, tx, now, id, stored.Name, stored.RegionCode, stored.Status != "closed"); err != nil {
			return err
		}
		if err := s.reclass(ctx, tx, &stored); err != nil {
			return err
		}
		moved, err := s.follow(ctx, tx, id, before.RegionCode, stored.RegionCode)
		if err != nil {
			return err
		}
		after = stored
		err = audit.Append(ctx, tx, now, a.Who(), audit.Entry{Action: "enterprise.update", ObjectKind: "enterprise",
			ObjectID: fmt.Sprint(id), Region: stored.RegionCode, Before: before, After: map[string]any{"record": stored, "change_request": change, "moved": moved}})
		return err
	})
	return after, change, err
}

func keyValues(e Enterprise) keys {
	return keys{Name: e.Name, CreditCode: e.CreditCode, RegionCode: e.RegionCode, IndustryCode: e.IndustryCode,
		Categories: strings.Join(e.Categories, ","), Scale: e.Scale, Status: e.Status, StdLevel: e.StdLevel}
}

// withKeys returns rec with the key fields of from.
func withKeys(rec, from Enterprise) Enterprise {
	rec.Name, rec.CreditCode, rec.RegionCode, rec.IndustryCode = from.Name, from.CreditCode, from.RegionCode, from.IndustryCode
	rec.Categories, rec.Scale, rec.Status, rec.StdLevel = from.Categories, from.Scale, from.Status, from.StdLevel
	return rec
}

// appendAudit records an action on an enterprise.
func appendAudit(ctx context.Context, tx *store.Tx, now time.Time, a *org.Actor, action string, e Enterprise, after any) error {
	err := audit.Append(ctx, tx, now, a.Who(), audit.Entry{Action: action, ObjectKind: "enterprise",
		ObjectID: fmt.Sprint(e.UnitID), Region: e.RegionCode, After: after})
	return err
}
