-- Keeps households.difficult as "has an open case": set when a case opens, cleared when its
-- household's last open case closes; the figure triggers (households_roll_up) then keep the
-- 疑难户 counts.
CREATE OR REPLACE FUNCTION cases_keep_difficult() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    h bigint := CASE WHEN TG_OP = 'DELETE' THEN OLD.household_id ELSE NEW.household_id END;
BEGIN
    UPDATE households SET difficult = open.any
      FROM (SELECT EXISTS (SELECT 1 FROM cases WHERE household_id = h AND state = 'open') AS any) open
     WHERE id = h AND difficult IS DISTINCT FROM open.any;
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER cases_keep_difficult AFTER INSERT OR DELETE OR UPDATE OF state ON cases
    FOR EACH ROW EXECUTE FUNCTION cases_keep_difficult();
