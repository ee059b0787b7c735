-- gate_overrides is append-only (a revoke is a new row): updates and deletes are refused.
CREATE OR REPLACE TRIGGER gate_overrides_append_only BEFORE UPDATE OR DELETE ON gate_overrides
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
