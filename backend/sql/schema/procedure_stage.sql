-- A project's stage at the end of a Beijing day ('infinity': now): the stage of its first step, in
-- the template's order, not done or waived by that day; 'closed' when every step is. Windows
-- (复议期, 诉讼期) run beside the steps and set no stage.
CREATE OR REPLACE FUNCTION procedure_stage(project bigint, on_day date) RETURNS project_stage
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce((
        SELECT ts.stage
          FROM project_procedures pp
          JOIN procedure_template_steps ts ON ts.template_id = pp.template_id AND NOT ts.is_window
          JOIN project_steps ps ON ps.project_id = pp.project_id AND ps.key = ts.key
         WHERE pp.project_id = project
           AND NOT (ps.state IN ('done', 'waived') AND ps.actual_end <= on_day)
         ORDER BY ts.seq
         LIMIT 1), 'closed')
$$;
