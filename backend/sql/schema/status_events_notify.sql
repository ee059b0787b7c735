-- Wake every onemap instance once per writing statement; NOTIFY is delivered at commit, and
-- listeners read the events themselves from the table, so a lost notification loses nothing.
CREATE OR REPLACE FUNCTION status_events_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('onemap_status', '');
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER status_events_notify AFTER INSERT ON status_events
    FOR EACH STATEMENT EXECUTE FUNCTION status_events_notify();
