-- The one path of every unit status change: whoever updates estate_units.status (the desk's
-- housing::units, the selection day, plain SQL), the change lands in unit_status_events with
-- the household and the acting user (`onemap.actor_id`, set per transaction by the writer),
-- and the live feed (SSE `unit`) and the 楼盘表 follow from there.
CREATE OR REPLACE FUNCTION estate_units_record_status() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO unit_status_events (unit_id, from_status, to_status, household_id, actor_id, at)
    VALUES (NEW.id, OLD.status, NEW.status, coalesce(NEW.household_id, OLD.household_id),
            nullif(current_setting('onemap.actor_id', true), '')::integer, NEW.status_at);
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER estate_units_record_status AFTER UPDATE OF status, household_id ON estate_units
    FOR EACH ROW WHEN (NEW.status IS DISTINCT FROM OLD.status OR NEW.household_id IS DISTINCT FROM OLD.household_id)
    EXECUTE FUNCTION estate_units_record_status();
