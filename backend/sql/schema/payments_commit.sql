-- A payment joins a batch only while the batch is submitted and before its first step, for a
-- household with a signed agreement in the batch's project; it commits the sum on the
-- project's funds, then on the agreement (the order paying takes them in, so concurrent
-- submits and pays queue instead of deadlocking), then on the batch.
CREATE OR REPLACE FUNCTION payments_commit() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    batch payment_batches;
BEGIN
    SELECT * INTO batch FROM payment_batches WHERE id = NEW.batch_id FOR UPDATE;
    IF batch.status <> 'submitted' OR batch.steps_taken > 0 THEN
        RAISE EXCEPTION 'batch % is % with % steps taken: payments are added only before its first step', batch.id, batch.status, batch.steps_taken
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

CREATE OR REPLACE TRIGGER payments_commit AFTER INSERT ON payments
    FOR EACH ROW EXECUTE FUNCTION payments_commit();
