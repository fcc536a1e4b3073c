-- +goose Up
-- Nothing on SQLite, whose search index (enterprise_fts) holds names only
-- and whose class index already carries the rowid (the unit id);
-- PostgreSQL's migration drops the trigram index of credit codes and adds
-- the id to the class index. Kept so both databases count the same
-- versions.
SELECT 1;

-- +goose Down
SELECT 1;
