-- +goose Up
-- 执法, part 1 (issue 22): the enforcing departments' annual inspection plans
-- (安全生产法 Art. 62, 安监总政法〔2017〕150号), the 执法检查人员名录库 with its
-- declared conflicts, 双随机 draws in three published steps, and the
-- inspections planned or recorded against an enterprise (for the caps).

CREATE TABLE enforce_plans (
    id                  INTEGER PRIMARY KEY,
    unit_id             INTEGER NOT NULL REFERENCES units (id),   -- the enforcing department
    region_code         TEXT NOT NULL,                           -- the department's region
    year                INTEGER NOT NULL,
    officers            INTEGER NOT NULL,                        -- 执法人员数
    other_days          INTEGER NOT NULL,                        -- 其他执法工作日 (all officers)
    non_days            INTEGER NOT NULL,                        -- 非执法工作日 (all officers)
    team_size           INTEGER NOT NULL,
    days_per_inspection REAL             NOT NULL,
    sample_percent      REAL             NOT NULL,               -- 一般检查: share of the pool drawn
    first_month         INTEGER NOT NULL,                        -- the month the plan starts
    note                TEXT NOT NULL DEFAULT '',
    state               TEXT NOT NULL DEFAULT 'draft',           -- draft | approved | published
    figures             TEXT NOT NULL DEFAULT '',                -- the figures as approved (JSON)
    drafted_by          INTEGER NOT NULL,
    approved_by         INTEGER,
    approved_at         TIMESTAMP  ,
    published_at        TIMESTAMP  ,
    created_at          TIMESTAMP   NOT NULL,
    updated_at          TIMESTAMP   NOT NULL,
    UNIQUE (unit_id, year)
);
CREATE INDEX enforce_plans_region ON enforce_plans (region_code, year);

-- 执法检查人员名录库: a department's certified officers (users of the unit).
CREATE TABLE enforce_officers (
    user_id      INTEGER PRIMARY KEY REFERENCES users (id),
    unit_id      INTEGER NOT NULL REFERENCES units (id),
    cert_no      TEXT NOT NULL,                 -- 行政执法证号
    cert_expires TEXT NOT NULL DEFAULT '',
    active       BOOLEAN NOT NULL DEFAULT TRUE,
    updated_at   TIMESTAMP   NOT NULL
);
CREATE INDEX enforce_officers_unit ON enforce_officers (unit_id, user_id);

-- Declared conflicts (行政处罚法 Art. 43): an officer is never drawn for these.
CREATE TABLE enforce_conflicts (
    officer_id    INTEGER NOT NULL REFERENCES enforce_officers (user_id),
    enterprise_id INTEGER NOT NULL REFERENCES enterprises (unit_id),
    reason        TEXT NOT NULL,
    declared_at   TIMESTAMP   NOT NULL,
    PRIMARY KEY (officer_id, enterprise_id)
);

-- A 双随机 draw: step 1 (lists and commitment) when committed, steps 2 and 3
-- (public value, share revealed, seed, result) when drawn.
CREATE TABLE enforce_draws (
    id            INTEGER PRIMARY KEY,
    unit_id       INTEGER NOT NULL REFERENCES units (id),
    region_code   TEXT NOT NULL,
    year          INTEGER NOT NULL,
    seq           INTEGER NOT NULL,              -- 第 N 批 of the department's year
    title         TEXT NOT NULL,
    filter        TEXT NOT NULL,                 -- the 名录库 filter (JSON), for the record
    public_source TEXT NOT NULL,                 -- where the public value comes from, in words
    state         TEXT NOT NULL,                 -- committed | drawn
    lists         TEXT NOT NULL,                 -- canonical JSON of the committed lists
    lists_hash    TEXT NOT NULL,
    commitment    TEXT NOT NULL,
    share         TEXT NOT NULL,                 -- hex; secret until drawn
    public_value  TEXT NOT NULL DEFAULT '',
    seed          TEXT NOT NULL DEFAULT '',
    result        TEXT NOT NULL DEFAULT '',      -- JSON of the picks
    not_carried_out TEXT NOT NULL DEFAULT '',    -- picks that closed or reached their cap after step 1 (ids)
    committed_by  INTEGER NOT NULL,
    committed_at  TIMESTAMP   NOT NULL,          -- step 1 published
    drawn_by      INTEGER,
    drawn_at      TIMESTAMP  ,
    UNIQUE (unit_id, year, seq)
);
CREATE INDEX enforce_draws_region ON enforce_draws (region_code, year);
CREATE INDEX enforce_draws_commitment ON enforce_draws (commitment); -- the public page finds a draw by it

-- Recusals on the party's application (Art. 43): the slot redrawn.
CREATE TABLE enforce_recusals (
    draw_id       INTEGER NOT NULL REFERENCES enforce_draws (id),
    enterprise_id INTEGER NOT NULL,
    n             INTEGER NOT NULL,
    officer_id    INTEGER NOT NULL,
    replacement   INTEGER NOT NULL,
    reason        TEXT NOT NULL,
    decided_by    INTEGER NOT NULL,
    decided_at    TIMESTAMP   NOT NULL,
    PRIMARY KEY (draw_id, enterprise_id, n)
);

-- Inspections of an enterprise: routine (日常检查, by the plan or a draw,
-- counted against the cap) or of a case (个案检查, exempt, flagged when
-- frequent). Part 2 carries them out.
CREATE TABLE enforce_inspections (
    id            INTEGER PRIMARY KEY,
    unit_id       INTEGER NOT NULL REFERENCES units (id),        -- the enforcing department
    enterprise_id INTEGER NOT NULL REFERENCES enterprises (unit_id),
    region_code   TEXT NOT NULL,                                -- the enterprise's
    year          INTEGER NOT NULL,
    month         INTEGER NOT NULL,                             -- planned or held in
    kind          TEXT NOT NULL,                                -- routine | case
    basis         TEXT NOT NULL,                                -- plan | draw | supervisory | tip | complaint | referral | accident | recheck
    plan_id       INTEGER REFERENCES enforce_plans (id),
    draw_id       INTEGER REFERENCES enforce_draws (id),
    officers      TEXT NOT NULL DEFAULT '',                     -- officer ids, comma-separated
    note          TEXT NOT NULL DEFAULT '',
    state         TEXT NOT NULL DEFAULT 'planned',              -- planned | done
    created_by    INTEGER NOT NULL,
    created_at    TIMESTAMP   NOT NULL
);
CREATE INDEX enforce_inspections_enterprise ON enforce_inspections (enterprise_id, year, kind);

-- Each enterprise's inspections of a year by kind, kept with the rows: the
-- caps are taken here, one conditional increment per inspection, so two
-- departments (or a draw and a plan) can never pass a cap together.
CREATE TABLE enforce_counts (
    enterprise_id INTEGER NOT NULL,
    year          INTEGER NOT NULL,
    kind          TEXT NOT NULL,
    n             INTEGER NOT NULL,
    cap           INTEGER NOT NULL,             -- the cap the last inspection was taken under
    PRIMARY KEY (enterprise_id, year, kind)
);
CREATE INDEX enforce_counts_year ON enforce_counts (year, enterprise_id);
CREATE INDEX enforce_inspections_unit ON enforce_inspections (unit_id, year, month);
CREATE INDEX enforce_inspections_region ON enforce_inspections (region_code, year);

-- +goose Down
DROP TABLE enforce_counts;
DROP TABLE enforce_inspections;
DROP TABLE enforce_recusals;
DROP TABLE enforce_draws;
DROP TABLE enforce_conflicts;
DROP TABLE enforce_officers;
DROP TABLE enforce_plans;
