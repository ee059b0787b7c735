-- A chain is fixed once made: its steps come with it, in the transaction that creates it.
CREATE OR REPLACE FUNCTION approval_steps_with_chain() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM approval_chains WHERE id = NEW.chain_id AND xmin = pg_current_xact_id()::xid) THEN
        RAISE EXCEPTION 'approval chain %: steps are set when the chain is made; a change makes a new version', NEW.chain_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'approval_chain_fixed';
    END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE TRIGGER approval_steps_with_chain BEFORE INSERT ON approval_steps
    FOR EACH ROW EXECUTE FUNCTION approval_steps_with_chain();
