-- Going back before signing voids the agreement; with money committed it is refused.
CREATE OR REPLACE FUNCTION households_unagree() RETURNS trigger
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

CREATE OR REPLACE TRIGGER households_unagree AFTER UPDATE OF status ON households
    FOR EACH ROW WHEN (OLD.status >= 'signed' AND NEW.status < 'signed') EXECUTE FUNCTION households_unagree();
