-- A selection day as the clerks' console shows it: the day, its queue in order with names (staff
-- only), each household's live choices, and the units of the estates the project draws on.
-- $1 day id.
SELECT json_build_object(
    'id', d.id, 'project_code', p.code, 'project_name', p.name, 'day', d.day, 'status', d.status, 'order_by', d.order_by,
    'seed', d.seed, 'seed_published_at', d.seed_published_at, 'drawn_at', d.drawn_at,
    'queue', coalesce((SELECT json_agg(json_build_object(
                'household_id', q.household_id, 'code', q.code, 'holder_name', h.holder_name, 'entitled_area', q.entitled_area,
                'signing_no', q.signing_no, 'position', q.position, 'state', q.state, 'recalls', q.recalls,
                'called_by', cu.username, 'called_at', q.called_at, 'done_at', q.done_at,
                'choices', coalesce((SELECT json_agg(json_build_object('unit_id', c.unit_id, 'state', c.state) ORDER BY c.id)
                                       FROM selection_choices c
                                      WHERE c.day_id = q.day_id AND c.household_id = q.household_id AND c.state <> 'cancelled'), '[]'))
                ORDER BY q.position NULLS LAST, q.signing_no)
              FROM selection_queue q JOIN households h ON h.id = q.household_id LEFT JOIN users cu ON cu.id = q.called_by
             WHERE q.day_id = d.id), '[]'))
  FROM selection_days d JOIN projects p ON p.id = d.project_id
 WHERE d.id = $1
