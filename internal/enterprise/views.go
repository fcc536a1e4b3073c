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
