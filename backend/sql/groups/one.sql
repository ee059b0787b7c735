-- One work group as the list shows it (without figures): id, name, leader, members, project.
-- $1 = group id (integer).
SELECT json_build_object(
           'id', g.id, 'name', g.name, 'project', p.code,
           'leader', CASE WHEN l.id IS NOT NULL THEN json_build_object('id', l.id, 'username', l.username) END,
           'members', coalesce((SELECT json_agg(json_build_object('id', u.id, 'username', u.username) ORDER BY u.username)
                                  FROM work_group_members m JOIN users u ON u.id = m.user_id
                                 WHERE m.group_id = g.id), '[]'),
           'households', (SELECT count(*) FROM households h WHERE h.group_id = g.id))
  FROM work_groups g JOIN projects p ON p.id = g.project_id LEFT JOIN users l ON l.id = g.leader_id
 WHERE g.id = $1
