-- A batch starts submitted, empty, by a named user, on the chain in force.
CREATE OR REPLACE FUNCTION payment_batches_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status <> 'submitted' OR NEW.yuan <> 0 OR NEW.payments <> 0 OR NEW.submitted_by IS NULL OR NEW.steps_taken <> 0
       OR num_nonnulls(NEW.paid_at, NEW.paid_by, NEW.returned_at, NEW.returned_by, NEW.return_reason) > 0 THEN
        RAISE EXCEPTION 'a batch starts submitted, empty, by a named user'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'batch_starts_submitted';
    END IF;
    IF NEW.chain_id IS NULL THEN
        NEW.chain_id := approval_chain_in_force(NEW.project_id);
    ELSIF NEW.chain_id IS DISTINCT FROM approval_chain_in_force(NEW.project_id) THEN
        RAISE EXCEPTION 'a batch follows the approval chain in force for its project (%), not %',
                        approval_chain_in_force(NEW.project_id), NEW.chain_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'batch_chain_in_force';
    END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE TRIGGER payment_batches_insert BEFORE INSERT ON payment_batches
    FOR EACH ROW EXECUTE FUNCTION payment_batches_insert();
