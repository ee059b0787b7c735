-- A selection day as the hall's big screen shows it (选房大屏), public-safe: household codes, no
-- names. Whose turn, the next ones, units left per 套型 in the estates the project draws on, and
-- the last choices. Published projects only; runs as its owner for the residents' role.
CREATE OR REPLACE FUNCTION selection_hall(d_id bigint, next_count integer) RETURNS json
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT json_build_object(
        'day', json_build_object('id', d.id, 'project_code', p.code, 'project_name', p.name, 'day', d.day,
                                 'status', d.status, 'order_by', d.order_by, 'drawn', d.drawn_at IS NOT NULL),
        'turn', coalesce((SELECT json_agg(json_build_object('code', q.code, 'position', q.position,
                                                            'entitled_area', q.entitled_area) ORDER BY q.called_at)
                            FROM selection_queue q WHERE q.day_id = d.id AND q.state = 'called'), '[]'),
        'next', coalesce((SELECT json_agg(json_build_object('code', n.code, 'position', n.position,
                                                            'entitled_area', n.entitled_area) ORDER BY n.position)
                            FROM (SELECT * FROM selection_queue q WHERE q.day_id = d.id AND q.state = 'waiting'
                                     AND q.position IS NOT NULL ORDER BY q.position LIMIT next_count) n), '[]'),
        'counts', (SELECT json_build_object('waiting', count(*) FILTER (WHERE q.state = 'waiting'),
                                            'called', count(*) FILTER (WHERE q.state = 'called'),
                                            'done', count(*) FILTER (WHERE q.state = 'done'),
                                            'absent', count(*) FILTER (WHERE q.state = 'absent'))
                     FROM selection_queue q WHERE q.day_id = d.id),
        'types', coalesce((SELECT json_agg(json_build_object('estate', t.estate, 'code', t.code, 'name', t.name, 'area', t.area,
                                                             'available', t.available, 'total', t.total)
                                           ORDER BY t.estate, t.area, t.code)
                             FROM (SELECT e.name AS estate, ut.code, ut.name, ut.area,
                                          count(u.id) FILTER (WHERE u.status = 'available') AS available, count(u.id) AS total
                                     FROM project_estates pe JOIN estates e ON e.id = pe.estate_id
                                     JOIN estate_unit_types ut ON ut.estate_id = e.id
                                     LEFT JOIN estate_units u ON u.type_id = ut.id
                                    WHERE pe.project_id = p.id
                                    GROUP BY e.name, ut.id) t), '[]'),
        'last', coalesce((SELECT json_agg(json_build_object('code', l.code, 'unit', l.unit, 'estate', l.estate, 'type', l.type,
                                                            'area', l.area, 'state', l.state, 'at', l.chosen_at)
                                          ORDER BY l.chosen_at DESC, l.id DESC)
                            FROM (SELECT c.id, q.code, e.name AS estate, ut.name AS type, u.area, c.state, c.chosen_at,
                                         format('%s栋%s单元%s', b.code, u.entrance, u.room) AS unit
                                    FROM selection_choices c
                                    JOIN selection_queue q ON q.day_id = c.day_id AND q.household_id = c.household_id
                                    JOIN estate_units u ON u.id = c.unit_id
                                    JOIN estate_buildings b ON b.id = u.building_id
                                    JOIN estates e ON e.id = u.estate_id
                                    JOIN estate_unit_types ut ON ut.id = u.type_id
                                   WHERE c.day_id = d.id AND c.state <> 'cancelled'
                                   ORDER BY c.chosen_at DESC, c.id DESC LIMIT 12) l), '[]'))
      FROM selection_days d JOIN projects p ON p.id = d.project_id
     WHERE d.id = d_id AND p.published
$$;
REVOKE EXECUTE ON FUNCTION selection_hall(bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION selection_hall(bigint, integer) TO onemap_public, onemap_app;
