-- Case events after an id, each as the live feed sends it (SSE `case`): what happened, the
-- case's level, state and whether it is overdue now, its project and building by code (no
-- personal data, no notes: staff read those on the case's page), and, for an opening or a
-- closing, the EPSG:3857 box of the building for the tile caches: its `case_open` flag is all
-- of a case that tiles carry (no project or region tile counts cases), so an escalation,
-- conference or reassignment evicts no tile (70,000 escalations at midnight emptied the cache).
-- Parameters: $1 = the last case event id already handled (bigint), $2 = at most this many rows.
SELECT e.id,
       p.id AS project_id,
       (SELECT array_agg(rr.code ORDER BY rr.id) FROM regions rr WHERE rr.id = ANY (r.lineage)) AS region_codes,
       json_strip_nulls(json_build_object(
           'case_event_id', e.id,
           'at', e.at,
           'kind', e.kind,
           'case_id', c.id,
           'category', c.category,
           'level', c.level,
           'state', c.state,
           'outcome', c.outcome,
           'overdue', c.state = 'open' AND c.due_at <= now(),
           'group_id', c.group_id,
           'project_id', p.id,
           'project_code', p.code,
           'project_name', p.name,
           'building', json_build_object('id', b.id, 'code', b.code),
           'actor', u.username
       ))::text AS payload,
       CASE WHEN e.kind IN ('opened', 'closed')
            THEN ARRAY[ST_XMin(b.geom_3857), ST_YMin(b.geom_3857), ST_XMax(b.geom_3857), ST_YMax(b.geom_3857)]
       END AS building_box,
       NULL::float8[] AS parcel_box,
       '{}'::float8[] AS project_box,
       '{}'::float8[] AS region_boxes
  FROM case_events e
  JOIN cases c ON c.id = e.case_id
  JOIN households h ON h.id = c.household_id
  JOIN buildings b ON b.id = h.building_id
  JOIN projects p ON p.id = c.project_id
  JOIN regions r ON r.id = p.region_id
  LEFT JOIN users u ON u.id = e.user_id
 WHERE e.id > $1
 ORDER BY e.id
 LIMIT $2
