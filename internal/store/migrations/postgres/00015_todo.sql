-- +goose Up
-- The 待办 (issue 16.1): a message that asks its unit to act is a to-do,
-- with the date it is due by ('' when no rule sets one) and the time the
-- step was taken (inbox.Settle), after which it leaves the 待办.
ALTER TABLE inbox ADD COLUMN todo BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE inbox ADD COLUMN due TEXT NOT NULL DEFAULT '';
ALTER TABLE inbox ADD COLUMN done_at TIMESTAMPTZ;
CREATE INDEX inbox_todo ON inbox (unit_id, due) WHERE todo AND done_at IS NULL;

-- How far each outbound channel (inbox.Channel: a webhook to SMS or a
-- government messaging platform) has delivered the inbox, by message id.
CREATE TABLE inbox_outbound (
    channel TEXT PRIMARY KEY,
    last_id BIGINT NOT NULL
);

-- +goose Down
DROP TABLE inbox_outbound;
DROP INDEX inbox_todo;
ALTER TABLE inbox DROP COLUMN done_at;
ALTER TABLE inbox DROP COLUMN due;
ALTER TABLE inbox DROP COLUMN todo;
