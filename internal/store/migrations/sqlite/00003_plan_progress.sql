-- +goose Up
-- 督办: progress reports on tasks (a unit's input, the lead unit's consolidated
-- report that the office accepts or returns), their attachments, reminders and
-- assignment sheets (提醒函/交办单) with their answers, the scheduler's
-- overdue mark, and every unit's inbox.
ALTER TABLE plan_instances ADD COLUMN done_on TEXT; -- the Shanghai day it was done, for on-time figures
ALTER TABLE plan_instances ADD COLUMN overdue_noted_at TIMESTAMP;
CREATE INDEX plan_instances_open ON plan_instances (due_on) WHERE done_at IS NULL AND overdue_noted_at IS NULL;

CREATE TABLE plan_reports (
    id          INTEGER PRIMARY KEY,
    plan_id     INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    task_id     INTEGER NOT NULL REFERENCES plan_tasks (id) ON DELETE CASCADE,
    unit_id     INTEGER NOT NULL REFERENCES units (id),
    region_code TEXT NOT NULL,
    kind        TEXT NOT NULL,            -- progress: a unit's input; consolidated: the lead unit's report
    text        TEXT NOT NULL,
    status      TEXT NOT NULL,            -- submitted | accepted | returned
    reason      TEXT NOT NULL DEFAULT '', -- why the office returned it
    created_at  TIMESTAMP NOT NULL,
    created_by  INTEGER NOT NULL,
    decided_at  TIMESTAMP,
    decided_by  INTEGER
);
CREATE INDEX plan_reports_task ON plan_reports (task_id, id);
CREATE INDEX plan_reports_unit ON plan_reports (unit_id, id);
CREATE INDEX plan_reports_plan ON plan_reports (plan_id, kind, status);

-- Files are kept by their SHA-256 in the data directory's attachments folder.
CREATE TABLE plan_attachments (
    id           INTEGER PRIMARY KEY,
    report_id    INTEGER NOT NULL REFERENCES plan_reports (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    size         INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    content_type TEXT NOT NULL
);
CREATE INDEX plan_attachments_report ON plan_attachments (report_id);

CREATE TABLE plan_notices (
    id          INTEGER PRIMARY KEY,
    office_id   INTEGER NOT NULL REFERENCES units (id),
    unit_id     INTEGER NOT NULL REFERENCES units (id),
    region_code TEXT NOT NULL,             -- the addressee's region
    kind        TEXT NOT NULL,             -- reminder (提醒函) | sheet (交办单)
    year        INTEGER NOT NULL,
    seq         INTEGER NOT NULL,
    doc_number  TEXT NOT NULL,             -- 天安办提〔2026〕3号
    title       TEXT NOT NULL,
    issuer      TEXT NOT NULL,
    addressee   TEXT NOT NULL,
    body        TEXT NOT NULL,
    issued_on   TEXT NOT NULL,
    answer_by   TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    created_by  INTEGER NOT NULL,
    answered_at TIMESTAMP,
    answered_by INTEGER,
    answer      TEXT NOT NULL DEFAULT '',
    UNIQUE (office_id, kind, year, seq)
);
CREATE INDEX plan_notices_unit ON plan_notices (unit_id, id);
CREATE INDEX plan_notices_region ON plan_notices (region_code);

CREATE TABLE plan_notice_items (
    notice_id   INTEGER NOT NULL REFERENCES plan_notices (id) ON DELETE CASCADE,
    instance_id INTEGER NOT NULL REFERENCES plan_instances (id) ON DELETE CASCADE,
    PRIMARY KEY (notice_id, instance_id)
);

-- A unit's inbox: what the scheduler and other units tell it. dedup keeps a
-- repeated sweep from telling it twice.
CREATE TABLE inbox (
    id         INTEGER PRIMARY KEY,
    unit_id    INTEGER NOT NULL REFERENCES units (id),
    kind       TEXT NOT NULL,
    title      TEXT NOT NULL,
    link       TEXT NOT NULL DEFAULT '',
    dedup      TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    read_at    TIMESTAMP,
    UNIQUE (unit_id, dedup)
);
CREATE INDEX inbox_unit ON inbox (unit_id, id);

-- +goose Down
DROP TABLE inbox;
DROP TABLE plan_notice_items;
DROP TABLE plan_notices;
DROP TABLE plan_attachments;
DROP TABLE plan_reports;
DROP INDEX plan_instances_open;
ALTER TABLE plan_instances DROP COLUMN overdue_noted_at;
ALTER TABLE plan_instances DROP COLUMN done_on;
