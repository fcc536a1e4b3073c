-- +goose Up
-- API tokens scoped, expiring and with their last use (issue 17.3). A token
-- reaches one area of the API (area: plan, enterprise, hazard, risk, org,
-- audit, inbox) and writes only when writes is set; '*' is every area, which
-- only the tokens made before this change hold: they keep working as they
-- did (every area, writing, no expiry) and say so on /account/tokens.
ALTER TABLE api_tokens ADD COLUMN area TEXT NOT NULL DEFAULT '*';
ALTER TABLE api_tokens ADD COLUMN writes BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE api_tokens ADD COLUMN expires_at TIMESTAMPTZ;
ALTER TABLE api_tokens ADD COLUMN last_used_at TIMESTAMPTZ;
ALTER TABLE api_tokens ADD COLUMN last_used_from TEXT NOT NULL DEFAULT '';
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- +goose Down
DROP INDEX api_tokens_user;
ALTER TABLE api_tokens DROP COLUMN last_used_from;
ALTER TABLE api_tokens DROP COLUMN last_used_at;
ALTER TABLE api_tokens DROP COLUMN expires_at;
ALTER TABLE api_tokens DROP COLUMN writes;
ALTER TABLE api_tokens DROP COLUMN area;
