-- Taking a step: one at a time per batch (the batch's row is locked first, so the checks see
-- every earlier step), in order, by a holder who took no other step of it; the last one pays.
CREATE OR REPLACE FUNCTION batch_steps_take() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    batch payment_batches;
    last_step smallint;
BEGIN
    SELECT * INTO batch FROM payment_batches WHERE id = NEW.batch_id FOR UPDATE;
    IF NOT FOUND THEN
        RETURN NEW; -- the foreign key refuses it
    END IF;
    IF NEW.position = 0 THEN
        IF pg_trigger_depth() < 2 THEN
            RAISE EXCEPTION 'batch %: its submission is recorded when the batch is inserted', NEW.batch_id
                USING ERRCODE = 'check_violation', CONSTRAINT = 'batch_step_order';
        END IF;
        RETURN NEW;
    END IF;
    IF NEW.user_id IS NULL THEN
        RAISE EXCEPTION 'batch %: a step names who took it', NEW.batch_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'batch_steps_signed';
    END IF;
    IF batch.status <> 'submitted' THEN
        RAISE EXCEPTION 'batch % is %: it takes no more steps', batch.id, batch.status
            USING ERRCODE = 'check_violation', CONSTRAINT = 'batch_step_order';
    END IF;
    IF NEW.position <> batch.steps_taken + 1 THEN
        RAISE EXCEPTION 'batch %: step % is next, not step %', batch.id, batch.steps_taken + 1, NEW.position
            USING ERRCODE = 'check_violation', CONSTRAINT = 'batch_step_order';
    END IF;
    IF EXISTS (SELECT 1 FROM batch_steps WHERE batch_id = batch.id AND user_id = NEW.user_id) THEN
        RAISE EXCEPTION 'batch %: user % already took a step of it (submitting counts); one person takes one step', batch.id, NEW.user_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'batch_duties_separate';
    END IF;
    IF NOT holds_approval_step(NEW.user_id, batch.project_id, batch.chain_id, NEW.position) THEN
        RAISE EXCEPTION 'batch %: user % does not hold step % of its chain (its role or office)', batch.id, NEW.user_id, NEW.position
            USING ERRCODE = 'check_violation', CONSTRAINT = 'batch_step_holder';
    END IF;
    NEW.at := now();
    SELECT max(position) INTO last_step FROM approval_steps WHERE chain_id = batch.chain_id;
    UPDATE payment_batches
       SET steps_taken = NEW.position,
           status = CASE WHEN NEW.position = last_step THEN 'paid' ELSE 'submitted' END::batch_status,
           paid_by = CASE WHEN NEW.position = last_step THEN NEW.user_id END,
           paid_at = CASE WHEN NEW.position = last_step THEN NEW.at END
     WHERE id = batch.id;
    RETURN NEW;
END
$$;

CREATE OR REPLACE TRIGGER batch_steps_take BEFORE INSERT ON batch_steps
    FOR EACH ROW EXECUTE FUNCTION batch_steps_take();
