-- status_events: the append-only source of truth for history. A status change is written by
-- inserting its event; a trigger applies it to the household or parcel in the same
-- transaction, so current state is by construction the replay of the events (the triggers:
-- backend/sql/schema/status_events_*.sql, households_guard_status.sql, parcels_guard_status.sql).

-- The one-step rule below ranks statuses; the CHECK needs the function now.
-- schema: status_rank.sql

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
