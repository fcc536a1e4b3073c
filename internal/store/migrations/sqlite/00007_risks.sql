-- +goose Up
-- 风险分级管控: risk points per enterprise, graded by LEC or LS into four
-- colours, with every assessment kept.
CREATE TABLE risk_points (
    id            INTEGER PRIMARY KEY,
    unit_id       INTEGER NOT NULL REFERENCES enterprises (unit_id),
    region_code   TEXT NOT NULL,
    name          TEXT NOT NULL,              -- 风险点 (场所、设备设施、作业活动)
    activity      TEXT NOT NULL DEFAULT '',   -- 作业活动/设备设施
    factors       TEXT NOT NULL,              -- 危险有害因素
    accidents     TEXT NOT NULL,              -- 可能导致的事故类型 (GB 6441), separated by 、
    measures      TEXT NOT NULL,              -- 管控措施
    emergency     TEXT NOT NULL DEFAULT '',   -- 应急处置措施
    responsible   TEXT NOT NULL,
    control_level TEXT NOT NULL,              -- company | workshop | team | post
    method        TEXT NOT NULL,              -- lec | ls
    inputs        TEXT NOT NULL,              -- L=6 E=6 C=7 / L=4 S=5
    value         DOUBLE NOT NULL,            -- D or R
    level         TEXT NOT NULL,              -- 重大风险 …
    colour        TEXT NOT NULL,              -- red | orange | yellow | blue
    assessed_on   TEXT NOT NULL,
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    created_at    TIMESTAMP NOT NULL,
    created_by    INTEGER NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);
CREATE INDEX risk_points_unit ON risk_points (unit_id, id);
CREATE INDEX risk_points_region ON risk_points (region_code, colour);

CREATE TABLE risk_assessments (
    id        INTEGER PRIMARY KEY,
    point_id  INTEGER NOT NULL REFERENCES risk_points (id) ON DELETE CASCADE,
    method    TEXT NOT NULL,
    inputs    TEXT NOT NULL,
    value     DOUBLE NOT NULL,
    level     TEXT NOT NULL,
    colour    TEXT NOT NULL,
    basis     TEXT NOT NULL,
    note      TEXT NOT NULL DEFAULT '',
    at        TIMESTAMP NOT NULL,
    actor_id  INTEGER NOT NULL,
    actor     TEXT NOT NULL
);
CREATE INDEX risk_assessments_point ON risk_assessments (point_id, id);

-- +goose Down
DROP TABLE risk_assessments;
DROP TABLE risk_points;
