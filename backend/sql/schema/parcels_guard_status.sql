-- A parcel's status changes only through an event, and follows its buildings: acquired only
-- when they are all signed, cleared only when they are all demolished (see
-- households_guard_status.sql for the households' side).
CREATE OR REPLACE FUNCTION parcels_guard_status() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    needed progress_status := CASE
        WHEN NEW.land_status >= 'cleared' THEN 'demolished'
        WHEN NEW.land_status >= 'acquired' THEN 'signed' END;
BEGIN
    IF pg_trigger_depth() < 2 THEN
        RAISE EXCEPTION 'parcel % status changes only by inserting a status_event', OLD.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'status_change_through_event';
    END IF;
    IF needed IS NOT NULL AND EXISTS (
        SELECT 1 FROM buildings b WHERE b.parcel_id = NEW.id AND b.status < needed) THEN
        RAISE EXCEPTION 'parcel % cannot be %: some of its buildings are not yet %',
            NEW.id, NEW.land_status, needed
            USING ERRCODE = 'check_violation', CONSTRAINT = 'parcel_status_follows_buildings';
    END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE TRIGGER parcels_guard_status BEFORE UPDATE OF land_status ON parcels
    FOR EACH ROW WHEN (OLD.land_status IS DISTINCT FROM NEW.land_status)
    EXECUTE FUNCTION parcels_guard_status();
