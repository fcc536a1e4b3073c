-- +goose Up
-- The 待办 (issue 16.1): a message that asks its unit to act is a to-do,
-- with the date it is due by ('' when no rule sets one) and the time the
-- step was taken (inbox.Settle), after which it leaves the 待办.
ALTER TABLE inbox ADD COLUMN todo BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE inbox ADD COLUMN due TEXT NOT NULL DEFAULT '';
ALTER TABLE inbox ADD COLUMN done_at TIMESTAMP;
-- What was asked before and is not done yet becomes a to-do: read from the
-- objects' states, since a message's read mark says nothing about it.
UPDATE inbox SET todo = TRUE WHERE kind = 'hazard.judge'
    AND dedup IN (SELECT 'hazard:' || id || ':judge' FROM hazards WHERE state = 'reported');
UPDATE inbox SET todo = TRUE WHERE kind = 'hazard.review'
    AND dedup IN (SELECT 'hazard:' || id || ':review' FROM hazards WHERE state = 'rectified');
UPDATE inbox SET todo = TRUE, due = (SELECT h.deadline FROM hazards h WHERE h.id = CAST(substr(inbox.dedup, 8) AS INTEGER))
    WHERE kind = 'hazard.rectify'
    AND dedup IN (SELECT 'hazard:' || id || ':rectify' FROM hazards WHERE state IN ('assigned', 'rectifying'));
UPDATE inbox SET todo = TRUE WHERE kind = 'hazard.opinion'
    AND dedup IN (SELECT 'hazard.opinion:' || o.id FROM hazard_opinions o JOIN hazards h ON h.id = o.hazard_id
                  WHERE o.answered_at IS NULL AND h.state IN ('reported', 'self_rectifying'));
UPDATE inbox SET todo = TRUE WHERE kind = 'enterprise.change'
    AND dedup IN (SELECT 'enterprise.change:' || id FROM enterprise_changes WHERE status = 'pending');
UPDATE inbox SET todo = TRUE WHERE kind = 'plan.report'
    AND dedup IN (SELECT 'plan.report:' || id FROM plan_reports WHERE status = 'submitted');
UPDATE inbox SET todo = TRUE, due = (SELECT pi.due_on FROM plan_instances pi WHERE pi.id = CAST(substr(inbox.dedup, 14) AS INTEGER))
    WHERE kind = 'plan.overdue'
    AND dedup IN (SELECT 'plan.overdue:' || id FROM plan_instances WHERE done_at IS NULL);
UPDATE inbox SET todo = TRUE, due = (SELECT n.answer_by FROM plan_notices n WHERE n.id = CAST(substr(inbox.dedup, 13) AS INTEGER))
    WHERE kind = 'plan.notice'
    AND dedup IN (SELECT 'plan.notice:' || id FROM plan_notices WHERE answered_at IS NULL);
UPDATE inbox SET todo = TRUE WHERE kind = 'hazard.overdue' AND title LIKE '%已提请本级督办'
    AND dedup IN (SELECT 'hazard.overdue:' || id || ':' || deadline FROM hazards WHERE state <> 'closed');
CREATE INDEX inbox_todo ON inbox (unit_id, due) WHERE todo AND done_at IS NULL;

-- How far each outbound channel (inbox.Channel: a webhook to SMS or a
-- government messaging platform) has delivered the inbox, by message id.
CREATE TABLE inbox_outbound (
    channel TEXT PRIMARY KEY,
    last_id BIGINT NOT NULL
);

-- +goose Down
DROP TABLE inbox_outbound;
DROP INDEX inbox_todo;
ALTER TABLE inbox DROP COLUMN done_at;
ALTER TABLE inbox DROP COLUMN due;
ALTER TABLE inbox DROP COLUMN todo;
