-- One procedure template version with every field of its steps in order, as the admin page shows
-- and copies it. Parameter: $1 = template id (integer).
SELECT json_build_object(
    'template', json_build_object(
        'id', t.id, 'kind', t.kind, 'version', t.version, 'name', t.name, 'note', t.note,
        'created_at', t.created_at, 'created_by', u.username,
        'projects', (SELECT count(*) FROM project_procedures pp WHERE pp.template_id = t.id),
        'newest', t.version = (SELECT max(n.version) FROM procedure_templates n WHERE n.kind = t.kind)),
    'steps', (
        SELECT coalesce(json_agg(json_build_object(
            'seq', s.seq, 'key', s.key, 'name', s.name, 'stage', s.stage, 'legal_basis', s.legal_basis,
            'produces', s.produces, 'min_period', s.min_period, 'max_period', s.max_period,
            'period_unit', s.period_unit, 'clock_from', s.clock_from, 'is_window', s.is_window,
            'prerequisites', s.prerequisites, 'published', s.published, 'publishes', s.publishes,
            'opens', s.opens) ORDER BY s.seq), '[]')
          FROM procedure_template_steps s
         WHERE s.template_id = t.id))
  FROM procedure_templates t
  LEFT JOIN users u ON u.id = t.created_by
 WHERE t.id = $1
