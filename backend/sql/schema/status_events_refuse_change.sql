-- status_events is append-only: updates, deletes and truncation are refused.
CREATE OR REPLACE FUNCTION status_events_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'status_events is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege', CONSTRAINT = 'status_events_append_only';
END
$$;

CREATE OR REPLACE TRIGGER status_events_append_only BEFORE UPDATE OR DELETE ON status_events
    FOR EACH ROW EXECUTE FUNCTION status_events_refuse_change();
CREATE OR REPLACE TRIGGER status_events_no_truncate BEFORE TRUNCATE ON status_events
    FOR EACH STATEMENT EXECUTE FUNCTION status_events_refuse_change();
