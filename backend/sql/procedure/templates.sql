-- Every kind's procedure template versions, newest first within each kind (kinds in the enum's
-- order), with the number of steps, how many projects follow each, who made it and whether it is
-- the newest (the one new projects take).
SELECT json_build_object('templates', coalesce(json_agg(json_build_object(
           'id', t.id, 'kind', t.kind, 'version', t.version, 'name', t.name, 'note', t.note,
           'created_at', t.created_at, 'created_by', u.username,
           'steps', (SELECT count(*) FROM procedure_template_steps s WHERE s.template_id = t.id),
           'projects', (SELECT count(*) FROM project_procedures pp WHERE pp.template_id = t.id),
           'newest', t.version = (SELECT max(n.version) FROM procedure_templates n WHERE n.kind = t.kind))
         ORDER BY t.kind, t.version DESC), '[]'))
  FROM procedure_templates t
  LEFT JOIN users u ON u.id = t.created_by
