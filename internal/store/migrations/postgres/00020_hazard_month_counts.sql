-- +goose Up
-- The monthly trend (同比/环比) at millions of hazards: counts per Shanghai
-- month, enterprise, source and region, kept with every change as
-- hazard_counts is, so the trend reads two years of months instead of two
-- years of hazards. reported and major count the hazards reported in the
-- month (major: judged 重大 now), closed the hazards closed (销号) in it.
-- The region is part of the key: a moved enterprise's open hazards follow
-- it, its closed ones stay where they were handled (hazard.FollowEnterprise).
CREATE TABLE hazard_month_counts (
    month       TEXT NOT NULL,  -- 2026-03, Asia/Shanghai
    unit_id     BIGINT NOT NULL,
    source      TEXT NOT NULL,
    region_code TEXT NOT NULL,
    reported    INTEGER NOT NULL DEFAULT 0,
    major       INTEGER NOT NULL DEFAULT 0,
    closed      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (month, unit_id, source, region_code)
);
INSERT INTO hazard_month_counts (month, unit_id, source, region_code, reported, major, closed)
SELECT month, unit_id, source, region_code, SUM(reported), SUM(major), SUM(closed) FROM (
    SELECT to_char(created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') AS month, unit_id, source, region_code,
           1 AS reported, CASE WHEN level = 'major' THEN 1 ELSE 0 END AS major, 0 AS closed FROM hazards
    UNION ALL
    SELECT to_char(closed_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM'), unit_id, source, region_code, 0, 0, 1 FROM hazards WHERE closed_at IS NOT NULL
) t GROUP BY month, unit_id, source, region_code;

-- +goose Down
DROP TABLE hazard_month_counts;
