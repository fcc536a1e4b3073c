package enterprise

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"anwei/internal/audit"
	"anwei/internal/org"
	"anwei/internal/store"
)

const classRuleKey = "enterprise.class_rule"

// ClassRule returns the deployment's rule (the default until one is saved).
func (s *Service) ClassRule(ctx context.Context) (ClassRule, error) {
	raw, ok, err := org.ReadSetting(ctx, s.db, classRuleKey)
	if err != nil {
		return ClassRule{}, err
	}
	if !ok {
		return DefaultClassRule(), nil
	}
	var r ClassRule
	if err := json.Unmarshal([]byte(raw), &r); err != nil {
		return ClassRule{}, fmt.Errorf("分级规则损坏: %w", err)
	}
	return r, nil
}

func ruleTx(ctx context.Context, tx *store.Tx) (ClassRule, error) {
	raw, ok, err := org.ReadSetting(ctx, tx, classRuleKey)
	if err != nil {
		return ClassRule{}, err
	}
	if !ok {
		return DefaultClassRule(), nil
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
		return 0, err
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
		if err := org.WriteSetting(ctx, tx, classRuleKey, string(raw)); err != nil {
			return err
		}
		var err error
		if n, err = s.reclassAll(ctx, tx, r); err != nil {
			return err
		}
		err = audit.Append(ctx, tx, now, a.Who(), audit.Entry{Action: "enterprise.class_rule.set", ObjectKind: "setting",
			ObjectID: classRuleKey, Region: a.Unit.Region, Before: before, After: map[string]any{"rule": r, "reclassified": n}})
		return err
	})
	return n, err
}

// reclass recomputes one record's class and major grade and stores them.
func (s *Service) reclass(ctx context.Context, tx *store.Tx, e *Enterprise) error {
	r, err := ruleTx(ctx, tx)
	if err != nil {
		return err
	}
	ins, err := s.classInputs(ctx, tx, []*Enterprise{e}, false)
	if err != nil {
		return err
	}
	c := r.Classify(ins[e.UnitID])
	e.Class, e.ClassScore, e.ClassReason, e.MajorGrade = c.Class, c.Score, c.Reason, ins[e.UnitID].MajorGrade
	_, err = tx.Exec(ctx, "UPDATE enterprises SET class = ?, class_score = ?, class_reason = ?, major_grade = ? WHERE unit_id = ?",
		c.Class, c.Score, c.Reason, e.MajorGrade, e.UnitID)
	return err
}

// reclassAll recomputes every record with rule r — the inputs read once
// for all, only the records whose class, score, reason or grade moved
// written — and returns how many changed class.
func (s *Service) reclassAll(ctx context.Context, tx *store.Tx, r ClassRule) (int, error) {
	rows, err := tx.Query(ctx, "SELECT unit_id, categories, std_level, class, class_score, class_reason, major_grade FROM enterprises ORDER BY unit_id")
	all, err := store.Collect(rows, err, func(r store.Scanner) (*Enterprise, error) {
		e := &Enterprise{}
		var cats string
		err := r.Scan(&e.UnitID, &cats, &e.StdLevel, &e.Class, &e.ClassScore, &e.ClassReason, &e.MajorGrade)
		e.Categories = splitList(cats)
		return e, err
	})
	if err != nil {
		return 0, err
	}
	ins, err := s.classInputs(ctx, tx, all, true)
	if err != nil {
		return 0, err
	}
	changed := 0
	for _, e := range all {
		in := ins[e.UnitID]
		c := r.Classify(in)
		if c.Class != e.Class {
			changed++
		}
		if c.Class == e.Class && c.Score == e.ClassScore && c.Reason == e.ClassReason && in.MajorGrade == e.MajorGrade {
			continue
		}
		if _, err := tx.Exec(ctx, "UPDATE enterprises SET class = ?, class_score = ?, class_reason = ?, major_grade = ? WHERE unit_id = ?",
			c.Class, c.Score, c.Reason, in.MajorGrade, e.UnitID); err != nil {
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
