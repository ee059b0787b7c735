-- Least privilege: the service's database roles and their grants, a public role that cannot
-- read personal columns at all, a planner role for people, and the tables behind login
-- throttling and session expiry.
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

-- Masked holders of published projects' households: all the public role sees of a person.
CREATE VIEW public_holders AS
SELECT h.id, mask_name(h.holder_name) AS holder, mask_id_number(h.holder_id_number) AS id_number
  FROM households h JOIN buildings b ON b.id = h.building_id JOIN projects p ON p.id = b.project_id
 WHERE p.published;
GRANT SELECT ON public_holders TO onemap_public;

-- A resident names themselves: the households of published projects held by exactly this name
-- and ID number (and code, when given). Runs as its owner; answers ids, never names.
CREATE FUNCTION public_households_of(holder text, id_number text, household_code text DEFAULT NULL)
RETURNS SETOF bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT h.id FROM households h JOIN buildings b ON b.id = h.building_id JOIN projects p ON p.id = b.project_id
     WHERE h.holder_id_number = id_number AND h.holder_name = holder AND p.published
       AND (household_code IS NULL OR h.code = household_code)
$$;
REVOKE EXECUTE ON FUNCTION public_households_of(text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public_households_of(text, text, text) TO onemap_public, onemap_app;

-- A published household's compensation as the resident sees it (no override details, which
-- name staff). Runs as its owner.
CREATE FUNCTION public_compensation(h_id bigint, today date) RETURNS jsonb
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT compensation_detail(h.id, today)::jsonb - 'override'
      FROM households h JOIN buildings b ON b.id = h.building_id JOIN projects p ON p.id = b.project_id
     WHERE h.id = h_id AND p.published
$$;
REVOKE EXECUTE ON FUNCTION public_compensation(bigint, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public_compensation(bigint, date) TO onemap_public, onemap_app;

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

-- Revoking sessions wakes every instance, which forget what they remembered of them.
CREATE FUNCTION sessions_revoked_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('onemap_sessions', '');
    RETURN NULL;
END
$$;
CREATE TRIGGER sessions_revoked_notify AFTER DELETE ON sessions
    FOR EACH STATEMENT EXECUTE FUNCTION sessions_revoked_notify();
