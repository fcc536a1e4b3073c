-- +goose Up
-- A pending sign-in counts its wrong codes: after five it is gone, and the
-- password must be given again (issue 17.3's review: a challenge took
-- guesses without end from changing addresses).
ALTER TABLE login_challenges ADD COLUMN wrong_codes INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE login_challenges DROP COLUMN wrong_codes;
