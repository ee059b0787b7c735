-- The cases panel of the cockpit and the wall: open and overdue cases (and how many escalated)
-- by category, by level and by group, for a set of projects. Counts only: no names.
-- Parameters: $1 project ids (bigint[]; NULL: every project), $2 now.
WITH open AS (
    SELECT c.category, c.group_id, c.level, c.due_at <= $2 AS overdue
      FROM cases c
     WHERE c.state = 'open' AND ($1::bigint[] IS NULL OR c.project_id = ANY ($1))
)
SELECT json_build_object(
    'open', (SELECT count(*) FROM open),
    'overdue', (SELECT count(*) FILTER (WHERE overdue) FROM open),
    'escalated', (SELECT count(*) FILTER (WHERE level <> 'group') FROM open),
    'by_category', (SELECT json_agg(json_build_object('key', cc.key, 'name', cc.name,
                                                      'open', coalesce(k.open, 0), 'overdue', coalesce(k.overdue, 0)) ORDER BY cc.seq)
                      FROM case_categories cc
                      LEFT JOIN (SELECT category, count(*) AS open, count(*) FILTER (WHERE overdue) AS overdue
                                   FROM open GROUP BY category) k ON k.category = cc.key),
    'by_level', (SELECT json_agg(json_build_object('level', l, 'open', coalesce(k.open, 0), 'overdue', coalesce(k.overdue, 0))
                                 ORDER BY l)
                   FROM unnest(enum_range(NULL::case_level)) l
                   LEFT JOIN (SELECT level, count(*) AS open, count(*) FILTER (WHERE overdue) AS overdue
                                FROM open GROUP BY level) k ON k.level = l),
    'by_group', (SELECT coalesce(json_agg(json_build_object('id', g.id, 'name', g.name, 'project', p.code,
                                                            'project_name', p.name, 'open', k.open, 'overdue', k.overdue)
                                          ORDER BY k.overdue DESC, k.open DESC, g.id), '[]')
                   FROM (SELECT group_id, count(*) AS open, count(*) FILTER (WHERE overdue) AS overdue
                           FROM open WHERE group_id IS NOT NULL GROUP BY group_id) k
                   JOIN work_groups g ON g.id = k.group_id JOIN projects p ON p.id = g.project_id)
)
