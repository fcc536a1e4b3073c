-- +goose Up
-- A unit's message is found by its occasion alone (inbox.Settle, inbox.Withdraw):
-- a hazard's 待判定 goes to every supervising department and is settled
-- for all of them by whichever judges it.
CREATE INDEX inbox_dedup ON inbox (dedup);

-- +goose Down
DROP INDEX inbox_dedup;
