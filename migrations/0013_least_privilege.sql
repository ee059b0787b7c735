-- Least privilege: the service's database roles and their grants, a public role that cannot
-- read personal columns at all, a planner role for people, and the tables behind login
-- throttling and session expiry. The masked view and the functions that run as their owner,
-- with their grants: backend/sql/schema/public_holders.sql, public_households_of.sql,
-- public_compensation.sql.
ALTER TYPE user_role ADD VALUE IF NOT EXISTS 'planner' AFTER 'operator';

-- Roles are cluster-wide; scripts/run creates them with passwords before migrating. Created
-- here (NOLOGIN) only where they are missing, as in test databases; tests migrate in parallel,
-- so a concurrent creation is not an error.
DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['onemap_app', 'onemap_public'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I NOLOGIN', r);
            EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
            END;
        END IF;
    END LOOP;
END
$$;

-- Nobody but the owner creates objects; the service only reads and writes rows.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO onemap_app, onemap_public;

-- onemap_app: the service. Rows of every table (the triggers keep the rules), no TRUNCATE,
-- no DDL, no superuser functions; the same for tables later migrations create.
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO onemap_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO onemap_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO onemap_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO onemap_app;
-- the service checks that the schema is current; only `onemap migrate` (the owner) changes it
REVOKE INSERT, UPDATE, DELETE ON _sqlx_migrations FROM onemap_app;
REVOKE INSERT, UPDATE, DELETE ON spatial_ref_sys FROM onemap_app;

-- onemap_public: the residents' pages. What is public, and households without the holder's
-- name and ID number: those reach it only masked, through a view that runs as its owner.
GRANT SELECT ON regions, projects, project_figures, buildings, disclosures, agreements, payments, payment_batches,
                compensation_standards, compensation_rates, compensation_incentives, compensation_overrides
   TO onemap_public;
GRANT SELECT (id, code, building_id, members, recorded_area, status, status_at, resettlement, difficult, version)
   ON households TO onemap_public;
GRANT SELECT, INSERT ON objections TO onemap_public;
GRANT SELECT, INSERT, DELETE ON resident_lookups TO onemap_public;
GRANT INSERT ON audit_log TO onemap_public;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO onemap_public;

-- Login throttling, shared by every instance: one row per failed try, by account and by
-- client address; a window of them locks out (see backend/src/auth/throttle.rs).
CREATE TABLE login_failures (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at       timestamptz NOT NULL DEFAULT now(),
    username text NOT NULL,
    client   inet
);
CREATE INDEX login_failures_username ON login_failures (username, at);
CREATE INDEX login_failures_client ON login_failures (client, at);

-- An account locked after too many failures stays locked until this time, or an admin unlocks it.
ALTER TABLE users ADD COLUMN locked_until timestamptz;
-- Sessions end after idle time as well as at their absolute expiry; the kiosk's are marked.
ALTER TABLE sessions ADD COLUMN last_seen_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE sessions ADD COLUMN kiosk boolean NOT NULL DEFAULT false;

-- Kiosk tokens: revocable and rotatable from the CLI, stored as SHA-256 like sessions.
CREATE TABLE kiosk_tokens (
    id         integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash bytea NOT NULL UNIQUE,
    label      text NOT NULL CHECK (label ~ '^[A-Za-z0-9_.-]{1,40}$'),
    created_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz
);
-- A revoked kiosk token ends the sessions it opened.
ALTER TABLE sessions ADD COLUMN kiosk_token_id integer REFERENCES kiosk_tokens (id) ON DELETE CASCADE;
