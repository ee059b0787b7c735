-- An override sets the agreed sum; removing it restores the sum signed. A selection's swap money
-- (swap_settlements_reagree.sql) stays added to either.
CREATE OR REPLACE FUNCTION overrides_reagree() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    h bigint := CASE WHEN TG_OP = 'DELETE' THEN OLD.household_id ELSE NEW.household_id END;
    base numeric := (SELECT yuan FROM compensation_overrides o WHERE o.household_id = h);
BEGIN
    UPDATE agreements a SET yuan = greatest(0, coalesce(base, a.computed_yuan) + a.swap_yuan),
                            owed_yuan = greatest(0, -(coalesce(base, a.computed_yuan) + a.swap_yuan))
     WHERE a.household_id = h AND a.voided_at IS NULL;
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER overrides_reagree AFTER INSERT OR UPDATE OR DELETE ON compensation_overrides
    FOR EACH ROW EXECUTE FUNCTION overrides_reagree();
