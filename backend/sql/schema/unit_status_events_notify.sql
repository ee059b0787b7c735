-- Wake every onemap instance once per statement that records unit status changes; listeners
-- read them from the table (SSE `unit`, the 楼盘表's live feed).
CREATE OR REPLACE FUNCTION unit_status_events_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('onemap_units', '');
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER unit_status_events_notify AFTER INSERT ON unit_status_events
    FOR EACH STATEMENT EXECUTE FUNCTION unit_status_events_notify();
