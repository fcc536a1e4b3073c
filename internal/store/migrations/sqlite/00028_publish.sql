-- +goose Up
-- 执法, part 4 (issue 25): what a decision sets going. Publication (公示):
-- a penalty decision within 7 working days (安全生产法 Art. 78, 国办发
-- 〔2018〕118号), a 双随机 inspection's result within the configured working
-- days; a published decision changed or revoked is withdrawn within 3 days
-- with the reason (行政处罚法 Art. 48), its history kept. Escalations the
-- law names: closure (安全生产法 Art. 113), 移送司法 (两高 2015 解释 Art.
-- 6–7), a 严重失信 listing proposed (应急管理部令第11号).

-- The accident facts the criminal thresholds read, and a decision changed
-- or revoked (行政复议, 诉讼 or the department's own correction).
ALTER TABLE enforce_cases ADD COLUMN deaths INTEGER NOT NULL DEFAULT 0;
ALTER TABLE enforce_cases ADD COLUMN injuries INTEGER NOT NULL DEFAULT 0;     -- 重伤
ALTER TABLE enforce_cases ADD COLUMN loss_fen BIGINT NOT NULL DEFAULT 0;      -- 直接经济损失
ALTER TABLE enforce_cases ADD COLUMN main_blame BOOLEAN NOT NULL DEFAULT FALSE; -- 负事故主要责任
ALTER TABLE enforce_cases ADD COLUMN revoked_on TEXT NOT NULL DEFAULT '';
ALTER TABLE enforce_cases ADD COLUMN revoke_kind TEXT NOT NULL DEFAULT '';   -- revoked | changed
ALTER TABLE enforce_cases ADD COLUMN revoke_note TEXT NOT NULL DEFAULT '';

CREATE TABLE enforce_publications (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL,              -- decision | draw
    case_id       INTEGER REFERENCES enforce_cases (id),
    inspection_id INTEGER REFERENCES enforce_inspections (id),
    unit_id       INTEGER NOT NULL,           -- the department that publishes
    region_code   TEXT NOT NULL,              -- the party's region (scope)
    enterprise_id INTEGER NOT NULL,
    basis_on      TEXT NOT NULL,              -- the day the clock counts from (decision, inspection closed)
    due_on        TEXT NOT NULL,              -- publish by
    state         TEXT NOT NULL,              -- due | published | withdrawn | dropped
    title         TEXT NOT NULL DEFAULT '',
    content       TEXT NOT NULL DEFAULT '',   -- what was published (JSON, personal data masked)
    published_on  TEXT NOT NULL DEFAULT '',
    published_by  INTEGER,
    withdraw_by   TEXT NOT NULL DEFAULT '',   -- the decision changed or revoked: withdraw by (Art. 48)
    revision      TEXT NOT NULL DEFAULT '',   -- what changed or revoked it (the department's note, never published)
    withdrawn_on  TEXT NOT NULL DEFAULT '',
    reason        TEXT NOT NULL DEFAULT '',   -- why withdrawn or dropped (published with the withdrawal)
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);
CREATE INDEX enforce_publications_unit ON enforce_publications (unit_id, state);
CREATE INDEX enforce_publications_region ON enforce_publications (region_code);
CREATE INDEX enforce_publications_public ON enforce_publications (published_on, id);
CREATE INDEX enforce_publications_case ON enforce_publications (case_id);
CREATE UNIQUE INDEX enforce_publications_draw ON enforce_publications (inspection_id) WHERE kind = 'draw';

CREATE TABLE enforce_escalations (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL,              -- closure | transfer | credit
    case_id       INTEGER NOT NULL REFERENCES enforce_cases (id), -- the decision (or case) that raised it
    enterprise_id INTEGER NOT NULL,
    region_code   TEXT NOT NULL,
    unit_id       INTEGER NOT NULL,           -- the department that acts on it
    grounds       TEXT NOT NULL,              -- why, in words
    state         TEXT NOT NULL,              -- flagged | done | dismissed
    raised_on     TEXT NOT NULL,
    acted_on      TEXT NOT NULL DEFAULT '',
    acted_by      INTEGER,
    to_whom       TEXT NOT NULL DEFAULT '',   -- the government, the public security organ
    note          TEXT NOT NULL DEFAULT '',   -- what was sent (文号) or why dismissed
    listing_id    INTEGER,                    -- credit: the listing it became
    created_at    TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX enforce_escalations_case ON enforce_escalations (kind, case_id);
CREATE INDEX enforce_escalations_unit ON enforce_escalations (unit_id, state);
CREATE INDEX enforce_escalations_enterprise ON enforce_escalations (enterprise_id, kind, state);

-- +goose Down
DROP TABLE enforce_escalations;
DROP TABLE enforce_publications;
ALTER TABLE enforce_cases DROP COLUMN revoke_note;
ALTER TABLE enforce_cases DROP COLUMN revoke_kind;
ALTER TABLE enforce_cases DROP COLUMN revoked_on;
ALTER TABLE enforce_cases DROP COLUMN main_blame;
ALTER TABLE enforce_cases DROP COLUMN loss_fen;
ALTER TABLE enforce_cases DROP COLUMN injuries;
ALTER TABLE enforce_cases DROP COLUMN deaths;
