-- +goose Up
-- 执法, part 2 (issue 23): an inspection from its task to its writs. The
-- task is approved and notified (任务通知书), the officers check in by the
-- enterprise's QR code (扫码入企, 国办发〔2024〕54号) and start on site, mark
-- the checklist, record findings, attach media, sign the 现场检查记录
-- (安全生产法 Art. 68) and close; a finding with a deadline becomes a
-- hazard (source 执法检查) under a 责令限期整改指令书 and a re-check task,
-- whose 整改复查意见书 closes it or marks it 拒不改正 (part 3: a case).

ALTER TABLE enforce_inspections ADD COLUMN due_from TEXT NOT NULL DEFAULT '';     -- the window the task is to be done in
ALTER TABLE enforce_inspections ADD COLUMN due_to TEXT NOT NULL DEFAULT '';
ALTER TABLE enforce_inspections ADD COLUMN approved_by INTEGER;
ALTER TABLE enforce_inspections ADD COLUMN approved_at TIMESTAMP;
ALTER TABLE enforce_inspections ADD COLUMN checkin_at TIMESTAMP;                        -- 扫码入企
ALTER TABLE enforce_inspections ADD COLUMN checkin_by INTEGER;
ALTER TABLE enforce_inspections ADD COLUMN started_at TIMESTAMP;
ALTER TABLE enforce_inspections ADD COLUMN lat REAL;                             -- where it was started, if the browser told
ALTER TABLE enforce_inspections ADD COLUMN lon REAL;
ALTER TABLE enforce_inspections ADD COLUMN place TEXT NOT NULL DEFAULT '';         -- 检查地点
ALTER TABLE enforce_inspections ADD COLUMN party TEXT NOT NULL DEFAULT '';         -- the enterprise's 现场负责人
ALTER TABLE enforce_inspections ADD COLUMN party_post TEXT NOT NULL DEFAULT '';
ALTER TABLE enforce_inspections ADD COLUMN summary TEXT NOT NULL DEFAULT '';       -- 检查情况
ALTER TABLE enforce_inspections ADD COLUMN handling TEXT NOT NULL DEFAULT '';      -- 处理情况
ALTER TABLE enforce_inspections ADD COLUMN measures TEXT NOT NULL DEFAULT '';      -- 现场处理措施 (Art. 65), '' when none
ALTER TABLE enforce_inspections ADD COLUMN closed_at TIMESTAMP;
ALTER TABLE enforce_inspections ADD COLUMN of_inspection INTEGER;                     -- a re-check: the inspection it re-checks
CREATE INDEX enforce_inspections_of ON enforce_inspections (of_inspection);

-- The checklist as marked, one row per item, saved as the officer goes.
CREATE TABLE enforce_marks (
    inspection_id INTEGER NOT NULL REFERENCES enforce_inspections (id),
    item_key      TEXT NOT NULL,
    result        TEXT NOT NULL,              -- pass 合格 | fail 不合格 | na 不涉及
    note          TEXT NOT NULL DEFAULT '',
    updated_by    INTEGER NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (inspection_id, item_key)
);

-- Findings: a hazard (into the hazard mechanism at closing), a violation of
-- an article of 安全生产法, or both.
CREATE TABLE enforce_findings (
    id            INTEGER PRIMARY KEY,
    inspection_id INTEGER NOT NULL REFERENCES enforce_inspections (id),
    enterprise_id INTEGER NOT NULL,
    item_key      TEXT NOT NULL DEFAULT '',   -- the checklist item it was found under
    place         TEXT NOT NULL,
    description   TEXT NOT NULL,
    hazard        BOOLEAN NOT NULL,           -- a 事故隐患
    level         TEXT NOT NULL DEFAULT '',   -- general | major
    criterion     TEXT NOT NULL DEFAULT '',   -- major: the 判定标准 item
    violation     TEXT NOT NULL DEFAULT '',   -- rules.Violations key, '' when none
    deadline      TEXT NOT NULL DEFAULT '',   -- 限期整改 by; '' corrected on the spot
    hazard_id     INTEGER,                       -- the hazard it became
    state         TEXT NOT NULL,              -- open | corrected 整改合格 | refused 拒不改正
    review_note   TEXT NOT NULL DEFAULT '',
    reviewed_at   TIMESTAMP,
    created_by    INTEGER NOT NULL,
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX enforce_findings_inspection ON enforce_findings (inspection_id);
CREATE INDEX enforce_findings_enterprise ON enforce_findings (enterprise_id, state);

-- 全过程记录: photos, audio and video of an inspection (the bytes in the
-- attachment store by their SHA-256).
CREATE TABLE enforce_media (
    id            INTEGER PRIMARY KEY,
    inspection_id INTEGER NOT NULL REFERENCES enforce_inspections (id),
    item_key      TEXT NOT NULL DEFAULT '',
    finding_id    INTEGER,
    kind          TEXT NOT NULL,              -- photo | audio | video
    name          TEXT NOT NULL,
    size          BIGINT NOT NULL,
    sha256        TEXT NOT NULL,
    content_type  TEXT NOT NULL,              -- sniffed
    created_by    INTEGER NOT NULL,
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX enforce_media_inspection ON enforce_media (inspection_id);
CREATE INDEX enforce_media_user ON enforce_media (created_by);

-- The signatures of the 现场检查记录: the two officers and the party, each
-- a drawn PNG in the attachment store, or the party's refusal.
CREATE TABLE enforce_signatures (
    inspection_id INTEGER NOT NULL REFERENCES enforce_inspections (id),
    role          TEXT NOT NULL,              -- officer1 | officer2 | party
    name          TEXT NOT NULL,
    certificate   TEXT NOT NULL DEFAULT '',   -- 执法证号, officers
    sha256        TEXT NOT NULL DEFAULT '',   -- the PNG; '' when refused
    refused       BOOLEAN NOT NULL DEFAULT FALSE,
    reason        TEXT NOT NULL DEFAULT '',
    signed_at     TIMESTAMP NOT NULL,
    PRIMARY KEY (inspection_id, role)
);

-- 执法文书 issued on an inspection, each numbered per department, kind and
-- year without gaps (numbering series enforce.writ).
CREATE TABLE enforce_writs (
    id            INTEGER PRIMARY KEY,
    inspection_id INTEGER NOT NULL REFERENCES enforce_inspections (id),
    unit_id       INTEGER NOT NULL,
    kind          TEXT NOT NULL,              -- notice | record | order | review | measure
    year          INTEGER NOT NULL,
    number        TEXT NOT NULL,              -- (天)应急检记〔2026〕3号
    fields        TEXT NOT NULL,              -- what it says, as issued (JSON: label and paragraphs)
    basis         TEXT NOT NULL DEFAULT '',   -- the legal basis printed with the fields
    issued_on     TEXT NOT NULL,
    issued_by     INTEGER NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    UNIQUE (unit_id, kind, year, number)
);
CREATE INDEX enforce_writs_inspection ON enforce_writs (inspection_id);

-- +goose Down
DROP TABLE enforce_writs;
DROP TABLE enforce_signatures;
DROP TABLE enforce_media;
DROP TABLE enforce_findings;
DROP TABLE enforce_marks;
DROP INDEX enforce_inspections_of;
ALTER TABLE enforce_inspections DROP COLUMN of_inspection;
ALTER TABLE enforce_inspections DROP COLUMN closed_at;
ALTER TABLE enforce_inspections DROP COLUMN measures;
ALTER TABLE enforce_inspections DROP COLUMN handling;
ALTER TABLE enforce_inspections DROP COLUMN summary;
ALTER TABLE enforce_inspections DROP COLUMN party_post;
ALTER TABLE enforce_inspections DROP COLUMN party;
ALTER TABLE enforce_inspections DROP COLUMN place;
ALTER TABLE enforce_inspections DROP COLUMN lon;
ALTER TABLE enforce_inspections DROP COLUMN lat;
ALTER TABLE enforce_inspections DROP COLUMN started_at;
ALTER TABLE enforce_inspections DROP COLUMN checkin_by;
ALTER TABLE enforce_inspections DROP COLUMN checkin_at;
ALTER TABLE enforce_inspections DROP COLUMN approved_at;
ALTER TABLE enforce_inspections DROP COLUMN approved_by;
ALTER TABLE enforce_inspections DROP COLUMN due_to;
ALTER TABLE enforce_inspections DROP COLUMN due_from;
