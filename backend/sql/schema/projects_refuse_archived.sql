-- An archived project is read-only: every write to its rows (households, statuses, money,
-- procedure, documents) is refused with the rule `project_archived`, answered 409 wherever it
-- comes from. One primary-key look-up per written row; the archive import restores with
-- session_replication_role = replica, where these triggers are paused.
CREATE OR REPLACE FUNCTION projects_refuse_archived() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    project bigint;
    code text;
BEGIN
    -- by table: each branch reads only the columns its table has
    IF TG_OP = 'DELETE' THEN
        NEW := OLD;
    END IF;
    IF TG_TABLE_NAME = 'households' THEN
        SELECT b.project_id INTO project FROM buildings b WHERE b.id = NEW.building_id;
    ELSIF TG_TABLE_NAME IN ('attachments', 'compensation_overrides', 'compensation_decisions') THEN
        SELECT b.project_id INTO project FROM households h JOIN buildings b ON b.id = h.building_id
         WHERE h.id = NEW.household_id;
    ELSIF TG_TABLE_NAME = 'status_events' THEN
        SELECT b.project_id INTO project FROM households h JOIN buildings b ON b.id = h.building_id
         WHERE h.id = NEW.household_id;
        IF project IS NULL THEN
            SELECT p.project_id INTO project FROM parcels p WHERE p.id = NEW.parcel_id;
        END IF;
    ELSIF TG_TABLE_NAME IN ('payments', 'batch_steps') THEN
        SELECT pb.project_id INTO project FROM payment_batches pb WHERE pb.id = NEW.batch_id;
    ELSE
        project := NEW.project_id;
    END IF;
    SELECT p.code INTO code FROM projects p WHERE p.id = project AND p.archived_at IS NOT NULL;
    IF FOUND THEN
        RAISE EXCEPTION 'project % is archived: its data is read-only (% refused)', code, TG_TABLE_NAME
            USING ERRCODE = 'check_violation', CONSTRAINT = 'project_archived',
                  DETAIL = json_build_object('project', code)::text;
    END IF;
    RETURN NEW;
END
$$;

-- the project row itself: nothing changes once archived (not even publishing)
CREATE OR REPLACE FUNCTION projects_refuse_archived_row() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.archived_at IS NOT NULL THEN
        RAISE EXCEPTION 'project % is archived: its data is read-only (projects refused)', OLD.code
            USING ERRCODE = 'check_violation', CONSTRAINT = 'project_archived',
                  DETAIL = json_build_object('project', OLD.code)::text;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE TRIGGER projects_refuse_archived BEFORE UPDATE OR DELETE ON projects
    FOR EACH ROW EXECUTE FUNCTION projects_refuse_archived_row();

-- every table holding a project's rows
CREATE OR REPLACE TRIGGER households_refuse_archived BEFORE INSERT OR UPDATE OR DELETE ON households
    FOR EACH ROW EXECUTE FUNCTION projects_refuse_archived();
CREATE OR REPLACE TRIGGER buildings_refuse_archived BEFORE INSERT OR UPDATE OR DELETE ON buildings
    FOR EACH ROW EXECUTE FUNCTION projects_refuse_archived();
CREATE OR REPLACE TRIGGER parcels_refuse_archived BEFORE INSERT OR UPDATE OR DELETE ON parcels
    FOR EACH ROW EXECUTE FUNCTION projects_refuse_archived();
CREATE OR REPLACE TRIGGER attachments_refuse_archived BEFORE INSERT OR UPDATE OR DELETE ON attachments
    FOR EACH ROW EXECUTE FUNCTION projects_refuse_archived();
CREATE OR REPLACE TRIGGER compensation_overrides_refuse_archived BEFORE INSERT OR UPDATE OR DELETE ON compensation_overrides
    FOR EACH ROW EXECUTE FUNCTION projects_refuse_archived();
CREATE OR REPLACE TRIGGER compensation_standards_refuse_archived BEFORE INSERT OR UPDATE OR DELETE ON compensation_standards
    FOR EACH ROW EXECUTE FUNCTION projects_refuse_archived();
CREATE OR REPLACE TRIGGER compensation_rates_refuse_archived BEFORE INSERT OR UPDATE OR DELETE ON compensation_rates
    FOR EACH ROW EXECUTE FUNCTION projects_refuse_archived();
CREATE OR REPLACE TRIGGER compensation_incentives_refuse_archived BEFORE INSERT OR UPDATE OR DELETE ON compensation_incentives
    FOR EACH ROW EXECUTE FUNCTION projects_refuse_archived();
CREATE OR REPLACE TRIGGER status_events_refuse_archived BEFORE INSERT OR UPDATE OR DELETE ON status_events
    FOR EACH ROW EXECUTE FUNCTION projects_refuse_archived();
CREATE OR REPLACE TRIGGER agreements_refuse_archived BEFORE INSERT OR UPDATE OR DELETE ON agreements
    FOR EACH ROW EXECUTE FUNCTION projects_refuse_archived();
CREATE OR REPLACE TRIGGER fund_allocations_refuse_archived BEFORE INSERT OR UPDATE OR DELETE ON fund_allocations
    FOR EACH ROW EXECUTE FUNCTION projects_refuse_archived();
CREATE OR REPLACE TRIGGER payment_batches_refuse_archived BEFORE INSERT OR UPDATE OR DELETE ON payment_batches
    FOR EACH ROW EXECUTE FUNCTION projects_refuse_archived();
CREATE OR REPLACE TRIGGER payments_refuse_archived BEFORE INSERT OR UPDATE OR DELETE ON payments
    FOR EACH ROW EXECUTE FUNCTION projects_refuse_archived();
CREATE OR REPLACE TRIGGER batch_steps_refuse_archived BEFORE INSERT OR UPDATE OR DELETE ON batch_steps
    FOR EACH ROW EXECUTE FUNCTION projects_refuse_archived();
CREATE OR REPLACE TRIGGER project_steps_refuse_archived BEFORE INSERT OR UPDATE OR DELETE ON project_steps
    FOR EACH ROW EXECUTE FUNCTION projects_refuse_archived();
CREATE OR REPLACE TRIGGER step_events_refuse_archived BEFORE INSERT OR UPDATE OR DELETE ON step_events
    FOR EACH ROW EXECUTE FUNCTION projects_refuse_archived();
CREATE OR REPLACE TRIGGER step_documents_refuse_archived BEFORE INSERT OR UPDATE OR DELETE ON step_documents
    FOR EACH ROW EXECUTE FUNCTION projects_refuse_archived();
CREATE OR REPLACE TRIGGER compensation_decisions_refuse_archived BEFORE INSERT OR UPDATE OR DELETE ON compensation_decisions
    FOR EACH ROW EXECUTE FUNCTION projects_refuse_archived();
CREATE OR REPLACE TRIGGER gate_overrides_refuse_archived BEFORE INSERT OR UPDATE OR DELETE ON gate_overrides
    FOR EACH ROW EXECUTE FUNCTION projects_refuse_archived();
CREATE OR REPLACE TRIGGER disclosures_refuse_archived BEFORE INSERT OR UPDATE OR DELETE ON disclosures
    FOR EACH ROW EXECUTE FUNCTION projects_refuse_archived();
