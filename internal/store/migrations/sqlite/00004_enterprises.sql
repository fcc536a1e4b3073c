-- +goose Up
-- 安全监管对象数据库 (一企一档). An enterprise is a unit of kind 'enterprise'
-- (so jurisdiction scope, users and supervisions apply to it); its record
-- lives here, keyed by the unit.
CREATE TABLE enterprises (
    unit_id          INTEGER PRIMARY KEY REFERENCES units (id),
    name             TEXT NOT NULL,
    credit_code      TEXT NOT NULL,
    region_code      TEXT NOT NULL,            -- the township (乡镇/街道) or county it is registered in
    address          TEXT NOT NULL DEFAULT '',
    grid             TEXT NOT NULL DEFAULT '',
    industry_code    TEXT NOT NULL DEFAULT '', -- GB/T 4754-2017
    categories       TEXT NOT NULL DEFAULT '', -- supervision categories, comma-separated keys
    scale            TEXT NOT NULL DEFAULT '',
    legal_rep        TEXT NOT NULL DEFAULT '',
    principal        TEXT NOT NULL DEFAULT '',
    principal_phone  TEXT NOT NULL DEFAULT '',
    safety_manager   TEXT NOT NULL DEFAULT '',
    safety_phone     TEXT NOT NULL DEFAULT '',
    staff            INTEGER NOT NULL DEFAULT 0,
    safety_engineers INTEGER NOT NULL DEFAULT 0,
    std_level        TEXT NOT NULL DEFAULT '', -- 安全生产标准化: 一级/二级/三级, '' 未定级
    insurer          TEXT NOT NULL DEFAULT '', -- 安责险
    policy_no        TEXT NOT NULL DEFAULT '',
    policy_expires   TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL DEFAULT 'operating', -- operating 在营 | suspended 停产 | closed 关闭
    class            TEXT NOT NULL DEFAULT '', -- 分级分类 A/B/C/D, recomputed when its inputs change
    class_score      INTEGER NOT NULL DEFAULT 0,
    class_reason     TEXT NOT NULL DEFAULT '',
    major_grade      TEXT NOT NULL DEFAULT '', -- the highest grade of its major-hazard installations
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX enterprises_code ON enterprises (credit_code);
CREATE INDEX enterprises_region ON enterprises (region_code, unit_id);
CREATE INDEX enterprises_class ON enterprises (class, region_code);
CREATE INDEX enterprises_major ON enterprises (unit_id) WHERE major_grade <> '';

CREATE TABLE enterprise_categories (
    unit_id  INTEGER NOT NULL REFERENCES enterprises (unit_id) ON DELETE CASCADE,
    category TEXT NOT NULL,
    PRIMARY KEY (category, unit_id)
) WITHOUT ROWID;
CREATE INDEX enterprise_categories_unit ON enterprise_categories (unit_id);

-- Chinese substring search on names and codes (trigram; 1–2 characters fall back to LIKE).
-- Names only: codes are searched by prefix on their unique index.
CREATE VIRTUAL TABLE enterprise_fts USING fts5(name, content='enterprises', content_rowid='unit_id', tokenize='trigram', columnsize=0);
-- Merge index segments less eagerly: bulk imports write many at once.
INSERT INTO enterprise_fts (enterprise_fts, rank) VALUES ('automerge', 16);
-- The index is kept by the enterprise store, not by triggers: an FTS5 table
-- written inside a bulk transaction by a trigger flushes on every statement.

-- 三管三必须: which member unit supervises which category, per level; the
-- named officer of a supervision.
CREATE TABLE duty_rules (
    category TEXT NOT NULL,
    dept_id  INTEGER NOT NULL REFERENCES units (id),
    PRIMARY KEY (category, dept_id)
);
ALTER TABLE supervisions ADD COLUMN officer_id INTEGER;

-- 重点监管企业名单: hand adjustments to what the classes give.
CREATE TABLE key_list_overrides (
    unit_id    INTEGER PRIMARY KEY REFERENCES enterprises (unit_id) ON DELETE CASCADE,
    included   BOOLEAN NOT NULL,
    reason     TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    created_by INTEGER NOT NULL
);

-- 重大危险源 (GB 18218-2018): production and storage units and what they hold.
CREATE TABLE installations (
    id          INTEGER PRIMARY KEY,
    unit_id     INTEGER NOT NULL REFERENCES enterprises (unit_id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL,             -- production 生产单元 | storage 储存单元
    people      INTEGER NOT NULL,          -- 厂外 500 m 内常住人口
    sum_q       REAL NOT NULL,
    r           REAL NOT NULL,
    major       BOOLEAN NOT NULL,
    grade       TEXT NOT NULL DEFAULT '',
    record_no   TEXT NOT NULL DEFAULT '',  -- 备案编号
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE INDEX installations_unit ON installations (unit_id);
CREATE TABLE installation_holdings (
    installation_id INTEGER NOT NULL REFERENCES installations (id) ON DELETE CASCADE,
    seq             INTEGER NOT NULL,
    chemical        TEXT NOT NULL,   -- as entered (name, alias, CAS or W-symbol)
    chemical_key    TEXT NOT NULL,   -- T1-12 / T2-W5.1
    category        TEXT NOT NULL DEFAULT '',
    tonnes          REAL NOT NULL,
    PRIMARY KEY (installation_id, seq)
);

-- 安全生产严重失信主体名单.
CREATE TABLE credit_listings (
    id              INTEGER PRIMARY KEY,
    unit_id         INTEGER NOT NULL REFERENCES enterprises (unit_id) ON DELETE CASCADE,
    reason          TEXT NOT NULL,
    basis           TEXT NOT NULL,
    authority_id    INTEGER NOT NULL REFERENCES units (id),
    decision_no     TEXT NOT NULL DEFAULT '',
    listed_on       TEXT NOT NULL,
    ends_on         TEXT NOT NULL,         -- listed_on + 3 years
    repaired_on     TEXT,
    repair_decision TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMP NOT NULL,
    created_by      INTEGER NOT NULL
);
CREATE INDEX credit_listings_unit ON credit_listings (unit_id);

-- 证照 and 三项岗位人员 certificates.
CREATE TABLE licences (
    id         INTEGER PRIMARY KEY,
    unit_id    INTEGER NOT NULL REFERENCES enterprises (unit_id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    number     TEXT NOT NULL,
    issuer     TEXT NOT NULL DEFAULT '',
    issued_on  TEXT NOT NULL,
    expires_on TEXT NOT NULL
);
CREATE INDEX licences_unit ON licences (unit_id);
CREATE INDEX licences_expiry ON licences (expires_on);
CREATE TABLE certificates (
    id          INTEGER PRIMARY KEY,
    unit_id     INTEGER NOT NULL REFERENCES enterprises (unit_id) ON DELETE CASCADE,
    person      TEXT NOT NULL,
    post        TEXT NOT NULL,             -- principal 主要负责人 | safety 安全管理人员 | special 特种作业人员
    work_type   TEXT NOT NULL DEFAULT '',  -- 特种作业 作业类别 (电工作业, 焊接与热切割作业 …)
    number      TEXT NOT NULL,
    issued_on   TEXT NOT NULL,
    expires_on  TEXT NOT NULL,
    review_due  TEXT NOT NULL DEFAULT '',  -- 特种作业 复审
    reviewed_on TEXT NOT NULL DEFAULT ''
);
CREATE INDEX certificates_unit ON certificates (unit_id);
CREATE INDEX certificates_expiry ON certificates (expires_on);

-- Key-field changes an enterprise asks for, reviewed by its supervising department.
CREATE TABLE enterprise_changes (
    id          INTEGER PRIMARY KEY,
    unit_id     INTEGER NOT NULL REFERENCES enterprises (unit_id) ON DELETE CASCADE,
    region_code TEXT NOT NULL,
    before_json TEXT NOT NULL,
    after_json  TEXT NOT NULL,
    status      TEXT NOT NULL,            -- pending | approved | rejected
    reason      TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    created_by  INTEGER NOT NULL,
    decided_at  TIMESTAMP,
    decided_by  INTEGER
);
CREATE INDEX enterprise_changes_unit ON enterprise_changes (unit_id, status);

-- +goose Down
DROP TABLE enterprise_changes;
DROP TABLE certificates;
DROP TABLE licences;
DROP TABLE credit_listings;
DROP TABLE installation_holdings;
DROP TABLE installations;
DROP TABLE key_list_overrides;
ALTER TABLE supervisions DROP COLUMN officer_id;
DROP TABLE duty_rules;
DROP TABLE enterprise_fts;
DROP TABLE enterprise_categories;
DROP TABLE enterprises;
