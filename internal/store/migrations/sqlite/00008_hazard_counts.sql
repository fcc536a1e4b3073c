-- +goose Up
-- The dashboard figures at millions of hazards: counts per year,
-- enterprise and source as columns (one row where the tally had up to
-- twelve), clustered by year so a year's figures are one range; and two
-- indexes of the open hazards, by enterprise and by source, each holding
-- the deadline and the scope's columns, so the overdue counts are ranges
-- of an index and never read the hazards themselves.
CREATE TABLE hazard_counts (
    year         INTEGER NOT NULL,  -- reported in this year
    unit_id      INTEGER NOT NULL,
    source       TEXT NOT NULL,
    region_code  TEXT NOT NULL,
    reported     INTEGER NOT NULL DEFAULT 0,
    closed       INTEGER NOT NULL DEFAULT 0,
    major        INTEGER NOT NULL DEFAULT 0,
    major_closed INTEGER NOT NULL DEFAULT 0,
    open_major   INTEGER NOT NULL DEFAULT 0,  -- 动态清零: read across years
    PRIMARY KEY (year, unit_id, source)
) WITHOUT ROWID;
CREATE INDEX hazard_counts_open_major ON hazard_counts (unit_id) WHERE open_major > 0;
INSERT INTO hazard_counts (year, unit_id, source, region_code, reported, closed, major, major_closed, open_major)
SELECT year, unit_id, source, MAX(region_code), SUM(n), SUM(CASE WHEN open = 0 THEN n ELSE 0 END),
       SUM(CASE WHEN level = 'major' THEN n ELSE 0 END), SUM(CASE WHEN level = 'major' AND open = 0 THEN n ELSE 0 END),
       SUM(CASE WHEN level = 'major' AND open = 1 THEN n ELSE 0 END)
FROM hazard_tally GROUP BY year, unit_id, source;
DROP TABLE hazard_tally;

CREATE INDEX hazards_open_unit ON hazards (unit_id, deadline, region_code, source) WHERE state <> 'closed';
CREATE INDEX hazards_open_source ON hazards (source, deadline, region_code, unit_id) WHERE state <> 'closed';
DROP INDEX hazards_open;

-- +goose Down
CREATE INDEX hazards_open ON hazards (deadline) WHERE state <> 'closed';
DROP INDEX hazards_open_source;
DROP INDEX hazards_open_unit;
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
-- Unjudged and general hazards come back as general.
INSERT INTO hazard_tally (unit_id, region_code, year, level, source, open, n)
SELECT unit_id, region_code, year, level, source, open, n FROM (
    SELECT unit_id, region_code, year, 'general' AS level, source, 1 AS open, reported - closed - (major - major_closed) AS n FROM hazard_counts
    UNION ALL SELECT unit_id, region_code, year, 'general', source, 0, closed - major_closed FROM hazard_counts
    UNION ALL SELECT unit_id, region_code, year, 'major', source, 1, major - major_closed FROM hazard_counts
    UNION ALL SELECT unit_id, region_code, year, 'major', source, 0, major_closed FROM hazard_counts
) t WHERE n <> 0;
DROP TABLE hazard_counts;
