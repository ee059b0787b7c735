-- Users, sessions, optimistic-concurrency versions and the live-feed notification.

CREATE TYPE user_role AS ENUM ('admin', 'operator', 'viewer');

CREATE TABLE users (
    id            integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username      text NOT NULL UNIQUE CHECK (username ~ '^[A-Za-z0-9_.-]{2,40}$'),
    -- argon2id PHC string; '!' for accounts that cannot log in with a password (kiosk)
    password_hash text NOT NULL,
    role          user_role NOT NULL,
    -- an operator writes only inside this region's subtree
    region_id     integer REFERENCES regions (id),
    created_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT operator_has_region CHECK (role <> 'operator' OR region_id IS NOT NULL)
);

CREATE TABLE sessions (
    -- SHA-256 of the bearer token: a stolen table does not log anyone in
    token_hash bytea PRIMARY KEY,
    user_id    integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Every status change bumps its subject's version: a write names the version it saw.
ALTER TABLE households ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE parcels ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE buildings ADD COLUMN version integer NOT NULL DEFAULT 1;

-- Who wrote the event (NULL for generated history), and the subject's version after it.
ALTER TABLE status_events ADD COLUMN user_id integer REFERENCES users (id);
ALTER TABLE status_events ADD COLUMN version integer;

-- The event is applied BEFORE it is stored, so it can record the version it produced. Event
-- ids are taken under a transaction-level advisory lock: writers commit in id order, and a
-- feed that resumes after the last id it saw can never skip an event that committed late.
DROP TRIGGER status_events_apply ON status_events;
DROP FUNCTION status_events_apply();
CREATE FUNCTION status_events_apply() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF num_nonnulls(NEW.household_id, NEW.parcel_id) <> 1
       OR (NEW.household_id IS NOT NULL AND NOT (NEW.from_status = ANY (enum_range(NULL::progress_status)::text[])
                                               AND NEW.to_status = ANY (enum_range(NULL::progress_status)::text[])))
       OR (NEW.parcel_id IS NOT NULL AND NOT (NEW.from_status = ANY (enum_range(NULL::land_status)::text[])
                                            AND NEW.to_status = ANY (enum_range(NULL::land_status)::text[]))) THEN
        -- not applicable: the table's CHECK constraints refuse the row and name the rule
        RETURN NEW;
    END IF;
    PERFORM pg_advisory_xact_lock(4242001);
    NEW.id := nextval(pg_get_serial_sequence('status_events', 'id'));
    IF NEW.household_id IS NOT NULL THEN
        UPDATE households SET status = NEW.to_status::progress_status, status_at = NEW.at, version = version + 1
         WHERE id = NEW.household_id AND status = NEW.from_status::progress_status
        RETURNING version INTO NEW.version;
    ELSE
        UPDATE parcels SET land_status = NEW.to_status::land_status, version = version + 1
         WHERE id = NEW.parcel_id AND land_status = NEW.from_status::land_status
        RETURNING version INTO NEW.version;
    END IF;
    IF NEW.version IS NULL THEN
        RAISE EXCEPTION '% % is not in status %',
            CASE WHEN NEW.household_id IS NOT NULL THEN 'household' ELSE 'parcel' END,
            coalesce(NEW.household_id, NEW.parcel_id), NEW.from_status
            USING ERRCODE = 'check_violation', CONSTRAINT = 'status_event_from_current';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER status_events_apply BEFORE INSERT ON status_events
    FOR EACH ROW EXECUTE FUNCTION status_events_apply();

-- Wake every onemap instance once per writing statement; NOTIFY is delivered at commit, and
-- listeners read the events themselves from the table, so a lost notification loses nothing.
CREATE FUNCTION status_events_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('onemap_status', '');
    RETURN NULL;
END
$$;
CREATE TRIGGER status_events_notify AFTER INSERT ON status_events
    FOR EACH STATEMENT EXECUTE FUNCTION status_events_notify();

-- The building's version moves with any change of its households' statuses.
CREATE OR REPLACE FUNCTION households_roll_up() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    b bigint := CASE WHEN TG_OP = 'DELETE' THEN OLD.building_id ELSE NEW.building_id END;
    p bigint;
    was progress_status;
    now_status progress_status;
    o record;
    n record;
BEGIN
    SELECT status, project_id INTO was, p FROM buildings WHERE id = b FOR UPDATE;
    UPDATE buildings SET (status, households) =
        (SELECT coalesce(min(status), 'pending'), count(*) FROM households WHERE building_id = b),
        version = version + 1
     WHERE id = b RETURNING status INTO now_status;
    SELECT * INTO o FROM household_stages(CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE OLD END);
    SELECT * INTO n FROM household_stages(CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE NEW END);
    PERFORM bump_figures(p,
        d_households => n.n - o.n, d_surveyed => n.surveyed - o.surveyed,
        d_signed => n.signed - o.signed, d_vacated => n.vacated - o.vacated,
        d_demolished => n.demolished - o.demolished, d_monetary => n.monetary - o.monetary,
        d_difficult => n.difficult - o.difficult,
        d_buildings_demolished => (now_status = 'demolished')::integer - (was = 'demolished')::integer);
    RETURN NULL;
END
$$;
