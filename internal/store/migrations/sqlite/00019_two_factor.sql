-- +goose Up
-- Two-factor login (issue 17.3, GB/T 22239-2019 身份鉴别): a user's TOTP
-- secret (RFC 6238), encrypted with AES-256-GCM under the factor key, which
-- is kept in a file beside the audit key and never in the database;
-- confirmed_at is NULL while an enrolment waits for its first code;
-- last_step is the time step of the last code accepted, so no code is taken
-- twice.
CREATE TABLE user_factors (
    user_id      INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret_enc   TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    confirmed_at TIMESTAMP,
    last_step    INTEGER NOT NULL DEFAULT 0
);

-- One-time recovery codes, stored as SHA-256 hashes; used_at once taken.
CREATE TABLE recovery_codes (
    id        INTEGER PRIMARY KEY,
    user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL UNIQUE,
    used_at   TIMESTAMP
);
CREATE INDEX recovery_codes_user ON recovery_codes (user_id);

-- A sign-in whose password was right and whose second factor is still to
-- come: next is 'code' (give a code) or 'enrol' (bind an authenticator
-- first, when the setting requires it). It lasts minutes and becomes a
-- session, or nothing.
CREATE TABLE login_challenges (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    next       TEXT NOT NULL,
    source     TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX login_challenges_user ON login_challenges (user_id);

-- +goose Down
DROP TABLE login_challenges;
DROP TABLE recovery_codes;
DROP TABLE user_factors;
