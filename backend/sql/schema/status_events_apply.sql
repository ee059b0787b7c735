-- Applies an event to its subject, which must be in the event's from_status, BEFORE the event
-- is stored, so it records the version it produced; and adds the event to its project's day.
-- Event ids are taken under the writers' lock (writers_queue_lock()): writers commit in id
-- order, and a feed that resumes after the last id it saw can never skip an event that
-- committed late. An insert may carry in `version` the version the writer saw: the event then
-- applies only to a subject still at it (status::one_statement writes without locking first);
-- either way `version` is then overwritten with the version the event produced. The moment the
-- transaction joined the writers' queue is kept in `onemap.queue_joined_at` (epoch seconds):
-- the writer measures how long it held the queue.
CREATE OR REPLACE FUNCTION status_events_apply() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    seen integer := NEW.version;
BEGIN
    IF num_nonnulls(NEW.household_id, NEW.parcel_id) <> 1
       OR (NEW.household_id IS NOT NULL AND NOT (NEW.from_status = ANY (enum_range(NULL::progress_status)::text[])
                                               AND NEW.to_status = ANY (enum_range(NULL::progress_status)::text[])))
       OR (NEW.parcel_id IS NOT NULL AND NOT (NEW.from_status = ANY (enum_range(NULL::land_status)::text[])
                                            AND NEW.to_status = ANY (enum_range(NULL::land_status)::text[]))) THEN
        -- not applicable: the table's CHECK constraints refuse the row and name the rule
        RETURN NEW;
    END IF;
    PERFORM pg_advisory_xact_lock(writers_queue_lock());
    IF coalesce(current_setting('onemap.queue_joined_at', true), '') = '' THEN
        PERFORM set_config('onemap.queue_joined_at', extract(epoch FROM clock_timestamp())::text, true);
    END IF;
    NEW.id := nextval(pg_get_serial_sequence('status_events', 'id'));
    IF NEW.household_id IS NOT NULL THEN
        UPDATE households SET status = NEW.to_status::progress_status, status_at = NEW.at, version = version + 1
         WHERE id = NEW.household_id AND status = NEW.from_status::progress_status AND (seen IS NULL OR version = seen)
        RETURNING version INTO NEW.version;
    ELSE
        UPDATE parcels SET land_status = NEW.to_status::land_status, version = version + 1
         WHERE id = NEW.parcel_id AND land_status = NEW.from_status::land_status AND (seen IS NULL OR version = seen)
        RETURNING version INTO NEW.version;
    END IF;
    IF NEW.version IS NULL THEN
        RAISE EXCEPTION '% % is not in status %',
            CASE WHEN NEW.household_id IS NOT NULL THEN 'household' ELSE 'parcel' END,
            coalesce(NEW.household_id, NEW.parcel_id),
            NEW.from_status || CASE WHEN seen IS NULL THEN '' ELSE format(' at version %s', seen) END
            USING ERRCODE = 'check_violation', CONSTRAINT = 'status_event_from_current';
    END IF;
    PERFORM bump_daily_figures(NEW);
    RETURN NEW;
END
$$;

CREATE OR REPLACE TRIGGER status_events_apply BEFORE INSERT ON status_events
    FOR EACH ROW EXECUTE FUNCTION status_events_apply();
