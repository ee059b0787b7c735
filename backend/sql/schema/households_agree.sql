-- Signing makes the agreement (again, after a voiding send-back) from that day's compensation,
-- with the swap money of a selection already settled.
CREATE OR REPLACE FUNCTION households_agree() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    signed timestamptz := coalesce(NEW.status_at, now());
    day date := (coalesce(NEW.status_at, now()) AT TIME ZONE 'Asia/Shanghai')::date;
BEGIN
    INSERT INTO agreements AS a (household_id, project_id, yuan, signed_at, use, legality, recorded_area, rate_yuan_per_m2, house_yuan, relocation_yuan, transition_yuan, transition_yuan_per_m2_month, transition_months, incentive_yuan, incentive_until, computed_yuan)
    SELECT NEW.id, b.project_id, c.total_yuan, signed, c.use, c.legality, c.recorded_area, c.rate_yuan_per_m2, c.house_yuan, c.relocation_yuan, c.transition_yuan, c.transition_yuan_per_m2_month, c.transition_months, c.incentive_yuan, c.incentive_until, c.computed_yuan
      FROM buildings b, compensation(NEW.id, day) c
     WHERE b.id = NEW.building_id
    ON CONFLICT (household_id) DO UPDATE
       SET (yuan, signed_at, voided_at, use, legality, recorded_area, rate_yuan_per_m2, house_yuan, relocation_yuan, transition_yuan, transition_yuan_per_m2_month, transition_months, incentive_yuan, incentive_until, computed_yuan) = (EXCLUDED.yuan, EXCLUDED.signed_at, NULL, EXCLUDED.use, EXCLUDED.legality, EXCLUDED.recorded_area, EXCLUDED.rate_yuan_per_m2, EXCLUDED.house_yuan, EXCLUDED.relocation_yuan, EXCLUDED.transition_yuan, EXCLUDED.transition_yuan_per_m2_month, EXCLUDED.transition_months, EXCLUDED.incentive_yuan, EXCLUDED.incentive_until, EXCLUDED.computed_yuan)
     WHERE a.voided_at IS NOT NULL;
    -- signed again after a send-back with its flat still chosen (选房): the settled swap money
    -- is added to the new sum again, as swap_settlements_reagree did the first time
    UPDATE agreements a SET yuan = greatest(0, a.yuan + a.swap_yuan), owed_yuan = greatest(0, -(a.yuan + a.swap_yuan))
     WHERE a.household_id = NEW.id AND a.swap_yuan <> 0 AND a.signed_at = signed AND a.voided_at IS NULL;
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER households_agree AFTER UPDATE OF status ON households
    FOR EACH ROW WHEN (OLD.status < 'signed' AND NEW.status >= 'signed') EXECUTE FUNCTION households_agree();
