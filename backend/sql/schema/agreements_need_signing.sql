-- An agreement is made only for a household that has signed.
CREATE OR REPLACE FUNCTION agreements_need_signing() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM households WHERE id = NEW.household_id AND status >= 'signed') THEN
        RAISE EXCEPTION 'household % has not signed: no agreement', NEW.household_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'agreement_needs_signing';
    END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE TRIGGER agreements_need_signing BEFORE INSERT ON agreements
    FOR EACH ROW EXECUTE FUNCTION agreements_need_signing();
