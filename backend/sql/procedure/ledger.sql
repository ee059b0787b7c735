-- A project's procedure as one JSON document: its template, stage, today (Beijing) and each
-- step with its rules, dates, computed deadlines, shown state and documents (project_steps_due).
-- Staff see who is responsible, notes and waive reasons; a wall display ($2 = false) does not.
-- Parameters: $1 = project id (bigint), $2 = staff (boolean).
SELECT json_build_object(
    'project', json_build_object('code', p.code, 'name', p.name, 'kind', p.kind, 'stage', p.stage,
                                 'start_date', p.start_date, 'target_date', p.target_date),
    'template', json_build_object('id', t.id, 'kind', t.kind, 'version', t.version, 'name', t.name),
    'today', (now() AT TIME ZONE 'Asia/Shanghai')::date,
    'steps', (
        SELECT coalesce(json_agg(json_build_object(
            'key', d.key, 'seq', d.seq, 'name', d.name, 'stage', d.stage, 'legal_basis', d.legal_basis,
            'produces', d.produces, 'min_period', d.min_period, 'max_period', d.max_period,
            'period_unit', d.period_unit, 'clock_from', d.clock_from, 'is_window', d.is_window,
            'prerequisites', d.prerequisites, 'published', d.published, 'publishes', d.publishes, 'opens', d.opens,
            'state', d.state, 'shown_state', d.shown_state, 'version', d.version,
            'planned_start', d.planned_start, 'planned_end', d.planned_end,
            'actual_start', d.actual_start, 'actual_end', d.actual_end,
            'clock_start', d.clock_start, 'earliest_end', d.earliest_end, 'legal_due', d.legal_due, 'due_on', d.due_on,
            'responsible', CASE WHEN $2 AND u.id IS NOT NULL THEN json_build_object('id', u.id, 'username', u.username) END,
            'note', CASE WHEN $2 THEN d.note END,
            'waive_reason', CASE WHEN $2 THEN d.waive_reason END,
            'documents', (
                SELECT coalesce(json_agg(json_build_object(
                    'id', sd.id, 'file_name', sd.file_name, 'content_type', sd.content_type,
                    'size_bytes', sd.size_bytes, 'sha256', sd.sha256, 'public', sd.public,
                    'uploaded_at', sd.uploaded_at) ORDER BY sd.id), '[]')
                  FROM step_documents sd
                 WHERE sd.project_id = d.project_id AND sd.key = d.key AND ($2 OR sd.public))
        ) ORDER BY d.seq), '[]')
          FROM project_steps_due d
          LEFT JOIN users u ON u.id = d.responsible
         WHERE d.project_id = p.id)
)
  FROM projects p
  JOIN project_procedures pp ON pp.project_id = p.id
  JOIN procedure_templates t ON t.id = pp.template_id
 WHERE p.id = $1
