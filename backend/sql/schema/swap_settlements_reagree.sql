-- A selection's swap money (差价结算) moves the agreed sum: agreed = max(0, computed or override
-- + swap); what the household owes beyond that is kept apart. The agreement's CHECK still refuses
-- a sum below what is already committed to its payments.
CREATE OR REPLACE FUNCTION swap_settlements_reagree() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE agreements a
       SET swap_yuan = NEW.swap_yuan,
           yuan = greatest(0, coalesce((SELECT o.yuan FROM compensation_overrides o WHERE o.household_id = a.household_id), a.computed_yuan)
                              + NEW.swap_yuan),
           owed_yuan = greatest(0, -(coalesce((SELECT o.yuan FROM compensation_overrides o WHERE o.household_id = a.household_id), a.computed_yuan)
                                     + NEW.swap_yuan))
     WHERE a.household_id = NEW.household_id AND a.voided_at IS NULL;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'household % has no signed agreement to settle a selection on', NEW.household_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'swap_settlement_needs_agreement';
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER swap_settlements_reagree AFTER INSERT ON swap_settlements
    FOR EACH ROW EXECUTE FUNCTION swap_settlements_reagree();
