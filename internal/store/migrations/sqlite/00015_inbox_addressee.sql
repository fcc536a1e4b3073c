-- +goose Up
-- A message for one person of a unit (an expert of a 专家库: the pool is
-- one unit, and a request to one expert is not the others' to read):
-- user_id names them; NULL is for the whole unit, as before.
ALTER TABLE inbox ADD COLUMN user_id INTEGER REFERENCES users (id);

-- +goose Down
ALTER TABLE inbox DROP COLUMN user_id;
