-- +goose Up
-- Nothing on SQLite, whose search index (enterprise_fts) holds names only;
-- PostgreSQL's migration drops the trigram index of credit codes. Kept so
-- both databases count the same versions.
SELECT 1;

-- +goose Down
SELECT 1;
