-- Procedure step event ids commit in id order, as status and case events do
-- (writers_queue_lock.sql, case_events_queue.sql): every statement that writes step events
-- first takes this transaction-level lock (before its rows draw ids), so the live feed's cursor
-- never passes an id still to commit (two step writers in different projects otherwise could).
-- Key 4242005 (onemap's advisory keys: writers_queue_lock.sql).
CREATE OR REPLACE FUNCTION step_events_queue() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(4242005);
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER step_events_queue BEFORE INSERT ON step_events
    FOR EACH STATEMENT EXECUTE FUNCTION step_events_queue();
