-- Objections (申诉) of a project or of the caller's region, open ones first, each with its reply
-- deadline: the Beijing day it was filed plus $4 days; an open one past that day is overdue.
-- Parameters: $1 project code (NULL: all), $2 status (NULL: all), $3 the caller's region id
-- (NULL: everywhere), $4 the reply deadline in days, $5 today in Beijing.
SELECT coalesce(json_agg(json_build_object(
           'id', o.id, 'ticket', o.ticket, 'project_code', p.code, 'project_name', p.name,
           'household_id', h.id, 'household_code', h.code, 'holder_name', h.holder_name, 'body', o.body,
           'status', o.status, 'created_at', o.created_at, 'answer', o.answer, 'answered_by', u.username,
           'answered_at', o.answered_at, 'due_on', d.due_on, 'overdue', o.status = 'open' AND $5::date > d.due_on)
         ORDER BY o.status, o.created_at DESC), '[]')
  FROM objections o
  JOIN households h ON h.id = o.household_id
  JOIN buildings b ON b.id = h.building_id
  JOIN projects p ON p.id = b.project_id
  JOIN regions r ON r.id = p.region_id
  LEFT JOIN users u ON u.id = o.answered_by,
       LATERAL (SELECT (o.created_at AT TIME ZONE 'Asia/Shanghai')::date + $4::integer AS due_on) d
 WHERE ($1::text IS NULL OR p.code = $1)
   AND ($2::text IS NULL OR o.status::text = $2)
   AND ($3::integer IS NULL OR $3 = ANY (r.lineage))
