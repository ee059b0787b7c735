-- Whether a project's gate (step_gate: signing, compensation_decision, demolition) is open, and
-- what keeps it shut: the step of the project's template that opens it (done opens; waived does
-- not, an override does), for signing the funds (allocated ≥ budget, 补偿费用足额到位), and the
-- admin override in force (the newest gate_overrides row, when a grant). A template without a
-- step for the gate sets no step condition. One row; every lookup by primary key or index, as
-- the status path calls it under the writers' lock (households_status_gates.sql).
CREATE OR REPLACE FUNCTION gate_state(project bigint, which step_gate)
RETURNS TABLE (open boolean, project_code text, project_name text, step_key text, step_name text, step_state step_state,
               step_ok boolean, funds_ok boolean, allocated_yuan numeric, budget_yuan numeric, override_id bigint)
LANGUAGE sql STABLE AS $$
    SELECT coalesce(o.action = 'grant', false) OR (s.ok AND f.ok),
           p.code, p.name, s.key, s.name, s.state, s.ok, f.ok, f.allocated, p.budget_yuan,
           CASE WHEN o.action = 'grant' THEN o.id END
      FROM projects p
      LEFT JOIN project_procedures pp ON pp.project_id = p.id
      LEFT JOIN LATERAL (
            -- a step still shut first, should a template have two for one gate
            SELECT t.key, t.name, ps.state, coalesce(ps.state = 'done', false) AS ok
              FROM procedure_template_steps t
              LEFT JOIN project_steps ps ON ps.project_id = p.id AND ps.key = t.key
             WHERE t.template_id = pp.template_id AND t.opens = which
             ORDER BY coalesce(ps.state = 'done', false), t.seq
             LIMIT 1) st ON true
      CROSS JOIN LATERAL (SELECT st.key, st.name, st.state, coalesce(st.ok, st.key IS NULL) AS ok) s
      LEFT JOIN project_funds pf ON pf.project_id = p.id
      CROSS JOIN LATERAL (SELECT coalesce(pf.allocated_yuan, 0) AS allocated) a
      CROSS JOIN LATERAL (SELECT a.allocated, which <> 'signing' OR a.allocated >= p.budget_yuan AS ok) f
      LEFT JOIN LATERAL (
            SELECT g.id, g.action FROM gate_overrides g
             WHERE g.project_id = p.id AND g.gate = which
             ORDER BY g.id DESC LIMIT 1) o ON true
     WHERE p.id = project
$$;
