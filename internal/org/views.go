package org

// Read views: org's tables as other packages read them in their own SQL
// (ARCHITECTURE.md, Tables and their owners). Each is a subquery with the
// columns its comment names, to be joined under an alias:
//
//	JOIN `+org.UnitsView+` u ON u.id = r.unit_id
//
// SQLite and PostgreSQL flatten such a subquery into the query around it,
// so the plan is the one the table itself would get; and only org names
// its tables, so it may change them as long as the views keep their
// columns.

// UnitsView is every unit: id, name, label (the short name, else the
// name), kind, region_code and active.
const UnitsView = "(SELECT id, name, COALESCE(NULLIF(short_name, ''), name) AS label, kind, region_code, active FROM units)"

// RegionsView is every region: code, name, level (4: 乡镇/街道) and active.
const RegionsView = "(SELECT code, name, level, active FROM regions)"

// UsersView is every user: id, display_name, unit_id, active and phone.
const UsersView = "(SELECT id, display_name, unit_id, active, phone FROM users)"

// SupervisionsView is 三管三必须: dept_id supervises enterprise_id, with
// officer_id the named officer (NULL when none).
const SupervisionsView = "(SELECT dept_id, enterprise_id, officer_id FROM supervisions)"

// ExpertsView is every active user holding the expert role in an active
// unit: id, display_name, unit_id, pool (the unit's name) and region_code,
// the region the expert serves — the unit's own, else that of the unit
// keeping it (a 专家库 kept by a county office serves the county); empty when
// neither has one.
const ExpertsView = `(SELECT us.id, us.display_name, us.unit_id, u.name AS pool,
	COALESCE(NULLIF(u.region_code, ''), p.region_code, '') AS region_code
	FROM users us JOIN units u ON u.id = us.unit_id LEFT JOIN units p ON p.id = u.parent_id
	WHERE us.active = TRUE AND u.active = TRUE AND (',' || us.roles || ',') LIKE '%,expert,%')`
