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

-- The event is applied BEFORE it is stored from now on, so it can record the version it
-- produced (backend/sql/schema/status_events_apply.sql). A database that had the AFTER trigger
-- of the first 0003 loses it here; the schema step makes the new one.
DROP TRIGGER IF EXISTS status_events_apply ON status_events;
DROP FUNCTION IF EXISTS status_events_apply();
