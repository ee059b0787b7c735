-- A project's selection days, newest first, with their queue's counts. $1 project id.
SELECT coalesce(json_agg(json_build_object('id', d.id, 'day', d.day, 'status', d.status, 'order_by', d.order_by,
                                           'drawn_at', d.drawn_at, 'households', c.total, 'done', c.done, 'absent', c.absent)
                         ORDER BY d.day DESC), '[]')
  FROM selection_days d
  CROSS JOIN LATERAL (SELECT count(*) AS total, count(*) FILTER (WHERE q.state = 'done') AS done,
                             count(*) FILTER (WHERE q.state = 'absent') AS absent
                        FROM selection_queue q WHERE q.day_id = d.id) c
 WHERE d.project_id = $1
