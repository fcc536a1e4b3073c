-- +goose Up
-- Running numbers (package numbering owns this table): the last number a
-- series issued in a scope (a county, an office; '' for none) and year (0
-- for a series not numbered by year). A number is taken by incrementing its
-- row in the transaction that uses it.
CREATE TABLE counters (
    series      TEXT NOT NULL,
    scope       TEXT NOT NULL,
    year        INTEGER NOT NULL,
    last_number BIGINT NOT NULL,
    PRIMARY KEY (series, scope, year)
);

-- Seeded from the numbers already issued, so an upgraded deployment numbers
-- on where it stopped. 隐患编号 YH<county>-<year>-<n>: per county and year.
INSERT INTO counters (series, scope, year, last_number)
SELECT 'hazard', substring(number from '^YH([^-]*)-'), CAST(substring(number from '^YH[^-]*-([0-9]{4})-') AS INTEGER),
       MAX(CAST(substring(number from '-([0-9]+)$') AS BIGINT))
FROM hazards WHERE number ~ '^YH[^-]*-[0-9]{4}-[0-9]+$'
GROUP BY 2, 3;

-- 督办文号 <代字>〔<year>〕<n>号: per listing office, 代字 and year; the scope
-- is "<office id>/<代字>" (hazard.DocNumberScope).
INSERT INTO counters (series, scope, year, last_number)
SELECT 'hazard.listing', CAST(office_id AS TEXT) || '/' || substring(doc_number from '^(.*)〔[0-9]{4}〕[0-9]+号$'),
       CAST(substring(doc_number from '〔([0-9]{4})〕[0-9]+号$') AS INTEGER),
       MAX(CAST(substring(doc_number from '〔[0-9]{4}〕([0-9]+)号$') AS BIGINT))
FROM hazard_listings WHERE doc_number ~ '〔[0-9]{4}〕[0-9]+号$'
GROUP BY 2, 3;

-- 提醒函/交办单文号: per issuing office, kind and year, as numbered by seq.
INSERT INTO counters (series, scope, year, last_number)
SELECT 'plan.notice.' || kind, CAST(office_id AS TEXT), year, MAX(seq) FROM plan_notices GROUP BY kind, office_id, year;

-- +goose Down
DROP TABLE counters;
