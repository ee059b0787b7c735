-- Kept sums (agreements, project_funds) move only through the triggers (one level down or
-- deeper), and their rows are never deleted.
CREATE OR REPLACE FUNCTION kept_by_triggers() RETURNS trigger
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

CREATE OR REPLACE TRIGGER agreements_kept_by_triggers BEFORE UPDATE OR DELETE ON agreements
    FOR EACH ROW EXECUTE FUNCTION kept_by_triggers();
CREATE OR REPLACE TRIGGER project_funds_kept_by_triggers BEFORE UPDATE OR DELETE ON project_funds
    FOR EACH ROW EXECUTE FUNCTION kept_by_triggers();
