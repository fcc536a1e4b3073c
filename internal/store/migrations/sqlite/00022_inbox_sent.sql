-- +goose Up
-- The messages an outbound channel has delivered (or given up on) above its
-- cursor in inbox_outbound: the cursor passes a message only a minute after
-- it was written, and until then this is what keeps a second server (or
-- the same one after a restart) from delivering it again. Rows at or below
-- the cursor are removed as it passes them.
CREATE TABLE inbox_sent (
    channel TEXT NOT NULL,
    message_id BIGINT NOT NULL,
    PRIMARY KEY (channel, message_id)
);

-- +goose Down
DROP TABLE inbox_sent;
