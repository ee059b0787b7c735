-- A batch row changes only as its steps move it (one level down, from batch_steps), by its
-- payments' sums (before any step), or by a send-back; what it recorded is history. Paying
-- moves the money (the CHECKs refuse more than allocated); a send-back releases it.
CREATE OR REPLACE FUNCTION payment_batches_step() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    last_step smallint;
BEGIN
    IF (NEW.project_id, NEW.chain_id, NEW.submitted_by, NEW.submitted_at, NEW.note)
           IS DISTINCT FROM (OLD.project_id, OLD.chain_id, OLD.submitted_by, OLD.submitted_at, OLD.note)
       OR (OLD.paid_at IS NOT NULL AND (NEW.paid_at, NEW.paid_by) IS DISTINCT FROM (OLD.paid_at, OLD.paid_by))
       OR (OLD.returned_at IS NOT NULL AND (NEW.returned_at, NEW.returned_by, NEW.return_reason) IS DISTINCT FROM (OLD.returned_at, OLD.returned_by, OLD.return_reason)) THEN
        RAISE EXCEPTION 'batch %: what its steps recorded is history', OLD.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'batch_step_order';
    END IF;
    -- the sum is the payments': only their trigger (one level down) moves it, before any step
    IF (NEW.yuan, NEW.payments) IS DISTINCT FROM (OLD.yuan, OLD.payments)
       AND (pg_trigger_depth() < 2 OR NEW.status <> 'submitted' OR OLD.status <> 'submitted' OR OLD.steps_taken > 0) THEN
        RAISE EXCEPTION 'batch %: its sum is kept from its payments', OLD.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'payment_batch_open';
    END IF;
    IF (NEW.steps_taken, NEW.paid_at, NEW.paid_by) IS DISTINCT FROM (OLD.steps_taken, OLD.paid_at, OLD.paid_by)
       OR (NEW.status = 'paid' AND OLD.status <> 'paid') THEN
        IF pg_trigger_depth() < 2 OR NEW.steps_taken <> OLD.steps_taken + 1 THEN
            RAISE EXCEPTION 'batch %: a step is taken by recording it in batch_steps, in order', OLD.id
                USING ERRCODE = 'check_violation', CONSTRAINT = 'batch_step_order';
        END IF;
        SELECT max(position) INTO last_step FROM approval_steps WHERE chain_id = NEW.chain_id;
        IF (NEW.status = 'paid') <> (NEW.steps_taken = last_step) OR (NEW.status = 'paid') <> (NEW.paid_at IS NOT NULL) THEN
            RAISE EXCEPTION 'batch %: the last step of its chain pays, and only it', OLD.id
                USING ERRCODE = 'check_violation', CONSTRAINT = 'batch_step_order';
        END IF;
    END IF;
    IF NEW.status = OLD.status THEN
        IF pg_trigger_depth() < 2 THEN
            RAISE EXCEPTION 'batch % is already %', OLD.id, OLD.status
                USING ERRCODE = 'check_violation', CONSTRAINT = 'batch_step_order';
        END IF;
        RETURN NEW;
    END IF;
    IF (OLD.status, NEW.status) NOT IN (('submitted', 'paid'), ('submitted', 'returned')) THEN
        RAISE EXCEPTION 'batch % cannot go from % to %', OLD.id, OLD.status, NEW.status
            USING ERRCODE = 'check_violation', CONSTRAINT = 'batch_step_order';
    END IF;
    IF NEW.status = 'returned' AND NOT holds_approval_step(NEW.returned_by, NEW.project_id, NEW.chain_id, OLD.steps_taken + 1) THEN
        RAISE EXCEPTION 'batch %: it is sent back by someone who may take its next step (step %)', OLD.id, OLD.steps_taken + 1
            USING ERRCODE = 'check_violation', CONSTRAINT = 'batch_step_holder';
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

CREATE OR REPLACE TRIGGER payment_batches_step BEFORE UPDATE ON payment_batches
    FOR EACH ROW EXECUTE FUNCTION payment_batches_step();
