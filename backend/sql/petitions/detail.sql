-- One petition as staff see it: the petitioner, the deadlines and timeliness on Beijing day $2,
-- the replies with who wrote them, the petitions it is linked with (the same matter) and those
-- suggested as repeats: the same household or petitioner ID number within $3 days, not yet linked;
-- and what its forms offer (the project's work groups, the offices held, the categories in use).
WITH p AS (
    SELECT p.*, d.received_on, d.accept_due, d.decided_on, d.handle_due, d.replied_on,
           petition_timeliness(p.status, d.accept_due, d.decided_on, d.handle_due, d.replied_on, $2) AS timeliness,
           coalesce(p.repeat_of, p.id) AS root
      FROM petitions p JOIN petition_deadlines d ON d.id = p.id
     WHERE p.id = $1
), brief AS (
    SELECT o.id, o.ticket, o.channel, o.status, (o.received_at AT TIME ZONE 'Asia/Shanghai')::date AS received_on,
           left(o.body, 80) AS body, coalesce(o.repeat_of, o.id) AS root, o.household_id, o.petitioner_id_number, o.received_at
      FROM petitions o
)
SELECT json_build_object(
    'id', p.id, 'ticket', p.ticket, 'project_code', pr.code, 'project_name', pr.name,
    'household_id', p.household_id, 'household_code', h.code, 'objection_id', p.objection_id,
    'channel', p.channel, 'category_id', p.category_id, 'category', cat.name,
    'petitioner_name', p.petitioner_name, 'petitioner_id_number', p.petitioner_id_number, 'petitioner_phone', p.petitioner_phone,
    'body', p.body, 'received_at', p.received_at, 'received_on', p.received_on,
    'registered_by', ru.username, 'registered_at', p.registered_at,
    'group_id', p.group_id, 'group_name', g.name, 'office', p.office,
    'status', p.status, 'decided_at', p.decided_at, 'decided_by', du.username, 'reject_reason', p.reject_reason,
    'replied_at', p.replied_at, 'repeat_of', p.repeat_of,
    'periods', json_build_object('accept_n', p.accept_n, 'accept_unit', p.accept_unit, 'handle_n', p.handle_n, 'handle_unit', p.handle_unit),
    'accept_due', p.accept_due, 'decided_on', p.decided_on, 'handle_due', p.handle_due, 'replied_on', p.replied_on,
    'timeliness', p.timeliness, 'overdue', p.timeliness = 'overdue',
    'replies', coalesce((SELECT json_agg(json_build_object('id', r.id, 'body', r.body, 'final', r.final, 'at', r.at, 'by', u.username) ORDER BY r.id)
                           FROM petition_replies r LEFT JOIN users u ON u.id = r.by_user WHERE r.petition_id = p.id), '[]'),
    'linked', coalesce((SELECT json_agg(to_jsonb(b) - 'root' - 'household_id' - 'petitioner_id_number' - 'received_at' ORDER BY b.received_at, b.id)
                          FROM brief b WHERE b.root = p.root AND b.id <> p.id), '[]'),
    'groups', coalesce((SELECT json_agg(json_build_object('id', wg.id, 'name', wg.name) ORDER BY wg.id) FROM work_groups wg WHERE wg.project_id = p.project_id), '[]'),
    'offices', coalesce((SELECT json_agg(DISTINCT uo.office) FROM user_offices uo), '[]'),
    'categories', (SELECT json_agg(json_build_object('id', c.id, 'name', c.name) ORDER BY c.position, c.id) FROM petition_categories c WHERE NOT c.retired),
    'suggested_links', coalesce((SELECT json_agg(to_jsonb(b) - 'root' - 'household_id' - 'petitioner_id_number' - 'received_at' ORDER BY b.received_at, b.id)
                          FROM brief b
                         WHERE b.root <> p.root
                           AND ((b.household_id = p.household_id) OR (b.petitioner_id_number = p.petitioner_id_number))
                           AND abs(extract(epoch FROM b.received_at - p.received_at)) <= $3::integer * 86400), '[]'))
  FROM p
  JOIN projects pr ON pr.id = p.project_id
  LEFT JOIN households h ON h.id = p.household_id
  LEFT JOIN petition_categories cat ON cat.id = p.category_id
  LEFT JOIN work_groups g ON g.id = p.group_id
  LEFT JOIN users ru ON ru.id = p.registered_by
  LEFT JOIN users du ON du.id = p.decided_by
