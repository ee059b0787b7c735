-- Closes what a review of 0008 found open:
-- * an agreement keeps what it was signed on (its lines and computed sum), so a later standard
--   or area cannot change a signed sum, and removing an override restores the signed one;
-- * a send-back before signing voids the agreement (refused while money is committed), and
--   signing again makes it anew; a voided agreement cannot be paid;
-- * households signed before this migration get their agreements; agreements signed with no
--   standard (sum 0) are made again when the project's standard is saved;
-- * kept sums (agreements, project_funds) move only through the triggers, the rows that are
--   history cannot be deleted or truncated, and a batch's steps, once taken, are history;
-- * every step is signed by a user other than the submitter (a batch needs a submitter);
-- * the payment trigger locks the project's funds before agreements, as paying does, so
--   concurrent submits and pays queue instead of deadlocking.
-- The functions and triggers live in backend/sql/schema/; this file keeps the columns,
-- constraints and the backfill.

-- What the agreement was computed on, kept with it (columns as compensation() names them).
ALTER TABLE agreements
    ADD COLUMN use text, ADD COLUMN legality text, ADD COLUMN recorded_area numeric(12, 2),
    ADD COLUMN rate_yuan_per_m2 numeric(10, 2), ADD COLUMN house_yuan numeric(14, 2), ADD COLUMN relocation_yuan numeric(14, 2),
    ADD COLUMN transition_yuan numeric(14, 2), ADD COLUMN transition_yuan_per_m2_month numeric(10, 2),
    ADD COLUMN transition_months smallint, ADD COLUMN incentive_yuan numeric(14, 2), ADD COLUMN incentive_until date,
    ADD COLUMN computed_yuan numeric(14, 2), ADD COLUMN voided_at timestamptz;
CREATE INDEX agreements_open ON agreements (project_id) WHERE voided_at IS NULL;

-- Households already signed get the agreement their signing would have made.
-- schema: compensation.sql
INSERT INTO agreements (household_id, project_id, yuan, signed_at)
SELECT h.id, b.project_id, c.total_yuan, s.at
  FROM households h
  JOIN buildings b ON b.id = h.building_id
  CROSS JOIN LATERAL (SELECT coalesce((SELECT max(e.at) FROM status_events e WHERE e.household_id = h.id AND e.to_status = 'signed'),
                                      h.status_at, now()) AS at) s
  CROSS JOIN LATERAL compensation(h.id, (s.at AT TIME ZONE 'Asia/Shanghai')::date) c
 WHERE h.status >= 'signed' AND NOT EXISTS (SELECT 1 FROM agreements a WHERE a.household_id = h.id);
UPDATE agreements a SET (use, legality, recorded_area, rate_yuan_per_m2, house_yuan, relocation_yuan, transition_yuan, transition_yuan_per_m2_month, transition_months, incentive_yuan, incentive_until, computed_yuan) =
       (SELECT c.use, c.legality, c.recorded_area, c.rate_yuan_per_m2, c.house_yuan, c.relocation_yuan, c.transition_yuan, c.transition_yuan_per_m2_month, c.transition_months, c.incentive_yuan, c.incentive_until, c.computed_yuan FROM compensation(a.household_id, (a.signed_at AT TIME ZONE 'Asia/Shanghai')::date) c);
ALTER TABLE agreements
    ALTER COLUMN use SET NOT NULL, ALTER COLUMN legality SET NOT NULL, ALTER COLUMN recorded_area SET NOT NULL,
    ALTER COLUMN rate_yuan_per_m2 SET NOT NULL, ALTER COLUMN house_yuan SET NOT NULL, ALTER COLUMN relocation_yuan SET NOT NULL,
    ALTER COLUMN transition_yuan SET NOT NULL, ALTER COLUMN transition_yuan_per_m2_month SET NOT NULL,
    ALTER COLUMN transition_months SET NOT NULL, ALTER COLUMN incentive_yuan SET NOT NULL, ALTER COLUMN computed_yuan SET NOT NULL;

-- Separate duties: whoever takes a step is named, and is not the submitter. (Generated
-- history has no users; the loader writes it with the triggers paused.)
ALTER TABLE payment_batches DROP CONSTRAINT batch_reviewer_not_submitter;
ALTER TABLE payment_batches ADD CONSTRAINT batch_duties_separate CHECK (submitted_by IS NULL OR (
    reviewed_by IS DISTINCT FROM submitted_by AND approved_by IS DISTINCT FROM submitted_by AND paid_by IS DISTINCT FROM submitted_by));
ALTER TABLE payment_batches ADD CONSTRAINT batch_steps_signed CHECK (submitted_by IS NULL OR (
    (reviewed_at IS NULL) = (reviewed_by IS NULL) AND (approved_at IS NULL) = (approved_by IS NULL) AND
    (paid_at IS NULL) = (paid_by IS NULL) AND (returned_at IS NULL) = (returned_by IS NULL)));
