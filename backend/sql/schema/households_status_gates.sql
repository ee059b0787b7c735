-- The procedure's gates on the status path (docs/procedure.md, "Gates"): a household reaches
-- signed only through an open signing gate, demolished only through an open demolition gate
-- (gate_state.sql), whichever writer moves it (status writes, building moves, send-backs).
-- The trigger fires only when a status crosses into signed or demolished, and then makes one
-- indexed lookup; a refusal names the project, the step and its state, its values as JSON in
-- DETAIL (crate::refusals), and rolls the whole write back.
CREATE OR REPLACE FUNCTION households_status_gates() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    which step_gate;
    g record;
BEGIN
    FOREACH which IN ARRAY CASE
        WHEN OLD.status < 'signed' AND NEW.status = 'demolished' THEN ARRAY['signing', 'demolition']::step_gate[]
        WHEN NEW.status = 'demolished' THEN ARRAY['demolition']::step_gate[]
        ELSE ARRAY['signing']::step_gate[] END
    LOOP
        SELECT s.* INTO g FROM buildings b, gate_state(b.project_id, which) s WHERE b.id = NEW.building_id;
        CONTINUE WHEN g.open IS NOT FALSE;
        IF NOT g.step_ok THEN
            RAISE EXCEPTION 'project % (%): % waits for step %「%」, which is %',
                g.project_code, g.project_name, which, g.step_key, g.step_name, g.step_state
                USING ERRCODE = 'check_violation', CONSTRAINT = 'gate_step_not_done',
                      DETAIL = json_build_object('project', g.project_code, 'gate', which, 'step', g.step_key,
                                                 'step_name', g.step_name, 'state', g.step_state)::text;
        END IF;
        RAISE EXCEPTION 'project % (%): signing waits for the compensation funds: % yuan allocated of the budget % (补偿费用足额到位)',
            g.project_code, g.project_name, g.allocated_yuan, g.budget_yuan
            USING ERRCODE = 'check_violation', CONSTRAINT = 'gate_funds_short',
                  DETAIL = json_build_object('project', g.project_code, 'allocated', g.allocated_yuan, 'budget', g.budget_yuan)::text;
    END LOOP;
    RETURN NEW;
END
$$;

-- After households_guard_status (triggers fire in name order): a write around the event path is
-- refused as such first.
CREATE OR REPLACE TRIGGER households_status_gates BEFORE UPDATE OF status ON households
    FOR EACH ROW WHEN ((OLD.status < 'signed' AND NEW.status >= 'signed') OR (OLD.status < 'demolished' AND NEW.status = 'demolished'))
    EXECUTE FUNCTION households_status_gates();
