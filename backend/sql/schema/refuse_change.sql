-- Rows that must never change once written (audit, money received and paid out, approval
-- chains and steps, procedure templates and step history): updates and deletes are refused, and the tables are never truncated.
CREATE OR REPLACE FUNCTION refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% rows are never changed or deleted', TG_TABLE_NAME
        USING ERRCODE = 'check_violation', CONSTRAINT = TG_TABLE_NAME || '_append_only';
END
$$;

-- Append-only.
CREATE OR REPLACE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE OR REPLACE TRIGGER fund_allocations_append_only BEFORE UPDATE OR DELETE ON fund_allocations
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE OR REPLACE TRIGGER payments_append_only BEFORE UPDATE OR DELETE ON payments
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE OR REPLACE TRIGGER approval_chains_append_only BEFORE UPDATE OR DELETE ON approval_chains
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE OR REPLACE TRIGGER approval_steps_append_only BEFORE UPDATE OR DELETE ON approval_steps
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE OR REPLACE TRIGGER batch_steps_append_only BEFORE UPDATE OR DELETE ON batch_steps
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE OR REPLACE TRIGGER step_events_append_only BEFORE UPDATE OR DELETE ON step_events
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE OR REPLACE TRIGGER procedure_templates_append_only BEFORE UPDATE OR DELETE ON procedure_templates
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE OR REPLACE TRIGGER procedure_template_steps_append_only BEFORE UPDATE OR DELETE ON procedure_template_steps
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
-- History is not truncated either.
CREATE OR REPLACE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE OR REPLACE TRIGGER payments_no_truncate BEFORE TRUNCATE ON payments FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE OR REPLACE TRIGGER payment_batches_no_truncate BEFORE TRUNCATE ON payment_batches FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE OR REPLACE TRIGGER fund_allocations_no_truncate BEFORE TRUNCATE ON fund_allocations FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE OR REPLACE TRIGGER agreements_no_truncate BEFORE TRUNCATE ON agreements FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE OR REPLACE TRIGGER project_funds_no_truncate BEFORE TRUNCATE ON project_funds FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE OR REPLACE TRIGGER approval_chains_no_truncate BEFORE TRUNCATE ON approval_chains FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE OR REPLACE TRIGGER approval_steps_no_truncate BEFORE TRUNCATE ON approval_steps FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE OR REPLACE TRIGGER batch_steps_no_truncate BEFORE TRUNCATE ON batch_steps FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
