-- status_events: the append-only source of truth for history. A status change is written by
-- inserting its event; a trigger applies it to the household or parcel in the same
-- transaction, so current state is by construction the replay of the events.

-- Rank of a status within its own scale; 'pending' is 0 on both scales.
CREATE FUNCTION status_rank(status text) RETURNS integer
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT CASE status
        WHEN 'pending' THEN 0 WHEN 'surveyed' THEN 1 WHEN 'signed' THEN 2
        WHEN 'vacated' THEN 3 WHEN 'demolished' THEN 4
        WHEN 'acquired' THEN 1 WHEN 'cleared' THEN 2 WHEN 'delivered' THEN 3
    END
$$;

CREATE TABLE status_events (
    -- also the live feed's event id: clients resume from it with Last-Event-ID
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    household_id bigint REFERENCES households (id),
    parcel_id    bigint REFERENCES parcels (id),
    from_status  text NOT NULL,
    to_status    text NOT NULL,
    actor        text NOT NULL CHECK (actor <> ''),
    reason       text,
    at           timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT status_event_one_subject CHECK (num_nonnulls(household_id, parcel_id) = 1),
    CONSTRAINT status_event_known_status CHECK (
        (household_id IS NOT NULL
            AND from_status IN ('pending', 'surveyed', 'signed', 'vacated', 'demolished')
            AND to_status IN ('pending', 'surveyed', 'signed', 'vacated', 'demolished'))
        OR (parcel_id IS NOT NULL
            AND from_status IN ('pending', 'acquired', 'cleared', 'delivered')
            AND to_status IN ('pending', 'acquired', 'cleared', 'delivered'))),
    CONSTRAINT status_event_changes_status CHECK (from_status <> to_status),
    -- forward one step at a time; anything else (back, or a skip) must say why
    CONSTRAINT status_event_one_step_or_reason CHECK (
        status_rank(to_status) - status_rank(from_status) = 1
        OR coalesce(btrim(reason), '') <> '')
);
CREATE INDEX status_events_household ON status_events (household_id, id) WHERE household_id IS NOT NULL;
CREATE INDEX status_events_parcel ON status_events (parcel_id, id) WHERE parcel_id IS NOT NULL;
CREATE INDEX status_events_at ON status_events (at);

CREATE FUNCTION status_events_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'status_events is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege', CONSTRAINT = 'status_events_append_only';
END
$$;
CREATE TRIGGER status_events_append_only BEFORE UPDATE OR DELETE ON status_events
    FOR EACH ROW EXECUTE FUNCTION status_events_refuse_change();
CREATE TRIGGER status_events_no_truncate BEFORE TRUNCATE ON status_events
    FOR EACH STATEMENT EXECUTE FUNCTION status_events_refuse_change();

-- Apply an event to its subject; the subject must be in the event's from_status.
CREATE FUNCTION status_events_apply() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.household_id IS NOT NULL THEN
        UPDATE households SET status = NEW.to_status::progress_status, status_at = NEW.at
         WHERE id = NEW.household_id AND status = NEW.from_status::progress_status;
    ELSE
        UPDATE parcels SET land_status = NEW.to_status::land_status
         WHERE id = NEW.parcel_id AND land_status = NEW.from_status::land_status;
    END IF;
    IF NOT FOUND THEN
        RAISE EXCEPTION '% % is not in status %',
            CASE WHEN NEW.household_id IS NOT NULL THEN 'household' ELSE 'parcel' END,
            coalesce(NEW.household_id, NEW.parcel_id), NEW.from_status
            USING ERRCODE = 'check_violation', CONSTRAINT = 'status_event_from_current';
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER status_events_apply AFTER INSERT ON status_events
    FOR EACH ROW EXECUTE FUNCTION status_events_apply();

-- Status columns change only through an event (trigger depth 2: event insert -> this update),
-- and the rules that span rows hold: a household is demolished only when every household of
-- its building has vacated; a parcel is acquired only when its buildings are signed and
-- cleared only when they are demolished.
CREATE FUNCTION households_guard_status() RETURNS trigger
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
CREATE TRIGGER households_guard_status BEFORE UPDATE OF status ON households
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION households_guard_status();

CREATE FUNCTION parcels_guard_status() RETURNS trigger
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
CREATE TRIGGER parcels_guard_status BEFORE UPDATE OF land_status ON parcels
    FOR EACH ROW WHEN (OLD.land_status IS DISTINCT FROM NEW.land_status)
    EXECUTE FUNCTION parcels_guard_status();
