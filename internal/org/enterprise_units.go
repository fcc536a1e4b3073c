package org

import (
	"context"
	"strings"
	"time"

	"anwei/internal/apperr"
	"anwei/internal/store"
)

// The enterprise registry keeps each enterprise as a unit of kind
// enterprise, written inside the registry's own transaction (one audit event
// there covers both), and builds 三管三必须 on the supervisions. These
// helpers are the only way it writes units and supervisions; it reads them
// through the views of views.go.

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

// AddSupervisions records that a department supervises each of the
// enterprises and returns how many it did not already (a duty rule applied
// to the enterprises of its category).
func AddSupervisions(ctx context.Context, tx *store.Tx, deptID int64, enterpriseIDs []int64) (int, error) {
	added := 0
	for len(enterpriseIDs) > 0 {
		n := min(len(enterpriseIDs), 500)
		args := make([]any, 0, 2*n)
		for _, id := range enterpriseIDs[:n] {
			args = append(args, deptID, id)
		}
		res, err := tx.Exec(ctx, "INSERT INTO supervisions (dept_id, enterprise_id) VALUES "+
			strings.TrimSuffix(strings.Repeat("(?, ?),", n), ",")+" ON CONFLICT (dept_id, enterprise_id) DO NOTHING", args...)
		if err != nil {
			return 0, err
		}
		k, err := res.RowsAffected()
		if err != nil {
			return 0, err
		}
		added += int(k)
		enterpriseIDs = enterpriseIDs[n:]
	}
	return added, nil
}

// SetSupervisionOfficer makes a department supervise an enterprise (if it
// does not yet) with the named officer (实名制监管), an active user of that
// department; officerID 0 leaves it without one.
func SetSupervisionOfficer(ctx context.Context, tx *store.Tx, deptID, enterpriseID, officerID int64) error {
	var officer any
	if officerID != 0 {
		var unit int64
		err := tx.QueryRow(ctx, "SELECT unit_id FROM users WHERE id = ? AND active = TRUE", officerID).Scan(&unit)
		if store.NoRows(err) || (err == nil && unit != deptID) {
			return apperr.Field("officer_id", "责任人应为该监管部门的在岗人员")
		}
		if err != nil {
			return err
		}
		officer = officerID
	}
	if err := AddSupervision(ctx, tx, deptID, enterpriseID); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, "UPDATE supervisions SET officer_id = ? WHERE dept_id = ? AND enterprise_id = ?", officer, deptID, enterpriseID)
	return err
}

// EnterpriseUnit is the unit of an enterprise a bulk import adds.
type EnterpriseUnit struct {
	ID                   int64 // from UnitWriter.Reserve
	Name, Region         string
	CreatedAt, UpdatedAt time.Time
}

// UnitWriter writes the units of a bulk import's new enterprises and their
// supervisions many rows per statement, in the registry's batch (one
// statement per row and table costs several times as much; the import's
// rows/s rests on it). Ids are reserved up front, so the registry can
// write its own rows in the same batch.
type UnitWriter struct {
	b      *store.Batch
	nextID int64 // SQLite: the next free unit id (one writer holds the database)
}

// NewUnitWriter returns a writer of units into b.
func NewUnitWriter(ctx context.Context, b *store.Batch) (*UnitWriter, error) {
	w := &UnitWriter{b: b}
	if b.Tx().Dialect != store.Postgres {
		if err := b.Tx().QueryRow(ctx, "SELECT COALESCE(MAX(id), 0) + 1 FROM units").Scan(&w.nextID); err != nil {
			return nil, err
		}
	}
	return w, nil
}

// Reserve hands out n unit ids.
func (w *UnitWriter) Reserve(ctx context.Context, n int) ([]int64, error) {
	out := make([]int64, 0, n)
	tx := w.b.Tx()
	if tx.Dialect != store.Postgres {
		for i := 0; i < n; i++ {
			out = append(out, w.nextID)
			w.nextID++
		}
		return out, nil
	}
	// The sequence looked up once (OFFSET 0 keeps the subquery apart), not
	// per row: pg_get_serial_sequence for each of 4,096 ids cost 12 ms.
	rows, err := tx.Query(ctx, `SELECT nextval(q.s) FROM (SELECT pg_get_serial_sequence('units', 'id')::regclass AS s OFFSET 0) q,
		generate_series(1, ?)`, n)
	return store.Collect(rows, err, store.Value[int64])
}

// enterpriseUnitCols are the columns InsertEnterprises writes.
var enterpriseUnitCols = []string{"id", "name", "short_name", "kind", "level", "region_code", "active", "created_at", "updated_at"}

// InsertEnterprises writes the units of enterprises (ids reserved, regions
// a county or township) in one statement (store.Batch.Copy).
func (w *UnitWriter) InsertEnterprises(ctx context.Context, us []EnterpriseUnit) error {
	return w.b.Copy(ctx, "units", enterpriseUnitCols, len(us), func(i int, dst []any) []any {
		u := &us[i]
		level, _ := LevelOf(u.Region)
		return append(dst, u.ID, u.Name, "", string(KindEnterprise), int64(level), u.Region, true, u.CreatedAt, u.UpdatedAt)
	})
}

// AddNewSupervisions records the supervisions of new enterprises, each a
// department and an enterprise, in one statement (store.Batch.Copy): the
// enterprises' units were written in the same batch, so none can be
// recorded yet, and each pair must come once.
func (w *UnitWriter) AddNewSupervisions(ctx context.Context, sups [][2]int64) error {
	return w.b.Copy(ctx, "supervisions", []string{"dept_id", "enterprise_id"}, len(sups), func(i int, dst []any) []any {
		return append(dst, sups[i][0], sups[i][1])
	})
}
