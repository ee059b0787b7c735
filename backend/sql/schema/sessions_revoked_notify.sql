-- Revoking sessions wakes every instance, which forget what they remembered of them.
CREATE OR REPLACE FUNCTION sessions_revoked_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('onemap_sessions', '');
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER sessions_revoked_notify AFTER DELETE ON sessions
    FOR EACH STATEMENT EXECUTE FUNCTION sessions_revoked_notify();
