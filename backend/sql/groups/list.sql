-- A project's work groups with their leader, members and what their households have reached
-- now, and how many households no group holds. $1 = project id (bigint).
WITH held AS (
    SELECT h.group_id, count(*)::integer AS households, count(DISTINCT h.building_id)::integer AS buildings,
           count(*) FILTER (WHERE status_rank(h.status::text) >= 1)::integer AS surveyed,
           count(*) FILTER (WHERE status_rank(h.status::text) >= 2)::integer AS signed,
           count(*) FILTER (WHERE status_rank(h.status::text) >= 3)::integer AS vacated,
           count(*) FILTER (WHERE status_rank(h.status::text) >= 4)::integer AS demolished
      FROM households h JOIN buildings b ON b.id = h.building_id
     WHERE b.project_id = $1
     GROUP BY h.group_id
)
SELECT json_build_object(
    'groups', coalesce((
        SELECT json_agg(json_build_object(
                   'id', g.id, 'name', g.name,
                   'leader', CASE WHEN l.id IS NOT NULL THEN json_build_object('id', l.id, 'username', l.username) END,
                   'members', coalesce((SELECT json_agg(json_build_object('id', u.id, 'username', u.username) ORDER BY u.username)
                                          FROM work_group_members m JOIN users u ON u.id = m.user_id
                                         WHERE m.group_id = g.id), '[]'),
                   'households', coalesce(h.households, 0), 'buildings', coalesce(h.buildings, 0),
                   'surveyed', coalesce(h.surveyed, 0), 'signed', coalesce(h.signed, 0),
                   'vacated', coalesce(h.vacated, 0), 'demolished', coalesce(h.demolished, 0),
                   'sign_rate', coalesce(sign_rate(h.signed, h.households), 0),
                   -- the 疑难个案 the group owns that are still open
                   'open_cases', (SELECT count(*) FROM cases c WHERE c.group_id = g.id AND c.state = 'open'))
                 ORDER BY g.id)
          FROM work_groups g LEFT JOIN users l ON l.id = g.leader_id LEFT JOIN held h ON h.group_id = g.id
         WHERE g.project_id = $1), '[]'),
    'unassigned_households', coalesce((SELECT households FROM held WHERE group_id IS NULL), 0))
