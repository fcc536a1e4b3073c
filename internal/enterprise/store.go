package enterprise

import (
	"context"
	"strings"

	"anwei/internal/org"
	"anwei/internal/store"
)

// entCols are the enterprises columns in the order scanEnterprise reads them,
// followed by the region's name and the derived blacklist flag (its one
// argument is today).
const entCols = `e.unit_id, e.name, e.credit_code, e.region_code, e.address, e.grid, e.industry_code, e.categories, e.scale,
	e.legal_rep, e.principal, e.principal_phone, e.safety_manager, e.safety_phone, e.staff, e.safety_engineers, e.std_level,
	e.insurer, e.policy_no, e.policy_expires, e.status, e.class, e.class_score, e.class_reason, e.major_grade, e.created_at, e.updated_at,
	COALESCE((SELECT rn.name FROM ` + org.RegionsView + ` rn WHERE rn.code = e.region_code), ''), ` + blacklisted

// blacklisted is true while a listing is in force (args: today, today).
const blacklisted = `EXISTS (SELECT 1 FROM credit_listings cl WHERE cl.unit_id = e.unit_id AND cl.repaired_on IS NULL
	AND cl.listed_on <= ? AND cl.ends_on > ?)`

func scanEnterprise(r interface{ Scan(...any) error }) (Enterprise, error) {
	var e Enterprise
	var cats string
	err := r.Scan(&e.UnitID, &e.Name, &e.CreditCode, &e.RegionCode, &e.Address, &e.Grid, &e.IndustryCode, &cats, &e.Scale,
		&e.LegalRep, &e.Principal, &e.PrincipalPhone, &e.SafetyManager, &e.SafetyPhone, &e.Staff, &e.SafetyEngineers, &e.StdLevel,
		&e.Insurer, &e.PolicyNo, &e.PolicyExpires, &e.Status, &e.Class, &e.ClassScore, &e.ClassReason, &e.MajorGrade,
		&e.CreatedAt, &e.UpdatedAt, &e.RegionName, &e.Blacklisted)
	if cats != "" {
		e.Categories = strings.Split(cats, ",")
	}
	e.nameCodes()
	return e, err
}

// insertRecord writes a new record and its categories.
func insertRecord(ctx context.Context, tx *store.Tx, e *Enterprise) error {
	if _, err := tx.Exec(ctx, `INSERT INTO enterprises (unit_id, name, credit_code, region_code, address, grid, industry_code, categories,
		scale, legal_rep, principal, principal_phone, safety_manager, safety_phone, staff, safety_engineers, std_level, insurer, policy_no,
		policy_expires, status, class, class_score, class_reason, major_grade, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.UnitID, e.Name, e.CreditCode, e.RegionCode, e.Address, e.Grid, e.IndustryCode, strings.Join(e.Categories, ","), e.Scale,
		e.LegalRep, e.Principal, e.PrincipalPhone, e.SafetyManager, e.SafetyPhone, e.Staff, e.SafetyEngineers, e.StdLevel,
		e.Insurer, e.PolicyNo, e.PolicyExpires, e.Status, e.Class, e.ClassScore, e.ClassReason, e.MajorGrade, e.CreatedAt, e.UpdatedAt); err != nil {
		return err
	}
	if err := ftsInsert(ctx, tx, e.UnitID, e.Name, e.CreditCode); err != nil {
		return err
	}
	return setCategories(ctx, tx, e.UnitID, e.Categories)
}

// The SQLite search index holds names only (codes are searched by prefix on
// their unique index); ftsInsert adds a record to it (PostgreSQL's pg_trgm
// index follows the table by itself).
func ftsInsert(ctx context.Context, tx *store.Tx, id int64, name, code string) error {
	if tx.Dialect == store.Postgres {
		return nil
	}
	_, err := tx.Exec(ctx, "INSERT INTO enterprise_fts (rowid, name) VALUES (?, ?)", id, name)
	return err
}

// ftsDelete removes a record's old values from the SQLite search index.
func ftsDelete(ctx context.Context, tx *store.Tx, id int64, name, code string) error {
	if tx.Dialect == store.Postgres {
		return nil
	}
	_, err := tx.Exec(ctx, "INSERT INTO enterprise_fts (enterprise_fts, rowid, name) VALUES ('delete', ?, ?)", id, name)
	return err
}

// ftsInsertAfter indexes every record with an id above after, in one
// statement (a bulk import's new rows).
func ftsInsertAfter(ctx context.Context, tx *store.Tx, after int64) error {
	if tx.Dialect == store.Postgres {
		return nil
	}
	_, err := tx.Exec(ctx, "INSERT INTO enterprise_fts (rowid, name) SELECT unit_id, name FROM enterprises WHERE unit_id > ?", after)
	return err
}

// updateRecord rewrites a record's fields and categories; oldName and
// oldCode are what the search index holds for it.
func updateRecord(ctx context.Context, tx *store.Tx, e *Enterprise, oldName, oldCode string) error {
	if oldName != e.Name {
		if err := ftsDelete(ctx, tx, e.UnitID, oldName, oldCode); err != nil {
			return err
		}
		if err := ftsInsert(ctx, tx, e.UnitID, e.Name, e.CreditCode); err != nil {
			return err
		}
	}
	if _, err := tx.Exec(ctx, `UPDATE enterprises SET name = ?, credit_code = ?, region_code = ?, address = ?, grid = ?, industry_code = ?,
		categories = ?, scale = ?, legal_rep = ?, principal = ?, principal_phone = ?, safety_manager = ?, safety_phone = ?, staff = ?,
		safety_engineers = ?, std_level = ?, insurer = ?, policy_no = ?, policy_expires = ?, status = ?, updated_at = ? WHERE unit_id = ?`,
		e.Name, e.CreditCode, e.RegionCode, e.Address, e.Grid, e.IndustryCode, strings.Join(e.Categories, ","), e.Scale,
		e.LegalRep, e.Principal, e.PrincipalPhone, e.SafetyManager, e.SafetyPhone, e.Staff, e.SafetyEngineers, e.StdLevel,
		e.Insurer, e.PolicyNo, e.PolicyExpires, e.Status, e.UpdatedAt, e.UnitID); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, "DELETE FROM enterprise_categories WHERE unit_id = ?", e.UnitID); err != nil {
		return err
	}
	return setCategories(ctx, tx, e.UnitID, e.Categories)
}

func setCategories(ctx context.Context, tx *store.Tx, id int64, cats []string) error {
	for _, c := range cats {
		if _, err := tx.Exec(ctx, "INSERT INTO enterprise_categories (unit_id, category) VALUES (?, ?)", id, c); err != nil {
			return err
		}
	}
	return nil
}

// searchWhere renders the search, the same on both databases: a query that
// looks like the start of a credit code (three or more of its characters,
// a digit first) matches codes starting with it, on the code's unique
// index; a piece from inside a code (codeFragment) scans the codes;
// anything else matches names containing it, through the name's trigram
// index for three characters or more (FTS5 on SQLite, pg_trgm behind LIKE
// on PostgreSQL) and a plain substring scan for one or two.
func searchWhere(d store.Dialect, q string) (string, []any) {
	if codeLike(q) {
		lo, hi := regionRange(strings.ToUpper(q))
		return "e.unit_id IN (SELECT c.unit_id FROM enterprises c WHERE c.credit_code >= ? AND c.credit_code < ?)", []any{lo, hi}
	}
	if codeFragment(q) {
		return `e.credit_code LIKE ? ESCAPE '\'`, []any{store.LikeContains(strings.ToUpper(q))}
	}
	short := len([]rune(q)) < 3
	switch {
	case d == store.Postgres && short:
		// Not through the trigram index, which holds no trigram of one or
		// two characters and would hand back every row to recheck; a
		// statement of its own, so its plan is not the longer queries'.
		return "strpos(e.name, ?) > 0", []any{q}
	case d == store.Postgres:
		return `e.name LIKE ? ESCAPE '\'`, []any{store.LikeContains(q)}
	case !short:
		// The listing reads enterprise_fts joined to enterprises (ftsDriven):
		// walked in rowid order, a common piece (half the registry's names)
		// stops at the page and at the count cap, where IN (…) fetched and
		// sorted every match.
		phrase := `"` + strings.ReplaceAll(q, `"`, `""`) + `"`
		return "f.enterprise_fts MATCH ?", []any{phrase}
	default:
		return "instr(e.name, ?) > 0", []any{q}
	}
}

// ftsDriven reports whether a listing searching q reads SQLite's name
// index joined to the registry (see searchWhere).
func ftsDriven(d store.Dialect, q string) bool {
	return d != store.Postgres && len([]rune(q)) >= 3 && !codeLike(q) && !codeFragment(q)
}

// codeFragment reports whether q is a piece from inside a credit code (six
// or more code characters not starting with a digit, such as the 主体标识码
// part): a scan of the codes.
func codeFragment(q string) bool {
	if len(q) < 6 || len(q) > 18 {
		return false
	}
	for _, c := range strings.ToUpper(q) {
		if !strings.ContainsRune("0123456789ABCDEFGHJKLMNPQRTUWXY", c) {
			return false
		}
	}
	return true
}

// codeLike reports whether q is the start of a credit code: 3–18 of the
// code's characters, beginning with a digit.
func codeLike(q string) bool {
	if len(q) < 3 || len(q) > 18 || q[0] < '0' || q[0] > '9' {
		return false
	}
	for _, c := range strings.ToUpper(q) {
		if !strings.ContainsRune("0123456789ABCDEFGHJKLMNPQRTUWXY", c) {
			return false
		}
	}
	return true
}
