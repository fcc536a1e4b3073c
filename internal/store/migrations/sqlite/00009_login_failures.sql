-- +goose Up
-- Failed logins, counted where several servers share them: one row per
-- account and source (the username as typed, so unknown names are counted
-- like real ones) and one per source alone (username ''). An attempt is
-- counted before its password is checked and taken back when it succeeds,
-- so parallel attempts cannot all pass the check. The count on users goes:
-- a lock per account alone let anyone lock anyone out.
CREATE TABLE login_failures (
    username     TEXT NOT NULL,
    source       TEXT NOT NULL,  -- client address
    failures     INTEGER NOT NULL,
    last_at      TIMESTAMP NOT NULL,
    locked_until TIMESTAMP,
    PRIMARY KEY (username, source)
);
CREATE INDEX login_failures_last ON login_failures (last_at);
ALTER TABLE users DROP COLUMN failed_logins;
ALTER TABLE users DROP COLUMN locked_until;

-- +goose Down
ALTER TABLE users ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN locked_until TIMESTAMP;
DROP TABLE login_failures;
