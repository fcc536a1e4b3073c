-- +goose Up
-- 工作要点: a plan imported by a committee office, its items, tasks, the
-- assignments of units to tasks, obligations and their dated instances.
CREATE TABLE plans (
    id           INTEGER PRIMARY KEY,
    title        TEXT NOT NULL,
    year         INTEGER NOT NULL,
    issuer       TEXT NOT NULL DEFAULT '',
    doc_number   TEXT NOT NULL DEFAULT '',
    issued_on    TEXT NOT NULL DEFAULT '',
    office_id    INTEGER NOT NULL REFERENCES units (id),
    region_code  TEXT NOT NULL,
    source_hash  TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX plans_source ON plans (office_id, source_hash);
CREATE INDEX plans_region ON plans (region_code);

CREATE TABLE plan_items (
    id      INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    seq     INTEGER NOT NULL,
    ref     TEXT NOT NULL,
    heading TEXT NOT NULL,
    section TEXT NOT NULL,
    text    TEXT NOT NULL
);
CREATE INDEX plan_items_plan ON plan_items (plan_id, seq);

CREATE TABLE plan_tasks (
    id      INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES plan_items (id) ON DELETE CASCADE,
    seq     INTEGER NOT NULL,
    text    TEXT NOT NULL
);

-- One per unit and task: the unit leads (牵头) or supports (配合) it.
CREATE TABLE plan_assignments (
    id          INTEGER PRIMARY KEY,
    plan_id     INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    task_id     INTEGER NOT NULL REFERENCES plan_tasks (id) ON DELETE CASCADE,
    unit_id     INTEGER NOT NULL REFERENCES units (id),
    region_code TEXT NOT NULL,
    role        TEXT NOT NULL,
    printed     TEXT NOT NULL,
    UNIQUE (task_id, unit_id)
);
CREATE INDEX plan_assignments_unit ON plan_assignments (unit_id);
CREATE INDEX plan_assignments_plan ON plan_assignments (plan_id);

CREATE TABLE plan_obligations (
    id      INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES plan_items (id) ON DELETE CASCADE,
    kind    TEXT NOT NULL,
    period  TEXT NOT NULL DEFAULT '',
    times   INTEGER NOT NULL DEFAULT 1,
    due_on  TEXT NOT NULL DEFAULT '',
    cue     TEXT NOT NULL,
    subject TEXT NOT NULL -- unit: the units do it; enterprise: the units supervise enterprises doing it
);

-- A dated instance of an obligation (or a report-back duty) for one lead unit.
CREATE TABLE plan_instances (
    id            INTEGER PRIMARY KEY,
    plan_id       INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    obligation_id INTEGER REFERENCES plan_obligations (id) ON DELETE CASCADE,
    assignment_id INTEGER REFERENCES plan_assignments (id) ON DELETE CASCADE,
    unit_id       INTEGER NOT NULL REFERENCES units (id),
    region_code   TEXT NOT NULL,
    label         TEXT NOT NULL,
    start_on      TEXT NOT NULL,
    due_on        TEXT NOT NULL,
    times         INTEGER NOT NULL,
    done_at       TIMESTAMP,
    done_by       BIGINT,
    evidence      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX plan_instances_unit_due ON plan_instances (unit_id, due_on);
CREATE INDEX plan_instances_due ON plan_instances (due_on);

-- Names an office mapped to units, remembered for its next import.
CREATE TABLE plan_unit_names (
    office_id INTEGER NOT NULL REFERENCES units (id),
    name      TEXT NOT NULL,
    unit_id   INTEGER NOT NULL REFERENCES units (id),
    PRIMARY KEY (office_id, name, unit_id)
);

-- +goose Down
DROP TABLE plan_unit_names;
DROP TABLE plan_instances;
DROP TABLE plan_obligations;
DROP TABLE plan_assignments;
DROP TABLE plan_tasks;
DROP TABLE plan_items;
DROP TABLE plans;
