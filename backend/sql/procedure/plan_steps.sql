-- What planning needs of each step of a project, in template order: its rules and its dates.
-- Parameters: $1 = project id (bigint).
SELECT ps.key, ts.is_window, ts.prerequisites, ts.min_period::integer AS min_period, ts.period_unit::text AS period_unit,
       ps.state::text AS state, ps.version, ps.planned_start, ps.planned_end, ps.actual_start, ps.actual_end
  FROM project_steps ps
  JOIN project_procedures pp ON pp.project_id = ps.project_id
  JOIN procedure_template_steps ts ON ts.template_id = pp.template_id AND ts.key = ps.key
 WHERE ps.project_id = $1
 ORDER BY ts.seq
   FOR UPDATE OF ps
