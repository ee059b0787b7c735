-- The prerequisites of a step with their names, states and end days, in template order.
-- Parameters: $1 = project id (bigint), $2 = prerequisite keys (text[]).
SELECT ps.key, ts.name, ps.state::text AS state, ps.actual_end
  FROM project_steps ps
  JOIN project_procedures pp ON pp.project_id = ps.project_id
  JOIN procedure_template_steps ts ON ts.template_id = pp.template_id AND ts.key = ps.key
 WHERE ps.project_id = $1 AND ps.key = ANY ($2)
 ORDER BY ts.seq
