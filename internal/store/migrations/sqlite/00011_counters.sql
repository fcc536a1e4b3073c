-- +goose Up
-- Running numbers (package numbering owns this table): the last number a
-- series issued in a scope (a county, an office; '' for none) and year (0
-- for a series not numbered by year). A number is taken by incrementing its
-- row in the transaction that uses it.
CREATE TABLE counters (
    series      TEXT NOT NULL,
    scope       TEXT NOT NULL,
    year        INTEGER NOT NULL,
    last_number INTEGER NOT NULL,
    PRIMARY KEY (series, scope, year)
) WITHOUT ROWID;

-- Seeded from the numbers already issued, so an upgraded deployment numbers
-- on where it stopped. 隐患编号 YH<county>-<year>-<n>: per county and year.
INSERT INTO counters (series, scope, year, last_number)
SELECT 'hazard', scope, year, MAX(n) FROM (
    SELECT substr(number, 3, instr(number, '-') - 3) AS scope,
           substr(number, instr(number, '-') + 1) AS tail,
           CAST(substr(number, instr(number, '-') + 1, 4) AS INTEGER) AS year,
           CAST(substr(number, instr(number, '-') + 6) AS INTEGER) AS n
    FROM hazards WHERE number GLOB 'YH*-*'
) WHERE tail GLOB '[0-9][0-9][0-9][0-9]-[0-9]*' AND substr(tail, 6) NOT GLOB '*[^0-9]*'
GROUP BY scope, year;

-- 督办文号 <代字>〔<year>〕<n>号: per listing office, 代字 and year; the scope
-- is "<office id>/<代字>" (hazard.DocNumberScope).
INSERT INTO counters (series, scope, year, last_number)
SELECT 'hazard.listing', CAST(office_id AS TEXT) || '/' || substr(head, 1, length(head) - 6), CAST(substr(head, length(head) - 4, 4) AS INTEGER),
       MAX(CAST(substr(body, length(head) + 1) AS INTEGER)) FROM (
    SELECT office_id, body, rtrim(body, '0123456789') AS head FROM (
        SELECT office_id, substr(doc_number, 1, length(doc_number) - 1) AS body FROM hazard_listings WHERE doc_number GLOB '*〕[0-9]*号'
    )
) WHERE head GLOB '*〔[0-9][0-9][0-9][0-9]〕' AND length(body) > length(head)
GROUP BY 2, 3;

-- 提醒函/交办单文号: per issuing office, kind and year, as numbered by seq.
INSERT INTO counters (series, scope, year, last_number)
SELECT 'plan.notice.' || kind, CAST(office_id AS TEXT), year, MAX(seq) FROM plan_notices GROUP BY kind, office_id, year;

-- +goose Down
DROP TABLE counters;
