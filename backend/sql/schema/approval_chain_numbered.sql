-- At commit: a chain has steps numbered 1 to n (the batch after step k takes step k + 1).
CREATE OR REPLACE FUNCTION approval_chain_numbered() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    chain bigint;
BEGIN
    -- (two statements: a record has only its own table's fields)
    IF TG_TABLE_NAME = 'approval_chains' THEN
        chain := NEW.id;
    ELSE
        chain := NEW.chain_id;
    END IF;
    IF (SELECT count(*) = 0 OR count(*) <> max(position) FROM approval_steps WHERE chain_id = chain) THEN
        RAISE EXCEPTION 'approval chain %: its steps are numbered 1 to n, at least one', chain
            USING ERRCODE = 'check_violation', CONSTRAINT = 'approval_chain_numbered';
    END IF;
    RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS approval_chains_numbered ON approval_chains;
CREATE CONSTRAINT TRIGGER approval_chains_numbered AFTER INSERT ON approval_chains
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION approval_chain_numbered();
DROP TRIGGER IF EXISTS approval_steps_numbered ON approval_steps;
CREATE CONSTRAINT TRIGGER approval_steps_numbered AFTER INSERT ON approval_steps
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION approval_chain_numbered();
