-- +goose Up
-- 专家判定意见: a department asks named experts to judge a hazard not yet
-- judged; each expert answers once, with the level they suggest, the
-- 判定标准 item they rely on (if any) and their reasoning. The department's
-- 判定 (a hazard_history row) stays the decision.
CREATE TABLE hazard_opinions (
    id          INTEGER PRIMARY KEY,
    hazard_id   INTEGER NOT NULL REFERENCES hazards (id) ON DELETE CASCADE,
    unit_id     INTEGER NOT NULL REFERENCES units (id),   -- the asking unit
    asked_by    INTEGER NOT NULL,                        -- the asking user
    asker       TEXT NOT NULL,                        -- their name, as the history keeps it
    expert_id   INTEGER NOT NULL REFERENCES users (id),
    question    TEXT NOT NULL,
    asked_at    TIMESTAMP NOT NULL,
    level       TEXT NOT NULL DEFAULT '',             -- general | major, once answered
    criterion   TEXT NOT NULL DEFAULT '',             -- 判定标准 item key the expert relies on
    reasoning   TEXT NOT NULL DEFAULT '',
    answered_at TIMESTAMP
);
CREATE INDEX hazard_opinions_hazard ON hazard_opinions (hazard_id, id);
CREATE INDEX hazard_opinions_expert ON hazard_opinions (expert_id, id);
CREATE INDEX hazard_opinions_unit ON hazard_opinions (unit_id, id);
-- an expert is asked about a hazard once while a request is open
CREATE UNIQUE INDEX hazard_opinions_open ON hazard_opinions (hazard_id, expert_id) WHERE answered_at IS NULL;

-- +goose Down
DROP TABLE hazard_opinions;
