-- +goose Up
-- 一单四制 continued: photos, 挂牌督办 listings, overdue escalation, closing
-- time for bulletins, and a tally the dashboard reads instead of scanning.
ALTER TABLE hazards ADD COLUMN closed_at TIMESTAMP;
ALTER TABLE hazards ADD COLUMN escalated_at TIMESTAMP;  -- set once the overdue escalation went out; cleared by a new deadline
CREATE INDEX hazards_escalate ON hazards (deadline) WHERE level = 'major' AND state <> 'closed' AND escalated_at IS NULL;
CREATE INDEX hazards_closed ON hazards (closed_at) WHERE closed_at IS NOT NULL;
CREATE INDEX hazards_created ON hazards (created_at);

CREATE TABLE hazard_photos (
    id           INTEGER PRIMARY KEY,
    hazard_id    INTEGER NOT NULL REFERENCES hazards (id) ON DELETE CASCADE,
    stage        TEXT NOT NULL,               -- report (隐患照片) | rectified (整改后照片、报告)
    name         TEXT NOT NULL,
    size         INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    content_type TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    created_by   INTEGER NOT NULL
);
CREATE INDEX hazard_photos_hazard ON hazard_photos (hazard_id);

-- 挂牌督办: a major hazard listed by the office of a level.
CREATE TABLE hazard_listings (
    id          INTEGER PRIMARY KEY,
    hazard_id   INTEGER NOT NULL REFERENCES hazards (id) ON DELETE CASCADE,
    office_id   INTEGER NOT NULL REFERENCES units (id),
    office_region TEXT NOT NULL,              -- the office's region: its length is the level
    tier        TEXT NOT NULL,                -- province | city | county
    doc_number  TEXT NOT NULL,                -- 督办通知书文号
    deadline    TEXT NOT NULL,
    requirement TEXT NOT NULL,
    listed_at   TIMESTAMP NOT NULL,
    listed_by   INTEGER NOT NULL,
    lifted_at   TIMESTAMP,                    -- set when the hazard is closed (摘牌)
    UNIQUE (hazard_id, office_id)
);
CREATE INDEX hazard_listings_office ON hazard_listings (office_id, id);

-- Overdue escalations: which office a newly overdue major hazard went to.
CREATE TABLE hazard_escalations (
    id        INTEGER PRIMARY KEY,
    hazard_id INTEGER NOT NULL REFERENCES hazards (id) ON DELETE CASCADE,
    office_id INTEGER NOT NULL REFERENCES units (id),
    deadline  TEXT NOT NULL,
    at        TIMESTAMP NOT NULL,
    UNIQUE (hazard_id, deadline)
);
CREATE INDEX hazard_escalations_office ON hazard_escalations (office_id, id);

-- Counts per enterprise, year reported, level, source and open/closed,
-- kept in the same transaction as every change.
CREATE TABLE hazard_tally (
    unit_id     INTEGER NOT NULL,
    region_code TEXT NOT NULL,
    year        INTEGER NOT NULL,
    level       TEXT NOT NULL,
    source      TEXT NOT NULL,
    open        INTEGER NOT NULL,
    n           INTEGER NOT NULL,
    PRIMARY KEY (unit_id, year, level, source, open)
);
CREATE INDEX hazard_tally_region ON hazard_tally (year, region_code);

-- +goose Down
DROP TABLE hazard_tally;
DROP TABLE hazard_escalations;
DROP TABLE hazard_listings;
DROP TABLE hazard_photos;
DROP INDEX hazards_created;
DROP INDEX hazards_closed;
DROP INDEX hazards_escalate;
ALTER TABLE hazards DROP COLUMN escalated_at;
ALTER TABLE hazards DROP COLUMN closed_at;
