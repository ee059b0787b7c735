-- Wake every onemap instance once per statement that records procedure step changes; the
-- listeners read the step events from the table themselves (as for status_events_notify).
CREATE OR REPLACE FUNCTION step_events_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('onemap_procedure', '');
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER step_events_notify AFTER INSERT ON step_events
    FOR EACH STATEMENT EXECUTE FUNCTION step_events_notify();
