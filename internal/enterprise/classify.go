package enterprise

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"anwei/internal/apperr"
	"anwei/internal/audit"
	"anwei/internal/org"
	"anwei/internal/store"
)

const classRuleKey = "enterprise.class_rule"

// ClassRule returns the deployment's rule (the default until one is saved).
func (s *Service) ClassRule(ctx context.Context) (ClassRule, error) {
	var raw string
	err := s.db.QueryRow(ctx, "SELECT value FROM settings WHERE key = ?", classRuleKey).Scan(&raw)
	if store.NoRows(err) {
		return DefaultClassRule(), nil
	}
	if err != nil {
		return ClassRule{}, err
	}
	var r ClassRule
	if err := json.Unmarshal([]byte(raw), &r); err != nil {
		return ClassRule{}, fmt.Errorf("分级规则损坏: %w", err)
	}
	return r, nil
}

func ruleTx(ctx context.Context, tx *store.Tx) (ClassRule, error) {
	var raw string
	err := tx.QueryRow(ctx, "SELECT value FROM settings WHERE key = ?", classRuleKey).Scan(&raw)
	if store.NoRows(err) {
		return DefaultClassRule(), nil
	}
	if err != nil {
		return ClassRule{}, err
	}
	var r ClassRule
	return r, json.Unmarshal([]byte(raw), &r)
}

// SetClassRule stores a new rule (the office of the deployment) and
// reclassifies every enterprise, in one audited transaction.
func (s *Service) SetClassRule(ctx context.Context, a *org.Actor, r ClassRule) (int, error) {
	if err := a.Require(org.PermEntDuty); err != nil {
		return 0, err
	}
	if err := r.Validate(); err != nil {
		return 0, apperr.Field("rule", err.Error())
	}
	raw, err := json.Marshal(r)
	if err != nil {
		return 0, err
	}
	before, err := s.ClassRule(ctx)
	if err != nil {
		return 0, err
	}
	now := s.clock.Now()
	n := 0
	err = s.db.Tx(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
			classRuleKey, string(raw)); err != nil {
			return err
		}
		var err error
		if n, err = s.reclassAll(ctx, tx, r); err != nil {
			return err
		}
		_, err = audit.Append(ctx, tx, now, a.Who(), audit.Entry{Action: "enterprise.class_rule.set", ObjectKind: "setting",
			ObjectID: classRuleKey, Region: a.Unit.Region, Before: before, After: map[string]any{"rule": r, "reclassified": n}})
		return err
	})
	return n, err
}

// inputs gathers one record's class inputs inside tx.
func (s *Service) inputs(ctx context.Context, tx *store.Tx, e *Enterprise) (Inputs, error) {
	in := Inputs{Categories: e.Categories, StdLevel: e.StdLevel}
	var err error
	if in.OpenMajorHazards, err = s.Signals.OpenMajorHazards(ctx, tx, e.UnitID); err != nil {
		return in, err
	}
	if in.Violations12m, err = s.Signals.Violations12m(ctx, tx, e.UnitID); err != nil {
		return in, err
	}
	today := s.today()
	var grade string
	if err := tx.QueryRow(ctx, `SELECT COALESCE(MIN(CASE grade WHEN '一级' THEN 1 WHEN '二级' THEN 2 WHEN '三级' THEN 3 WHEN '四级' THEN 4 END), 0)
		FROM installations WHERE unit_id = ? AND major = TRUE`, e.UnitID).Scan(&grade); err != nil {
		return in, err
	}
	in.MajorGrade = map[string]string{"1": "一级", "2": "二级", "3": "三级", "4": "四级"}[grade]
	var listed int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM credit_listings WHERE unit_id = ? AND repaired_on IS NULL AND listed_on <= ? AND ends_on > ?`,
		e.UnitID, today, today).Scan(&listed); err != nil {
		return in, err
	}
	in.Blacklisted = listed > 0
	return in, nil
}

// reclass recomputes one record's class and major grade and stores them.
func (s *Service) reclass(ctx context.Context, tx *store.Tx, e *Enterprise) error {
	r, err := ruleTx(ctx, tx)
	if err != nil {
		return err
	}
	in, err := s.inputs(ctx, tx, e)
	if err != nil {
		return err
	}
	c := r.Classify(in)
	e.Class, e.ClassScore, e.ClassReason, e.MajorGrade = c.Class, c.Score, c.Reason, in.MajorGrade
	_, err = tx.Exec(ctx, "UPDATE enterprises SET class = ?, class_score = ?, class_reason = ?, major_grade = ? WHERE unit_id = ?",
		c.Class, c.Score, c.Reason, in.MajorGrade, e.UnitID)
	return err
}

// reclassAll recomputes every record with rule r and returns how many changed class.
func (s *Service) reclassAll(ctx context.Context, tx *store.Tx, r ClassRule) (int, error) {
	rows, err := tx.Query(ctx, "SELECT unit_id, categories, std_level, class FROM enterprises ORDER BY unit_id")
	if err != nil {
		return 0, err
	}
	type rec struct {
		e     Enterprise
		class string
	}
	var all []rec
	for rows.Next() {
		var x rec
		var cats string
		if err := rows.Scan(&x.e.UnitID, &cats, &x.e.StdLevel, &x.class); err != nil {
			rows.Close()
			return 0, err
		}
		x.e.Categories = splitList(cats)
		all = append(all, x)
	}
	rows.Close()
	changed := 0
	for _, x := range all {
		in, err := s.inputs(ctx, tx, &x.e)
		if err != nil {
			return 0, err
		}
		c := r.Classify(in)
		if c.Class != x.class {
			changed++
		}
		if _, err := tx.Exec(ctx, "UPDATE enterprises SET class = ?, class_score = ?, class_reason = ?, major_grade = ? WHERE unit_id = ?",
			c.Class, c.Score, c.Reason, in.MajorGrade, x.e.UnitID); err != nil {
			return 0, err
		}
	}
	return changed, nil
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// Signals are the class inputs other mechanisms provide (open major
// hazards from hazard, violations from enforcement), read inside the
// transaction that reclassifies so they see its changes. app fills it;
// until a mechanism lands its part reports nothing (NoSignals).
type Signals interface {
	OpenMajorHazards(ctx context.Context, tx *store.Tx, unitID int64) (int, error)
	Violations12m(ctx context.Context, tx *store.Tx, unitID int64) (int, error)
}

// NoSignals reports nothing.
type NoSignals struct{}

// OpenMajorHazards reports none.
func (NoSignals) OpenMajorHazards(context.Context, *store.Tx, int64) (int, error) { return 0, nil }

// Violations12m reports none.
func (NoSignals) Violations12m(context.Context, *store.Tx, int64) (int, error) { return 0, nil }

// Reclass recomputes an enterprise's class inside tx, for a mechanism
// whose change moves a class input (a major hazard judged, closed or
// reopened). It applies no actor scope: the caller has checked it.
func (s *Service) Reclass(ctx context.Context, tx *store.Tx, unitID int64) error {
	e, err := getTx(ctx, tx, s.today(), unitID)
	if err != nil {
		return err
	}
	return s.reclass(ctx, tx, &e)
}
