-- Agreements signed with a zero sum (no standard yet) are made again once one is saved; at
-- commit, so the rates and incentives saved with it count.
CREATE OR REPLACE FUNCTION standards_reagree_zero() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE agreements a SET (yuan, use, legality, recorded_area, rate_yuan_per_m2, house_yuan, relocation_yuan, transition_yuan, transition_yuan_per_m2_month, transition_months, incentive_yuan, incentive_until, computed_yuan) =
           (SELECT c.total_yuan, c.use, c.legality, c.recorded_area, c.rate_yuan_per_m2, c.house_yuan, c.relocation_yuan, c.transition_yuan, c.transition_yuan_per_m2_month, c.transition_months, c.incentive_yuan, c.incentive_until, c.computed_yuan FROM compensation(a.household_id, (a.signed_at AT TIME ZONE 'Asia/Shanghai')::date) c)
     WHERE a.project_id = NEW.project_id AND a.computed_yuan = 0 AND a.committed_yuan = 0 AND a.voided_at IS NULL;
    RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS standards_reagree_zero ON compensation_standards;
CREATE CONSTRAINT TRIGGER standards_reagree_zero AFTER INSERT OR UPDATE ON compensation_standards
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION standards_reagree_zero();
