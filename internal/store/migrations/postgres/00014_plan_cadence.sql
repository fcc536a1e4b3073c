-- +goose Up
-- A plan's reporting cadence (issue 14.8): items whose text states no date
-- or frequency of their own are reported on at the office's pace (每季度,
-- 季后5个工作日内报送). '' is no cadence.
ALTER TABLE plans ADD COLUMN cadence TEXT NOT NULL DEFAULT '';      -- month | quarter | half-year | ''
ALTER TABLE plans ADD COLUMN cadence_days INTEGER NOT NULL DEFAULT 0; -- working days after the period ends
-- text: read from the item's text; cadence: the plan's cadence, regenerated when it changes.
ALTER TABLE plan_obligations ADD COLUMN source TEXT NOT NULL DEFAULT 'text';

-- +goose Down
ALTER TABLE plan_obligations DROP COLUMN source;
ALTER TABLE plans DROP COLUMN cadence_days;
ALTER TABLE plans DROP COLUMN cadence;
