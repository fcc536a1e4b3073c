package enterprise

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"anwei/internal/apperr"
	"anwei/internal/codes"
	"anwei/internal/org"
	"anwei/internal/paging"
	"anwei/internal/store"
)

// Change is an enterprise's request to change its key fields.
type Change struct {
	ID         int64      `json:"id"`
	UnitID     int64      `json:"enterprise_id"`
	Enterprise string     `json:"enterprise"`
	Before     keys       `json:"before"`
	After      keys       `json:"after"`
	Status     string     `json:"status"` // pending | approved | rejected
	Reason     string     `json:"reason"`
	CreatedAt  time.Time  `json:"created_at"`
	DecidedAt  *time.Time `json:"decided_at,omitempty"`
	// RegionNames name the regions of Before and After ("" when unknown):
	// a request reads 所在区划: 泺口街道 → 北园街道, not two codes.
	RegionNames map[string]string `json:"region_names,omitempty"`
}

// Diff lists the changed key fields as 字段: 旧 → 新.
func (c Change) Diff() []string {
	var out []string
	add := func(label, a, b string) {
		if a != b {
			out = append(out, label+": "+a+" → "+b)
		}
	}
	add("企业名称", c.Before.Name, c.After.Name)
	add("统一社会信用代码", c.Before.CreditCode, c.After.CreditCode)
	add("所在区划", c.regionName(c.Before.RegionCode), c.regionName(c.After.RegionCode))
	add("行业代码", c.Before.IndustryCode, c.After.IndustryCode)
	add("监管类别", catNames(c.Before.Categories), catNames(c.After.Categories))
	add("规模", codes.NameOf(Scales, c.Before.Scale), codes.NameOf(Scales, c.After.Scale))
	add("状态", codes.NameOf(Statuses, c.Before.Status), codes.NameOf(Statuses, c.After.Status))
	add("标准化等级", codes.NameOf(StdLevels, c.Before.StdLevel), codes.NameOf(StdLevels, c.After.StdLevel))
	return out
}

// regionName is a region as a person reads it: its name and code.
func (c Change) regionName(code string) string {
	if n := c.RegionNames[code]; n != "" {
		return n + " (" + code + ")"
	}
	return code
}

func catNames(list string) string {
	var out []string
	for _, k := range splitList(list) {
		out = append(out, CategoryName(k))
	}
	return strings.Join(out, "、")
}

// ListChanges lists change requests of enterprises the actor may see.
func (s *Service) ListChanges(ctx context.Context, a *org.Actor, status string, pg paging.Page) ([]Change, int, error) {
	return s.changes(ctx, a, status, 0, 0, pg)
}

// PendingChanges lists the pending change requests of enterprise unitID,
// newest first (the notice on its profile); none outside the actor's scope.
func (s *Service) PendingChanges(ctx context.Context, a *org.Actor, unitID int64) ([]Change, error) {
	cs, _, err := s.changes(ctx, a, "pending", 0, unitID, paging.Page{Limit: 500})
	return cs, err
}

// changes lists change requests in the actor's scope, of one status, one id
// and one enterprise when given.
func (s *Service) changes(ctx context.Context, a *org.Actor, status string, id, unitID int64, pg paging.Page) ([]Change, int, error) {
	if err := a.Require(org.PermOrgRead); err != nil {
		return nil, 0, err
	}
	w, args := a.Scope.UnitsWhere("ch.region_code", "ch.unit_id")
	if id != 0 {
		w += " AND ch.id = ?"
		args = append(args, id)
	}
	if unitID != 0 {
		w += " AND ch.unit_id = ?"
		args = append(args, unitID)
	}
	if status != "" {
		w += " AND ch.status = ?"
		args = append(args, status)
	}
	var total int
	if err := s.db.QueryRow(ctx, "SELECT COUNT(*) FROM enterprise_changes ch WHERE "+w, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	pg = pg.Clamp()
	rows, err := s.db.Query(ctx, `SELECT ch.id, ch.unit_id, e.name, ch.before_json, ch.after_json, ch.status, ch.reason, ch.created_at, ch.decided_at
		FROM enterprise_changes ch JOIN enterprises e ON e.unit_id = ch.unit_id WHERE `+w+` ORDER BY ch.id DESC LIMIT ? OFFSET ?`,
		append(args, pg.Limit, pg.Offset)...)
	out, err := store.Collect(rows, err, func(r store.Scanner) (Change, error) {
		var c Change
		var bj, aj string
		if err := r.Scan(&c.ID, &c.UnitID, &c.Enterprise, &bj, &aj, &c.Status, &c.Reason, &c.CreatedAt, &c.DecidedAt); err != nil {
			return c, err
		}
		if err := json.Unmarshal([]byte(bj), &c.Before); err != nil {
			return c, err
		}
		return c, json.Unmarshal([]byte(aj), &c.After)
	})
	if err != nil {
		return nil, 0, err
	}
	return out, total, s.nameRegions(ctx, out)
}

// nameRegions fills the changes' RegionNames in one query.
func (s *Service) nameRegions(ctx context.Context, cs []Change) error {
	seen := map[string]bool{}
	var args []any
	for _, c := range cs {
		for _, code := range []string{c.Before.RegionCode, c.After.RegionCode} {
			if code != "" && !seen[code] {
				seen[code] = true
				args = append(args, code)
			}
		}
	}
	if len(args) == 0 {
		return nil
	}
	rows, err := s.db.Query(ctx, "SELECT code, name FROM "+org.RegionsView+" r WHERE code IN (?"+strings.Repeat(", ?", len(args)-1)+")", args...)
	names := map[string]string{}
	if err := store.Each(rows, err, func(r store.Scanner) error {
		var code, name string
		if err := r.Scan(&code, &name); err != nil {
			return err
		}
		names[code] = name
		return nil
	}); err != nil {
		return err
	}
	for i := range cs {
		cs[i].RegionNames = map[string]string{}
		for _, code := range []string{cs[i].Before.RegionCode, cs[i].After.RegionCode} {
			if names[code] != "" {
				cs[i].RegionNames[code] = names[code]
			}
		}
	}
	return nil
}

// DecideChange approves or rejects an enterprise's key-field change. Only a
// department that supervises the enterprise, or the territorial government
// or office whose region holds it, decides; a rejection needs a reason. An
// approval passes exactly the checks of a direct edit by the approver
// (checkEdit): a region outside the approver's reach is refused, a move to
// another county needs the office above both, and the enterprise's open
// hazards and risk points go with it.
func (s *Service) DecideChange(ctx context.Context, a *org.Actor, id int64, approve bool, reason string) error {
	if err := a.Require(org.PermEntWrite); err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	if !approve && reason == "" {
		return apperr.Field("reason", "驳回时请写明理由")
	}
	if err := apperr.Lengths(text("reason", "理由", reason)); err != nil {
		return err
	}
	cs, _, err := s.changes(ctx, a, "", id, 0, paging.Page{Limit: 1})
	if err != nil {
		return err
	}
	if len(cs) == 0 {
		return apperr.New(apperr.NotFound, "变更申请不存在或不由您审核")
	}
	c := &cs[0]
	if c.Status != "pending" {
		return apperr.New(apperr.Conflict, "该申请已处理")
	}
	if a.Unit.ID == c.UnitID {
		return apperr.New(apperr.Forbidden, "企业不能审核自己的变更")
	}
	now := s.clock.Now()
	today := s.today()
	return s.db.Tx(ctx, func(tx *store.Tx) error {
		e, err := getTx(ctx, tx, today, c.UnitID)
		if err != nil {
			return err
		}
		status, before, moved := "rejected", e.RegionCode, map[string]int(nil)
		if approve {
			status = "approved"
			// Only what the request changes is applied: a key field the
			// request leaves as it was keeps the record's current value,
			// which its department may have changed since (an old request
			// approved must not put back the grade of when it was made).
			b, k := c.Before, c.After
			asked := func(cur, was, now string) string {
				if was != now {
					return now
				}
				return cur
			}
			proposed := e
			proposed.Name, proposed.CreditCode, proposed.RegionCode = asked(e.Name, b.Name, k.Name), asked(e.CreditCode, b.CreditCode, k.CreditCode), asked(e.RegionCode, b.RegionCode, k.RegionCode)
			if err := checkEdit(ctx, tx, a, e, proposed); err != nil {
				return err
			}
			oldName, oldCode := e.Name, e.CreditCode
			e.Name, e.CreditCode, e.RegionCode = proposed.Name, proposed.CreditCode, proposed.RegionCode
			e.IndustryCode, e.Scale, e.Status = asked(e.IndustryCode, b.IndustryCode, k.IndustryCode), asked(e.Scale, b.Scale, k.Scale), asked(e.Status, b.Status, k.Status)
			if b.Categories != k.Categories {
				e.Categories = splitList(k.Categories)
			}
			if !k.stdLevelUnknown && !b.stdLevelUnknown {
				e.StdLevel = asked(e.StdLevel, b.StdLevel, k.StdLevel)
			}
			e.UpdatedAt = now
			if err := updateRecord(ctx, tx, &e, oldName, oldCode); err != nil {
				return err
			}
			if err := org.UpdateEnterpriseUnit(ctx, tx, now, e.UnitID, e.Name, e.RegionCode, e.Status != "closed"); err != nil {
				return err
			}
			if err := assignDuties(ctx, tx, &e); err != nil {
				return err
			}
			if err := s.reclass(ctx, tx, &e); err != nil {
				return err
			}
			if moved, err = s.follow(ctx, tx, e.UnitID, before, e.RegionCode); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, "UPDATE enterprise_changes SET status = ?, reason = ?, decided_at = ?, decided_by = ? WHERE id = ?",
			status, reason, now, a.UserID, id); err != nil {
			return err
		}
		if err := tellDecision(ctx, tx, now, c, approve, reason); err != nil {
			return err
		}
		return appendAudit(ctx, tx, now, a, "enterprise.change."+status, e, map[string]any{"change": id, "reason": reason, "fields": c.Diff(), "moved": moved})
	})
}
