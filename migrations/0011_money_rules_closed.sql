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

-- The lines of a compensation, each with its basis, from what it was computed on.
CREATE FUNCTION compensation_lines(use text, legality text, recorded_area numeric, rate_yuan_per_m2 numeric,
                                   house_yuan numeric, relocation_yuan numeric, transition_yuan numeric,
                                   transition_yuan_per_m2_month numeric, transition_months smallint,
                                   incentive_yuan numeric, incentive_until date) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
    SELECT jsonb_build_array(
        jsonb_build_object('key', 'house', 'zh', '房屋补偿', 'yuan', house_yuan, 'rate', rate_yuan_per_m2,
            'basis', format('%s m² × %s 元/m²（%s，%s）', recorded_area, rate_yuan_per_m2,
                CASE use WHEN 'residential' THEN '住宅' WHEN 'commercial' THEN '商业' WHEN 'industrial' THEN '工业'
                         WHEN 'public' THEN '公共' ELSE '混合' END,
                CASE legality WHEN 'legal' THEN '合法' ELSE '违法建筑' END)),
        jsonb_build_object('key', 'relocation', 'zh', '搬迁补助', 'yuan', relocation_yuan, 'basis', '每户'),
        jsonb_build_object('key', 'transition', 'zh', '临时安置补助', 'yuan', transition_yuan,
            'basis', format('%s m² × %s 元/m²/月 × %s 个月', recorded_area, transition_yuan_per_m2_month, transition_months)),
        jsonb_build_object('key', 'incentive', 'zh', '签约奖励', 'yuan', incentive_yuan,
            'basis', CASE WHEN incentive_until IS NULL THEN '签约日不在奖励期内' ELSE format('%s 前签约', incentive_until) END))
$$;

-- What the agreement was computed on, kept with it (columns as compensation() names them).
ALTER TABLE agreements
    ADD COLUMN use text, ADD COLUMN legality text, ADD COLUMN recorded_area numeric(12, 2),
    ADD COLUMN rate_yuan_per_m2 numeric(10, 2), ADD COLUMN house_yuan numeric(14, 2), ADD COLUMN relocation_yuan numeric(14, 2),
    ADD COLUMN transition_yuan numeric(14, 2), ADD COLUMN transition_yuan_per_m2_month numeric(10, 2),
    ADD COLUMN transition_months smallint, ADD COLUMN incentive_yuan numeric(14, 2), ADD COLUMN incentive_until date,
    ADD COLUMN computed_yuan numeric(14, 2), ADD COLUMN voided_at timestamptz;
CREATE INDEX agreements_open ON agreements (project_id) WHERE voided_at IS NULL;

-- Households already signed get the agreement their signing would have made.
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

-- A household's compensation as staff, exports and the resident see it: a signed household's
-- as its agreement holds it, the others' as if they signed `today`.
CREATE OR REPLACE FUNCTION compensation_detail(h_id bigint, today date) RETURNS json
LANGUAGE sql STABLE AS $$
    SELECT json_build_object(
        'signed_on', coalesce((a.signed_at AT TIME ZONE 'Asia/Shanghai')::date, today),
        'projected', a.household_id IS NULL,
        'lines', CASE WHEN a.household_id IS NULL
                      THEN compensation_lines(c.use, c.legality, c.recorded_area, c.rate_yuan_per_m2, c.house_yuan, c.relocation_yuan,
                                              c.transition_yuan, c.transition_yuan_per_m2_month, c.transition_months,
                                              c.incentive_yuan, c.incentive_until)
                      ELSE compensation_lines(a.use, a.legality, a.recorded_area, a.rate_yuan_per_m2, a.house_yuan, a.relocation_yuan,
                                              a.transition_yuan, a.transition_yuan_per_m2_month, a.transition_months,
                                              a.incentive_yuan, a.incentive_until) END,
        'computed_yuan', coalesce(a.computed_yuan, c.computed_yuan),
        'override', (SELECT json_build_object('yuan', o.yuan, 'reason', o.reason, 'by', u.username, 'at', o.at)
                       FROM compensation_overrides o LEFT JOIN users u ON u.id = o.user_id WHERE o.household_id = h_id),
        'total_yuan', coalesce(a.yuan, c.total_yuan))
      FROM compensation(h_id, today) c
      LEFT JOIN agreements a ON a.household_id = h_id AND a.voided_at IS NULL
$$;

-- Signing makes the agreement (again, after a voiding send-back) from that day's compensation.
CREATE OR REPLACE FUNCTION households_agree() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    signed timestamptz := coalesce(NEW.status_at, now());
    day date := (coalesce(NEW.status_at, now()) AT TIME ZONE 'Asia/Shanghai')::date;
BEGIN
    INSERT INTO agreements AS a (household_id, project_id, yuan, signed_at, use, legality, recorded_area, rate_yuan_per_m2, house_yuan, relocation_yuan, transition_yuan, transition_yuan_per_m2_month, transition_months, incentive_yuan, incentive_until, computed_yuan)
    SELECT NEW.id, b.project_id, c.total_yuan, signed, c.use, c.legality, c.recorded_area, c.rate_yuan_per_m2, c.house_yuan, c.relocation_yuan, c.transition_yuan, c.transition_yuan_per_m2_month, c.transition_months, c.incentive_yuan, c.incentive_until, c.computed_yuan
      FROM buildings b, compensation(NEW.id, day) c
     WHERE b.id = NEW.building_id
    ON CONFLICT (household_id) DO UPDATE
       SET (yuan, signed_at, voided_at, use, legality, recorded_area, rate_yuan_per_m2, house_yuan, relocation_yuan, transition_yuan, transition_yuan_per_m2_month, transition_months, incentive_yuan, incentive_until, computed_yuan) = (EXCLUDED.yuan, EXCLUDED.signed_at, NULL, EXCLUDED.use, EXCLUDED.legality, EXCLUDED.recorded_area, EXCLUDED.rate_yuan_per_m2, EXCLUDED.house_yuan, EXCLUDED.relocation_yuan, EXCLUDED.transition_yuan, EXCLUDED.transition_yuan_per_m2_month, EXCLUDED.transition_months, EXCLUDED.incentive_yuan, EXCLUDED.incentive_until, EXCLUDED.computed_yuan)
     WHERE a.voided_at IS NOT NULL;
    RETURN NULL;
END
$$;

-- Going back before signing voids the agreement; with money committed it is refused.
CREATE FUNCTION households_unagree() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM agreements WHERE household_id = NEW.id AND voided_at IS NULL AND committed_yuan > 0) THEN
        RAISE EXCEPTION 'household % has compensation committed or paid: send its batches back before its signing', NEW.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'agreement_has_payments';
    END IF;
    UPDATE agreements SET voided_at = now() WHERE household_id = NEW.id AND voided_at IS NULL;
    RETURN NULL;
END
$$;
CREATE TRIGGER households_unagree AFTER UPDATE OF status ON households
    FOR EACH ROW WHEN (OLD.status >= 'signed' AND NEW.status < 'signed') EXECUTE FUNCTION households_unagree();

-- An override sets the agreed sum; removing it restores the sum signed.
CREATE OR REPLACE FUNCTION overrides_reagree() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    h bigint := CASE WHEN TG_OP = 'DELETE' THEN OLD.household_id ELSE NEW.household_id END;
BEGIN
    UPDATE agreements a SET yuan = coalesce((SELECT yuan FROM compensation_overrides o WHERE o.household_id = h), a.computed_yuan)
     WHERE a.household_id = h AND a.voided_at IS NULL;
    RETURN NULL;
END
$$;

-- Agreements signed with a zero sum (no standard yet) are made again once one is saved; at
-- commit, so the rates and incentives saved with it count.
CREATE FUNCTION standards_reagree_zero() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE agreements a SET (yuan, use, legality, recorded_area, rate_yuan_per_m2, house_yuan, relocation_yuan, transition_yuan, transition_yuan_per_m2_month, transition_months, incentive_yuan, incentive_until, computed_yuan) =
           (SELECT c.total_yuan, c.use, c.legality, c.recorded_area, c.rate_yuan_per_m2, c.house_yuan, c.relocation_yuan, c.transition_yuan, c.transition_yuan_per_m2_month, c.transition_months, c.incentive_yuan, c.incentive_until, c.computed_yuan FROM compensation(a.household_id, (a.signed_at AT TIME ZONE 'Asia/Shanghai')::date) c)
     WHERE a.project_id = NEW.project_id AND a.computed_yuan = 0 AND a.committed_yuan = 0 AND a.voided_at IS NULL;
    RETURN NULL;
END
$$;
CREATE CONSTRAINT TRIGGER standards_reagree_zero AFTER INSERT OR UPDATE ON compensation_standards
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION standards_reagree_zero();

-- Kept sums move only through the triggers above (one level down or deeper).
CREATE FUNCTION kept_by_triggers() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR pg_trigger_depth() < 2 THEN
        RAISE EXCEPTION '% rows are kept by the database''s own triggers', TG_TABLE_NAME
            USING ERRCODE = 'check_violation', CONSTRAINT = TG_TABLE_NAME || '_kept_by_triggers';
    END IF;
    IF TG_TABLE_NAME = 'agreements' THEN
        -- (nested: PL/pgSQL may evaluate both sides of an AND)
        IF (NEW.household_id, NEW.project_id) IS DISTINCT FROM (OLD.household_id, OLD.project_id) THEN
            RAISE EXCEPTION 'an agreement stays with its household' USING ERRCODE = 'check_violation', CONSTRAINT = 'agreements_kept_by_triggers';
        END IF;
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$$;
CREATE TRIGGER agreements_kept_by_triggers BEFORE UPDATE OR DELETE ON agreements
    FOR EACH ROW EXECUTE FUNCTION kept_by_triggers();
CREATE TRIGGER project_funds_kept_by_triggers BEFORE UPDATE OR DELETE ON project_funds
    FOR EACH ROW EXECUTE FUNCTION kept_by_triggers();

-- History is not truncated either.
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER payments_no_truncate BEFORE TRUNCATE ON payments FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER payment_batches_no_truncate BEFORE TRUNCATE ON payment_batches FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER fund_allocations_no_truncate BEFORE TRUNCATE ON fund_allocations FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER agreements_no_truncate BEFORE TRUNCATE ON agreements FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER project_funds_no_truncate BEFORE TRUNCATE ON project_funds FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- Separate duties: whoever takes a step is named, and is not the submitter. (Generated
-- history has no users; the loader writes it with the triggers paused.)
ALTER TABLE payment_batches DROP CONSTRAINT batch_reviewer_not_submitter;
ALTER TABLE payment_batches ADD CONSTRAINT batch_duties_separate CHECK (submitted_by IS NULL OR (
    reviewed_by IS DISTINCT FROM submitted_by AND approved_by IS DISTINCT FROM submitted_by AND paid_by IS DISTINCT FROM submitted_by));
ALTER TABLE payment_batches ADD CONSTRAINT batch_steps_signed CHECK (submitted_by IS NULL OR (
    (reviewed_at IS NULL) = (reviewed_by IS NULL) AND (approved_at IS NULL) = (approved_by IS NULL) AND
    (paid_at IS NULL) = (paid_by IS NULL) AND (returned_at IS NULL) = (returned_by IS NULL)));

CREATE OR REPLACE FUNCTION payment_batches_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status <> 'submitted' OR NEW.yuan <> 0 OR NEW.payments <> 0 OR NEW.submitted_by IS NULL
       OR num_nonnulls(NEW.reviewed_at, NEW.approved_at, NEW.paid_at, NEW.returned_at) > 0 THEN
        RAISE EXCEPTION 'a batch starts submitted, empty, by a named user'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'batch_starts_submitted';
    END IF;
    RETURN NEW;
END
$$;

-- Steps in order only, each once; what a step recorded is history.
CREATE OR REPLACE FUNCTION payment_batches_step() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.project_id, NEW.submitted_by, NEW.submitted_at, NEW.note) IS DISTINCT FROM (OLD.project_id, OLD.submitted_by, OLD.submitted_at, OLD.note)
       OR (OLD.reviewed_at IS NOT NULL AND (NEW.reviewed_at, NEW.reviewed_by) IS DISTINCT FROM (OLD.reviewed_at, OLD.reviewed_by))
       OR (OLD.approved_at IS NOT NULL AND (NEW.approved_at, NEW.approved_by) IS DISTINCT FROM (OLD.approved_at, OLD.approved_by))
       OR (OLD.paid_at IS NOT NULL AND (NEW.paid_at, NEW.paid_by) IS DISTINCT FROM (OLD.paid_at, OLD.paid_by))
       OR (OLD.returned_at IS NOT NULL AND (NEW.returned_at, NEW.returned_by, NEW.return_reason) IS DISTINCT FROM (OLD.returned_at, OLD.returned_by, OLD.return_reason)) THEN
        RAISE EXCEPTION 'batch %: what its steps recorded is history', OLD.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'batch_step_order';
    END IF;
    -- the sum is the payments': only their trigger (one level down) may move it
    IF (NEW.yuan, NEW.payments) IS DISTINCT FROM (OLD.yuan, OLD.payments)
       AND (pg_trigger_depth() < 2 OR NEW.status <> 'submitted' OR OLD.status <> 'submitted') THEN
        RAISE EXCEPTION 'batch %: its sum is kept from its payments', OLD.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'payment_batch_open';
    END IF;
    IF NEW.status = OLD.status THEN
        IF pg_trigger_depth() < 2 THEN
            RAISE EXCEPTION 'batch % is already %', OLD.id, OLD.status
                USING ERRCODE = 'check_violation', CONSTRAINT = 'batch_step_order';
        END IF;
        RETURN NEW;
    END IF;
    IF (OLD.status, NEW.status) NOT IN (('submitted', 'reviewed'), ('reviewed', 'approved'), ('approved', 'paid'),
                                        ('submitted', 'returned'), ('reviewed', 'returned')) THEN
        RAISE EXCEPTION 'batch % cannot go from % to %', OLD.id, OLD.status, NEW.status
            USING ERRCODE = 'check_violation', CONSTRAINT = 'batch_step_order';
    END IF;
    IF NEW.status = 'paid' THEN
        UPDATE project_funds SET paid_yuan = paid_yuan + NEW.yuan WHERE project_id = NEW.project_id;
        UPDATE agreements a SET paid_yuan = a.paid_yuan + p.yuan FROM payments p
         WHERE p.batch_id = NEW.id AND a.household_id = p.household_id;
    ELSIF NEW.status = 'returned' THEN
        UPDATE project_funds SET committed_yuan = committed_yuan - NEW.yuan WHERE project_id = NEW.project_id;
        UPDATE agreements a SET committed_yuan = a.committed_yuan - p.yuan FROM payments p
         WHERE p.batch_id = NEW.id AND a.household_id = p.household_id;
    END IF;
    RETURN NEW;
END
$$;

-- Funds row first, then the agreement: the order paying takes them in.
CREATE OR REPLACE FUNCTION payments_commit() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    batch payment_batches;
BEGIN
    SELECT * INTO batch FROM payment_batches WHERE id = NEW.batch_id FOR UPDATE;
    IF batch.status <> 'submitted' THEN
        RAISE EXCEPTION 'batch % is %: payments are added only while it is submitted', batch.id, batch.status
            USING ERRCODE = 'check_violation', CONSTRAINT = 'payment_batch_open';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM agreements WHERE household_id = NEW.household_id AND voided_at IS NULL) THEN
        RAISE EXCEPTION 'household % has no signed agreement (it was sent back before signing)', NEW.household_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'payment_needs_signed_agreement';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM agreements WHERE household_id = NEW.household_id AND project_id = batch.project_id) THEN
        RAISE EXCEPTION 'household % has no agreement in the batch''s project', NEW.household_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'payment_in_batch_project';
    END IF;
    UPDATE project_funds SET committed_yuan = committed_yuan + NEW.yuan WHERE project_id = batch.project_id;
    -- the agreement's CHECK refuses a sum beyond the agreed compensation
    UPDATE agreements SET committed_yuan = committed_yuan + NEW.yuan WHERE household_id = NEW.household_id;
    UPDATE payment_batches SET yuan = yuan + NEW.yuan, payments = payments + 1 WHERE id = NEW.batch_id;
    RETURN NULL;
END
$$;
