-- +goose Up
-- Nothing on SQLite: a hazard is inserted at once there (Tx.AddID), before
-- any row that names it; PostgreSQL's migration defers the references to
-- hazards to the commit. Kept so both databases count the same versions.
SELECT 1;

-- +goose Down
SELECT 1;
