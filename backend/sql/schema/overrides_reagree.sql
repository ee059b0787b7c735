-- An override sets the agreed sum; removing it restores the sum signed.
CREATE OR REPLACE FUNCTION overrides_reagree() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    h bigint := CASE WHEN TG_OP = 'DELETE' THEN OLD.household_id ELSE NEW.household_id END;
BEGIN
    UPDATE agreements a SET yuan = coalesce((SELECT yuan FROM compensation_overrides o WHERE o.household_id = h), a.computed_yuan)
     WHERE a.household_id = h AND a.voided_at IS NULL;
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER overrides_reagree AFTER INSERT OR UPDATE OR DELETE ON compensation_overrides
    FOR EACH ROW EXECUTE FUNCTION overrides_reagree();
