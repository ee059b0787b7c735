-- Status columns change only through an event (trigger depth 2: event insert -> this update),
-- and the rules that span rows hold: a household is demolished only when every household of
-- its building has vacated (a parcel's rules: parcels_guard_status.sql).
CREATE OR REPLACE FUNCTION households_guard_status() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF pg_trigger_depth() < 2 THEN
        RAISE EXCEPTION 'household % status changes only by inserting a status_event', OLD.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'status_change_through_event';
    END IF;
    IF NEW.status = 'demolished' AND EXISTS (
        SELECT 1 FROM households h
         WHERE h.building_id = NEW.building_id AND h.id <> NEW.id AND h.status < 'vacated') THEN
        RAISE EXCEPTION 'household % cannot be demolished: building % has households not yet vacated',
            NEW.id, NEW.building_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'building_demolished_after_all_vacated';
    END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE TRIGGER households_guard_status BEFORE UPDATE OF status ON households
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION households_guard_status();
