-- +goose Up
-- A message for one person of a unit (an expert of a 专家库: the pool is
-- one unit, and a request to one expert is not the others' to read):
-- user_id names them; NULL is for the whole unit, as before.
ALTER TABLE inbox ADD COLUMN user_id BIGINT REFERENCES users (id);

-- The requests asked before: each is its expert's, and the decision told
-- to an expert who answered (hazard.opinion:<id> and :decided); what the
-- asking department was told (:answered) stays the department's.
UPDATE inbox SET user_id = (SELECT o.expert_id FROM hazard_opinions o
    WHERE inbox.dedup = 'hazard.opinion:' || CAST(o.id AS TEXT) OR inbox.dedup = 'hazard.opinion:' || CAST(o.id AS TEXT) || ':decided')
WHERE kind = 'hazard.opinion' AND dedup NOT LIKE '%:answered';

-- +goose Down
ALTER TABLE inbox DROP COLUMN user_id;
