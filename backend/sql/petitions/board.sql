-- The petitions board (信访台账): petitions of a project or of the caller's region, open ones
-- first by the day they are due, then the closed ones newest first; each with its deadlines and
-- timeliness on Beijing day $8. Parameters: $1 project code, $2 the caller's region id (NULL:
-- everywhere), $3 status, $4 channel, $5 category id, $6 group id, $7 timeliness (NULL: all of
-- each), $8 today, $9 the most rows answered.
WITH rows AS (
    SELECT p.*, d.received_on, d.accept_due, d.decided_on, d.handle_due, d.replied_on,
           petition_timeliness(p.status, d.accept_due, d.decided_on, d.handle_due, d.replied_on, $8) AS timeliness,
           CASE p.status WHEN 'registered' THEN d.accept_due WHEN 'accepted' THEN d.handle_due END AS due_on,
           pr.code AS project_code, pr.name AS project_name
      FROM petitions p
      JOIN petition_deadlines d ON d.id = p.id
      JOIN projects pr ON pr.id = p.project_id
      JOIN regions r ON r.id = pr.region_id
     WHERE ($1::text IS NULL OR pr.code = $1)
       AND ($2::integer IS NULL OR $2 = ANY (r.lineage))
       AND ($3::text IS NULL OR p.status::text = $3)
       AND ($4::text IS NULL OR p.channel::text = $4)
       AND ($5::smallint IS NULL OR p.category_id = $5)
       AND ($6::integer IS NULL OR p.group_id = $6)
), chosen AS (
    SELECT * FROM rows WHERE $7::text IS NULL OR timeliness = $7
     ORDER BY due_on IS NULL, due_on, received_at DESC, id DESC
     LIMIT $9
)
SELECT json_build_object(
    'petitions', coalesce((SELECT json_agg(json_build_object(
        'id', c.id, 'ticket', c.ticket, 'project_code', c.project_code, 'project_name', c.project_name,
        'household_code', h.code, 'channel', c.channel, 'category', cat.name, 'petitioner_name', c.petitioner_name,
        'body', left(c.body, 120), 'received_on', c.received_on, 'status', c.status, 'due_on', c.due_on,
        'accept_due', c.accept_due, 'handle_due', c.handle_due, 'timeliness', c.timeliness,
        'overdue', c.timeliness = 'overdue', 'group_name', g.name, 'office', c.office, 'repeat_of', c.repeat_of)
        ORDER BY c.due_on IS NULL, c.due_on, c.received_at DESC, c.id DESC)
          FROM chosen c
          LEFT JOIN households h ON h.id = c.household_id
          LEFT JOIN petition_categories cat ON cat.id = c.category_id
          LEFT JOIN work_groups g ON g.id = c.group_id), '[]'),
    'counts', (SELECT json_build_object('total', count(*),
                                        'open', count(*) FILTER (WHERE timeliness IN ('open', 'overdue')),
                                        'overdue', count(*) FILTER (WHERE timeliness = 'overdue'))
                 FROM rows),
    'categories', (SELECT json_agg(json_build_object('id', id, 'name', name) ORDER BY position, id) FROM petition_categories WHERE NOT retired))
