package enterprise

import (
	"context"
	"fmt"
	"strings"
	"time"

	"anwei/internal/apperr"
	"anwei/internal/org"
	"anwei/internal/rules"
	"anwei/internal/store"
)

// Installation is a 生产单元 or 储存单元 with what it holds and its
// identification and grade under GB 18218-2018.
type Installation struct {
	ID       int64             `json:"id"`
	UnitID   int64             `json:"enterprise_id"`
	Name     string            `json:"name"`
	Kind     string            `json:"kind"` // production | storage
	People   int               `json:"people"`
	RecordNo string            `json:"record_no"`
	Holdings []rules.Holding   `json:"holdings"`
	Result   rules.MajorSource `json:"result"`
	Updated  time.Time         `json:"updated_at"`
}

// InstallationInput is an installation as entered.
type InstallationInput struct {
	Name     string          `json:"name"`
	Kind     string          `json:"kind"`
	People   int             `json:"people"`
	RecordNo string          `json:"record_no"`
	Holdings []rules.Holding `json:"holdings"`
}

// SaveInstallation adds (id 0) or replaces an installation of an enterprise
// the actor may edit (its supervisors and territory, or the enterprise
// itself), computing its grade; the enterprise's major grade and class
// follow in the same audited transaction.
// CheckInstallation is what is wrong with an installation's fields, every
// one, in the form's order, with its result when the holdings compute.
func CheckInstallation(in InstallationInput) (rules.MajorSource, apperr.Checks) {
	var c apperr.Checks
	c.If(strings.TrimSpace(in.Name) == "", "name", "请填写单元名称 (如 液氯储罐区)")
	texts := []apperr.Text{text("name", "单元名称", strings.TrimSpace(in.Name)), text("record_no", "备案编号", in.RecordNo)}
	for _, h := range in.Holdings {
		texts = append(texts, text("chemical", "危险化学品", h.Chemical), text("category", "危险性类别", h.Category))
	}
	_ = c.Take(apperr.Lengths(texts...))
	c.If(in.Kind != "production" && in.Kind != "storage", "kind", "请选择生产单元或储存单元")
	c.If(in.People < 0, "people", "厂外500米内常住人口不能为负数")
	res, err := rules.ComputeMajorSource(in.Holdings, in.People)
	if err != nil {
		c.Add("holdings", err.Error())
	}
	return res, c
}

func (s *Service) SaveInstallation(ctx context.Context, a *org.Actor, unitID, id int64, in InstallationInput) (Installation, error) {
	if !(a.Can(org.PermEntWrite) || (a.Can(org.PermEntOwn) && a.Unit.ID == unitID)) {
		return Installation{}, apperr.New(apperr.Forbidden, "没有维护该企业重大危险源的权限")
	}
	// The form's fields first, every one at once (issue 16.2), then the enterprise.
	in.Name = strings.TrimSpace(in.Name)
	res, c := CheckInstallation(in)
	if err := c.Err(); err != nil {
		return Installation{}, err
	}
	e, err := s.Get(ctx, a, unitID)
	if err != nil {
		return Installation{}, err
	}
	now := s.clock.Now()
	inst := Installation{ID: id, UnitID: unitID, Name: in.Name, Kind: in.Kind, People: in.People, RecordNo: strings.TrimSpace(in.RecordNo),
		Holdings: in.Holdings, Result: res, Updated: now}
	err = s.db.Tx(ctx, func(tx *store.Tx) error {
		if id == 0 {
			nid, err := tx.InsertID(ctx, `INSERT INTO installations (unit_id, name, kind, people, sum_q, r, major, grade, record_no, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, unitID, inst.Name, inst.Kind, inst.People, res.Sum, res.R, res.Major, res.Grade, inst.RecordNo, now, now)
			if err != nil {
				return err
			}
			inst.ID = nid
		} else {
			r, err := tx.Exec(ctx, `UPDATE installations SET name = ?, kind = ?, people = ?, sum_q = ?, r = ?, major = ?, grade = ?, record_no = ?, updated_at = ?
				WHERE id = ? AND unit_id = ?`, inst.Name, inst.Kind, inst.People, res.Sum, res.R, res.Major, res.Grade, inst.RecordNo, now, id, unitID)
			if err != nil {
				return err
			}
			if n, _ := r.RowsAffected(); n == 0 {
				return apperr.New(apperr.NotFound, "单元不存在")
			}
			if _, err := tx.Exec(ctx, "DELETE FROM installation_holdings WHERE installation_id = ?", id); err != nil {
				return err
			}
		}
		for i, l := range res.Lines {
			if _, err := tx.Exec(ctx, `INSERT INTO installation_holdings (installation_id, seq, chemical, chemical_key, category, tonnes)
				VALUES (?, ?, ?, ?, ?, ?)`, inst.ID, i+1, in.Holdings[i].Chemical, l.Chemical.Key, in.Holdings[i].Category, l.Tonnes); err != nil {
				return err
			}
		}
		if err := s.reclass(ctx, tx, &e); err != nil {
			return err
		}
		return appendAudit(ctx, tx, now, a, "enterprise.installation.save", e, map[string]any{"installation": inst.ID, "name": inst.Name,
			"sum": res.Sum, "r": res.R, "major": res.Major, "grade": res.Grade, "basis": res.Basis})
	})
	return inst, err
}

// Installations lists an enterprise's installations with their results,
// recomputed from the holdings so the citation and lines show.
func (s *Service) Installations(ctx context.Context, a *org.Actor, unitID int64) ([]Installation, error) {
	if _, err := s.Get(ctx, a, unitID); err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, `SELECT i.id, i.name, i.kind, i.people, i.record_no, i.updated_at, h.chemical, h.category, h.tonnes
		FROM installations i LEFT JOIN installation_holdings h ON h.installation_id = i.id WHERE i.unit_id = ? ORDER BY i.id, h.seq`, unitID)
	var out []Installation
	if err := store.Each(rows, err, func(r store.Scanner) error {
		var x Installation
		var chem, cat *string
		var t *float64
		if err := r.Scan(&x.ID, &x.Name, &x.Kind, &x.People, &x.RecordNo, &x.Updated, &chem, &cat, &t); err != nil {
			return err
		}
		if len(out) == 0 || out[len(out)-1].ID != x.ID {
			x.UnitID = unitID
			out = append(out, x)
		}
		if chem != nil {
			last := &out[len(out)-1]
			last.Holdings = append(last.Holdings, rules.Holding{Chemical: *chem, Category: *cat, Tonnes: *t})
		}
		return nil
	}); err != nil {
		return nil, err
	}
	for i := range out {
		if res, err := rules.ComputeMajorSource(out[i].Holdings, out[i].People); err == nil {
			out[i].Result = res
		} else {
			return nil, fmt.Errorf("单元 %s: %w", out[i].Name, err)
		}
	}
	return out, nil
}
