-- +goose Up
-- 隐患排查治理: hazards under 一单四制 and their append-only history.
CREATE TABLE hazards (
    id          INTEGER PRIMARY KEY,
    number      TEXT NOT NULL,                 -- 隐患编号: YH370105-2026-000123
    unit_id     INTEGER NOT NULL REFERENCES enterprises (unit_id),
    region_code TEXT NOT NULL,                 -- the enterprise's region
    place       TEXT NOT NULL,
    description TEXT NOT NULL,
    source      TEXT NOT NULL,                 -- self | inspection | third_party | tip | grid | covert | supervision
    level       TEXT NOT NULL DEFAULT '',      -- general | major, once judged
    criterion   TEXT NOT NULL DEFAULT '',      -- 判定标准 item key
    reasoning   TEXT NOT NULL DEFAULT '',      -- an expert's reasoning when no item applies
    measures    TEXT NOT NULL DEFAULT '',
    responsible TEXT NOT NULL DEFAULT '',
    funds       REAL NOT NULL DEFAULT 0,
    deadline    TEXT NOT NULL DEFAULT '',
    writ        TEXT NOT NULL DEFAULT '',
    state       TEXT NOT NULL,
    assigned_by INTEGER,                       -- the unit that assigned it (who reviews and closes)
    created_at  TIMESTAMP NOT NULL,
    created_by  INTEGER NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX hazards_number ON hazards (number);
CREATE INDEX hazards_region ON hazards (region_code, id);
CREATE INDEX hazards_unit ON hazards (unit_id, id);
CREATE INDEX hazards_open ON hazards (deadline) WHERE state <> 'closed';

CREATE TABLE hazard_history (
    id         INTEGER PRIMARY KEY,
    hazard_id  INTEGER NOT NULL REFERENCES hazards (id) ON DELETE CASCADE,
    at         TIMESTAMP NOT NULL,
    actor_id   INTEGER NOT NULL,
    actor      TEXT NOT NULL,
    unit_id    INTEGER NOT NULL,
    action     TEXT NOT NULL,
    from_state TEXT NOT NULL,
    to_state   TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX hazard_history_hazard ON hazard_history (hazard_id, id);

-- +goose Down
DROP TABLE hazard_history;
DROP TABLE hazards;
