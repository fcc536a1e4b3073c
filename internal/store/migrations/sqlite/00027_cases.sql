-- +goose Up
-- 执法, part 3 (issue 24): 行政处罚案件 under 行政处罚法's clocks. A case is
-- opened (立案) from a violation found on an inspection, a tip or an
-- accident, investigated (evidence, 询问笔录), noticed (行政处罚告知书: 陈述
-- 申辩, and above the threshold 听证, Art. 63–64), reviewed (法制审核, Art.
-- 58) and discussed (集体讨论, Art. 57) where required, decided within 90
-- days of 立案 (Art. 60; extensions approved), served (Art. 61), paid
-- within 15 days with 3% a day late (Art. 67, 72) and closed (结案). A
-- refused rectification after a fine accrues 按日连续处罚 (安全生产法 Art.
-- 112) and is decided as a case of its own (of_case).

CREATE TABLE enforce_cases (
    id             INTEGER PRIMARY KEY,
    unit_id        INTEGER NOT NULL,           -- the deciding department
    region_code    TEXT NOT NULL,              -- the party's region (scope)
    enterprise_id  INTEGER NOT NULL,           -- the party (当事人)
    year           INTEGER NOT NULL,
    number         TEXT NOT NULL,              -- 立案 number, (天)应急立〔2026〕3号
    source         TEXT NOT NULL,              -- inspection | tip | accident | daily
    inspection_id  INTEGER,                    -- the inspection the violation was found on
    finding_id     INTEGER,                    -- the finding (violation) it came from
    of_case        INTEGER,                    -- daily: the case whose fine is repeated
    source_ref     TEXT NOT NULL DEFAULT '',   -- the tip's or accident's reference
    violation      TEXT NOT NULL DEFAULT '',   -- rules.Violations key
    article        INTEGER NOT NULL,           -- 安全生产法 article the penalty is under
    uncorrected    BOOLEAN NOT NULL DEFAULT FALSE, -- the article's 逾期未改正 range
    grade          TEXT NOT NULL DEFAULT '',   -- accident grade (Art. 95, 114)
    facts          TEXT NOT NULL,              -- 违法事实
    officers       TEXT NOT NULL,              -- the investigating officers' ids
    complex        BOOLEAN NOT NULL DEFAULT FALSE, -- 情节复杂或重大 (Art. 57, 58)
    simple         BOOLEAN NOT NULL DEFAULT FALSE, -- 当场处罚 (Art. 51)
    state          TEXT NOT NULL,              -- filed | noticed | hearing | decided | served | paid | closed
    tier           TEXT NOT NULL DEFAULT '',   -- the 裁量基准 row chosen
    proposed_fen   BIGINT NOT NULL DEFAULT 0,  -- the fine told in the 告知书, fen
    suspension     BOOLEAN NOT NULL DEFAULT FALSE, -- 责令停产停业整顿 proposed (a hearing case)
    waived         BOOLEAN NOT NULL DEFAULT FALSE, -- 不予行政处罚 (Art. 33)
    fine_fen       BIGINT NOT NULL DEFAULT 0,  -- decided, fen
    daily_days     INTEGER NOT NULL DEFAULT 0, -- daily: the days counted
    filed_on       TEXT NOT NULL,
    decide_by      TEXT NOT NULL,              -- 90 days from 立案 plus extensions
    noticed_on     TEXT NOT NULL DEFAULT '',
    statement_by   TEXT NOT NULL DEFAULT '',
    hearing_by     TEXT NOT NULL DEFAULT '',   -- '' when the case is not one for a hearing
    hearing_asked  TEXT NOT NULL DEFAULT '',
    hearing_on     TEXT NOT NULL DEFAULT '',
    heard_on       TEXT NOT NULL DEFAULT '',
    reviewed_on    TEXT NOT NULL DEFAULT '',
    discussed_on   TEXT NOT NULL DEFAULT '',
    decided_on     TEXT NOT NULL DEFAULT '',
    e_service      BOOLEAN NOT NULL DEFAULT FALSE, -- the party's signed consent (Art. 61)
    served_on      TEXT NOT NULL DEFAULT '',
    serve_how      TEXT NOT NULL DEFAULT '',
    pay_by         TEXT NOT NULL DEFAULT '',
    paid_on        TEXT NOT NULL DEFAULT '',
    paid_fen       BIGINT NOT NULL DEFAULT 0,
    surcharge_fen  BIGINT NOT NULL DEFAULT 0,  -- 加处罚款 paid or decided
    reminded_on    TEXT NOT NULL DEFAULT '',   -- 催告书
    surcharged_on  TEXT NOT NULL DEFAULT '',   -- 加处罚款决定书
    court_on       TEXT NOT NULL DEFAULT '',   -- 申请人民法院强制执行
    closed_on      TEXT NOT NULL DEFAULT '',
    due_on         TEXT NOT NULL DEFAULT '',   -- the current step's deadline ('' none)
    due_what       TEXT NOT NULL DEFAULT '',
    created_by     INTEGER NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL
);
CREATE INDEX enforce_cases_unit ON enforce_cases (unit_id, state);
CREATE INDEX enforce_cases_region ON enforce_cases (region_code);
CREATE INDEX enforce_cases_enterprise ON enforce_cases (enterprise_id);
-- One case per violation found, one daily case per case: the services
-- check first and name it; these hold under concurrent writers too.
CREATE UNIQUE INDEX enforce_cases_finding ON enforce_cases (finding_id) WHERE source = 'inspection';
CREATE UNIQUE INDEX enforce_cases_daily ON enforce_cases (of_case);
CREATE INDEX enforce_cases_inspection ON enforce_cases (inspection_id);
CREATE INDEX enforce_cases_due ON enforce_cases (due_on);

-- 案卷: every step of a case as recorded (evidence and its file, 询问笔录,
-- 陈述申辩, 听证, 法制审核, 集体讨论, extensions, service, payment …).
CREATE TABLE enforce_case_steps (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES enforce_cases (id),
    kind         TEXT NOT NULL,
    on_date      TEXT NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    name         TEXT NOT NULL DEFAULT '',     -- a file's name
    sha256       TEXT NOT NULL DEFAULT '',     -- the file in the attachment store
    content_type TEXT NOT NULL DEFAULT '',
    size         BIGINT NOT NULL DEFAULT 0,
    by_user      INTEGER NOT NULL,
    at           TIMESTAMP NOT NULL
);
CREATE INDEX enforce_case_steps_case ON enforce_case_steps (case_id);

-- The case's writs, numbered in the department's enforce.writ series.
CREATE TABLE enforce_case_writs (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES enforce_cases (id),
    unit_id    INTEGER NOT NULL,
    kind       TEXT NOT NULL,
    year       INTEGER NOT NULL,
    number     TEXT NOT NULL,
    fields     TEXT NOT NULL,
    basis      TEXT NOT NULL DEFAULT '',
    issued_on  TEXT NOT NULL,
    issued_by  INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (unit_id, kind, year, number)
);
CREATE INDEX enforce_case_writs_case ON enforce_case_writs (case_id);

-- +goose Down
DROP TABLE enforce_case_writs;
DROP TABLE enforce_case_steps;
DROP TABLE enforce_cases;
