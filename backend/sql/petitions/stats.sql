-- Petition statistics of a region (lineage containing $1; NULL: everywhere) or one project ($2),
-- for petitions received from $3 to $4 (Beijing days, NULL: open-ended): counts by timeliness on
-- Beijing day $5 (on time / late / overdue open / open in time), by channel, by category and by project.
WITH rows AS (
    SELECT p.channel, coalesce(cat.name, '未分类') AS category, pr.code AS project_code, pr.name AS project_name,
           petition_timeliness(p.status, d.accept_due, d.decided_on, d.handle_due, d.replied_on, $5) AS t
      FROM petitions p
      JOIN petition_deadlines d ON d.id = p.id
      JOIN projects pr ON pr.id = p.project_id
      JOIN regions r ON r.id = pr.region_id
      LEFT JOIN petition_categories cat ON cat.id = p.category_id
     WHERE ($1::integer IS NULL OR $1 = ANY (r.lineage))
       AND ($2::bigint IS NULL OR pr.id = $2)
       AND ($3::date IS NULL OR d.received_on >= $3)
       AND ($4::date IS NULL OR d.received_on <= $4)
), counted AS (
    SELECT GROUPING(channel) = 0 AS by_channel, GROUPING(category) = 0 AS by_category, GROUPING(project_code) = 0 AS by_project,
           channel, category, project_code, max(project_name) AS project_name,
           jsonb_build_object('total', count(*), 'on_time', count(*) FILTER (WHERE t = 'on_time'),
                             'late', count(*) FILTER (WHERE t = 'late'), 'overdue', count(*) FILTER (WHERE t = 'overdue'),
                             'open', count(*) FILTER (WHERE t = 'open'),
                             'on_time_rate', round(count(*) FILTER (WHERE t = 'on_time')::numeric
                                                   / nullif(count(*) FILTER (WHERE t IN ('on_time', 'late')), 0), 4)) AS n
      FROM rows
     GROUP BY GROUPING SETS ((), (channel), (category), (project_code))
)
SELECT json_build_object(
    'total', (SELECT n FROM counted WHERE NOT by_channel AND NOT by_category AND NOT by_project),
    'by_channel', coalesce((SELECT json_agg(jsonb_build_object('channel', channel) || n ORDER BY channel) FROM counted WHERE by_channel), '[]'),
    'by_category', coalesce((SELECT json_agg(jsonb_build_object('category', category) || n ORDER BY category) FROM counted WHERE by_category), '[]'),
    'by_project', coalesce((SELECT json_agg(jsonb_build_object('project_code', project_code, 'project_name', project_name) || n
                                            ORDER BY project_code) FROM counted WHERE by_project), '[]'))
