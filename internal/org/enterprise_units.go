package org

import (
	"context"
	"time"

	"anwei/internal/store"
)

// The enterprise registry keeps each enterprise as a unit of kind
// enterprise, written inside the registry's own transaction (one audit event
// there covers both). These helpers are the only way it touches units and
// supervisions.

// RegionExists reports whether an active region has the code.
func RegionExists(ctx context.Context, tx *store.Tx, code string) (bool, error) {
	return regionExists(ctx, tx, code)
}

// InsertEnterpriseUnit adds the unit of a new enterprise.
func InsertEnterpriseUnit(ctx context.Context, tx *store.Tx, now time.Time, name, region string) (int64, error) {
	level, _ := LevelOf(region)
	return tx.InsertID(ctx, `INSERT INTO units (name, short_name, kind, level, region_code, active, created_at, updated_at)
		VALUES (?, '', ?, ?, ?, TRUE, ?, ?)`, name, string(KindEnterprise), int(level), region, now, now)
}

// UpdateEnterpriseUnit follows a renamed or moved enterprise; a closed one
// is deactivated, so its users can no longer sign in.
func UpdateEnterpriseUnit(ctx context.Context, tx *store.Tx, now time.Time, id int64, name, region string, active bool) error {
	level, _ := LevelOf(region)
	_, err := tx.Exec(ctx, `UPDATE units SET name = ?, level = ?, region_code = ?, active = ?, updated_at = ? WHERE id = ? AND kind = ?`,
		name, int(level), region, active, now, id, string(KindEnterprise))
	return err
}

// AddSupervision records that a department supervises an enterprise (it is
// a no-op when it already does).
func AddSupervision(ctx context.Context, tx *store.Tx, deptID, enterpriseID int64) error {
	_, err := tx.Exec(ctx, `INSERT INTO supervisions (dept_id, enterprise_id) VALUES (?, ?) ON CONFLICT (dept_id, enterprise_id) DO NOTHING`,
		deptID, enterpriseID)
	return err
}
