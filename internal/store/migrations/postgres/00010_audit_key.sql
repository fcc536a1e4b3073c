-- +goose Up
-- The audit chain becomes keyed: from the event keyed_from on, each hash is
-- an HMAC-SHA256 under a key kept outside the database (the events before
-- it keep their plain SHA-256 hashes and are verified as before), and mac
-- is the HMAC of the head itself (seq, hash, keyed_from), so the head
-- cannot be stepped back or the keyed part disowned without the key.
-- keyed_from 0: no key yet; the first start with a key sets it.
ALTER TABLE audit_head ADD COLUMN keyed_from BIGINT NOT NULL DEFAULT 0;
ALTER TABLE audit_head ADD COLUMN mac TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE audit_head DROP COLUMN mac;
ALTER TABLE audit_head DROP COLUMN keyed_from;
