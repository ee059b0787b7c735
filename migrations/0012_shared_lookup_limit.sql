-- Residents' look-ups counted in the database, not in each instance's memory: every instance
-- behind a load balancer shares one window per client, and a restart forgets nothing.
CREATE TABLE resident_lookups (
    client inet NOT NULL,
    at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX resident_lookups_client ON resident_lookups (client, at);
