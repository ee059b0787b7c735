-- Wake every onemap instance once per statement that writes case events (opened, conference,
-- escalated, reassigned, closed); listeners read them from the table (SSE `case`).
CREATE OR REPLACE FUNCTION case_events_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('onemap_case', '');
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER case_events_notify AFTER INSERT ON case_events
    FOR EACH STATEMENT EXECUTE FUNCTION case_events_notify();
