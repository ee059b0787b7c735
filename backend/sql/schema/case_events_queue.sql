-- Case event ids commit in id order, as status events do (writers_queue_lock.sql): every
-- statement that writes case events first takes this transaction-level lock (before its rows
-- draw ids), so the live feed's cursor never passes an id still to commit. Writers take it
-- after their case row locks. Key 4242004 (onemap's advisory keys: writers_queue_lock.sql).
CREATE OR REPLACE FUNCTION case_events_queue() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(4242004);
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER case_events_queue BEFORE INSERT ON case_events
    FOR EACH STATEMENT EXECUTE FUNCTION case_events_queue();
