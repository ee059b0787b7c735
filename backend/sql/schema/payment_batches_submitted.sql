-- The submission is the batch's step 0: its submitter takes no other step.
CREATE OR REPLACE FUNCTION payment_batches_submitted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO batch_steps (batch_id, position, user_id, at) VALUES (NEW.id, 0, NEW.submitted_by, NEW.submitted_at);
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER payment_batches_submitted AFTER INSERT ON payment_batches
    FOR EACH ROW EXECUTE FUNCTION payment_batches_submitted();
