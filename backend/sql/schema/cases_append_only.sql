-- A case's history is never rewritten: its events, conferences, their files and the status
-- events it led to are append-only (refuse_change.sql).
CREATE OR REPLACE TRIGGER case_events_append_only BEFORE UPDATE OR DELETE ON case_events
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE OR REPLACE TRIGGER case_conferences_append_only BEFORE UPDATE OR DELETE ON case_conferences
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE OR REPLACE TRIGGER case_conference_attachments_append_only BEFORE UPDATE OR DELETE ON case_conference_attachments
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE OR REPLACE TRIGGER case_status_events_append_only BEFORE UPDATE OR DELETE ON case_status_events
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
