// Package org is anwei's organisation: administrative regions (行政区划, the
// national division codes), units (governments, departments, 安委会 and their
// offices, 专业委员会, street offices, zones, enterprises, expert pools),
// committee membership, users with roles, and the jurisdiction Scope every
// listing is filtered by. It implements the 安委会 structure of
// 《安全生产法》第九条 and the 三管三必须 duties of 第十条.
package org

import (
	"context"
	"strconv"

	"anwei/internal/apperr"
	"anwei/internal/audit"
	"anwei/internal/calendar"
	"anwei/internal/org/scope"
	"anwei/internal/store"
)

// Service is the organisation's use cases.
type Service struct {
	db    *store.DB
	clock calendar.Clock
}

// NewService returns the organisation service.
func NewService(db *store.DB, clock calendar.Clock) *Service {
	return &Service{db: db, clock: clock}
}

// System is the actor of command-line and start-up work: it sees and may do
// everything, and is recorded as "system" in the audit log.
var System = &Actor{Username: "system", Name: "系统", Roles: []Role{RoleAdmin},
	Perms: []Perm{PermOrgRead, PermRegionWrite, PermUnitWrite, PermUserWrite, PermCommitteeWrite, PermCalendarWrite, PermAuditRead, PermPlanImport, PermTokenWriteOwn},
	Scope: scope.Scope{All: true}}

// record appends the audit event of a change made by a in tx.
func (s *Service) record(ctx context.Context, tx *store.Tx, a *Actor, e audit.Entry) error {
	err := audit.Append(ctx, tx, s.clock.Now(), a.Who(), e)
	return err
}

func id(n int64) string { return strconv.FormatInt(n, 10) }

// Setting reads a deployment setting ("" if unset).
func (s *Service) Setting(ctx context.Context, key string) (string, error) {
	v, _, err := ReadSetting(ctx, s.db, key)
	return v, err
}

// RootRegion returns the deployment's root region code and whether the
// deployment has been set up.
func (s *Service) RootRegion(ctx context.Context) (string, bool, error) {
	var v string
	err := s.db.QueryRow(ctx, "SELECT value FROM settings WHERE key = 'root_region'").Scan(&v)
	if store.NoRows(err) {
		return "", false, nil
	}
	return v, err == nil, err
}

// Bootstrap sets up an empty deployment rooted at region root ("" = the
// nation): loads the region subtree, records the root and creates the root
// government unit. On a set-up deployment it checks that root matches (an
// empty root always matches) and does nothing.
func (s *Service) Bootstrap(ctx context.Context, root string) (Unit, error) {
	have, ok, err := s.RootRegion(ctx)
	if err != nil {
		return Unit{}, err
	}
	if ok {
		if root != "" && root != have {
			return Unit{}, apperr.New(apperr.Conflict, "本部署的根行政区划已是 "+have+"，不能改为 "+root)
		}
		var u Unit
		err := s.db.QueryRow(ctx, "SELECT id FROM units WHERE kind = 'government' AND region_code = ? ORDER BY id LIMIT 1", have).Scan(&u.ID)
		if err != nil {
			return Unit{}, err
		}
		return s.GetUnit(ctx, System, u.ID)
	}
	regions, err := Subtree(root)
	if err != nil {
		return Unit{}, apperr.Field("region", err.Error())
	}
	var gov Unit
	err = s.db.Tx(ctx, func(tx *store.Tx) error {
		for _, r := range regions {
			var parent any
			if r.ParentCode != "" || r.Level == LevelProvince {
				parent = r.ParentCode
			}
			if _, err := tx.Exec(ctx, "INSERT INTO regions (code, name, level, parent_code) VALUES (?, ?, ?, ?)",
				r.Code, r.Name, int(r.Level), parent); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, "INSERT INTO settings (key, value) VALUES ('root_region', ?)", root); err != nil {
			return err
		}
		name := "系统管理"
		if root != "" {
			name = OfficialName(root) + "人民政府"
		}
		lvl, _ := LevelOf(root)
		gov, err = s.insertUnit(ctx, tx, UnitInput{Name: name, Kind: KindGovernment, RegionCode: root, Level: lvl})
		if err != nil {
			return err
		}
		return s.record(ctx, tx, System, audit.Entry{Action: "deployment.bootstrap", ObjectKind: "region", ObjectID: root,
			Region: root, After: map[string]any{"root_region": root, "regions": len(regions), "government": gov.Name}})
	})
	return gov, err
}
