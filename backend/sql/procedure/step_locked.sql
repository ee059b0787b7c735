-- One step of a project's ledger with its template's rules, locked for a write (docs/procedure.md).
-- Parameters: $1 = project id (bigint), $2 = step key (text).
SELECT ps.key, ts.name, ps.state::text AS state, ps.version, ps.planned_start, ps.planned_end,
       ps.actual_start, ps.actual_end, ps.responsible, ps.note, ps.waive_reason,
       ts.is_window, ts.clock_from, ts.min_period::integer AS min_period, ts.period_unit::text AS period_unit,
       ts.legal_basis, ts.prerequisites
  FROM project_steps ps
  JOIN project_procedures pp ON pp.project_id = ps.project_id
  JOIN procedure_template_steps ts ON ts.template_id = pp.template_id AND ts.key = ps.key
 WHERE ps.project_id = $1 AND ps.key = $2
   FOR UPDATE OF ps
