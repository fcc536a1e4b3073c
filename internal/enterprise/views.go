package enterprise

// Read views: the registry's tables as other mechanisms read them in their
// own SQL (ARCHITECTURE.md, Tables and their owners), joined under an
// alias as org's views are (org/views.go): both databases flatten the
// subquery, so the plan is the table's own.

// NamesView is every enterprise: unit_id and name (a hazard or risk point
// listed with its enterprise's name).
const NamesView = "(SELECT unit_id, name FROM enterprises)"

// CategoriesView is every enterprise's supervision categories: unit_id and
// category, one row each (a hazard listing opened from a category's
// figures).
const CategoriesView = "(SELECT unit_id, category FROM enterprise_categories)"

// RosterView is every enterprise as an inspection plan reads it (the
// 检查对象名录库): unit_id, name, credit_code, region_code, class, std_level,
// status, major_grade (highest grade of its GB 18218 installations, ” when
// none), categories (comma-separated keys) and key_listed (on the
// 重点监管企业名单: its override, else class A).
const RosterView = "(SELECT e.unit_id, e.name, e.credit_code, e.region_code, e.class, e.std_level, e.status, e.major_grade, e.categories, " +
	keyListed + " AS key_listed FROM enterprises e)"

// PartyView is every enterprise as a writ addresses it (the 被检查单位 of
// an inspection): unit_id, name, credit_code, region_code, address,
// legal_rep, principal, principal_phone, categories (comma-separated
// keys), major_grade (” when it holds no GB 18218 installation).
const PartyView = "(SELECT e.unit_id, e.name, e.credit_code, e.region_code, e.address, e.legal_rep, e.principal, e.principal_phone, " +
	"e.categories, e.major_grade FROM enterprises e)"
