-- Unit status events after an id, each as the live feed sends it (SSE `unit`): the unit by
-- estate, building, 单元, 层 and 室, its change from → to, and (staff only: the Rust side strips
-- `household` and `actor` for walls and the public page) the household by code with its masked
-- name. The project is the household's (0 when none); the regions are the estate's lineage;
-- the estate's EPSG:3857 box goes stale on the `estates` tiles (they carry the counts).
-- Parameters: $1 = the last unit status event id already handled (bigint), $2 = at most this many rows.
SELECT e.id,
       coalesce(b.project_id, 0) AS project_id,
       (SELECT array_agg(rr.code ORDER BY rr.id) FROM regions rr WHERE rr.id = ANY (r.lineage)) AS region_codes,
       json_strip_nulls(json_build_object(
           'unit_event_id', e.id,
           'at', e.at,
           'unit_id', u.id,
           'estate_code', es.code,
           'estate_name', es.name,
           'building', eb.code,
           'entrance', u.entrance,
           'floor', u.floor,
           'room', u.room,
           'type', t.code,
           'from', e.from_status,
           'to', e.to_status,
           'household', CASE WHEN h.id IS NOT NULL THEN json_build_object('code', h.code, 'name', mask_name(h.holder_name)) END,
           'actor', us.username
       ))::text AS payload,
       ARRAY[ST_XMin(es.geom_3857), ST_YMin(es.geom_3857), ST_XMax(es.geom_3857), ST_YMax(es.geom_3857)] AS estate_box
  FROM unit_status_events e
  JOIN estate_units u ON u.id = e.unit_id
  JOIN estate_buildings eb ON eb.id = u.building_id
  JOIN estate_unit_types t ON t.id = u.type_id
  JOIN estates es ON es.id = u.estate_id
  JOIN regions r ON r.id = es.region_id
  LEFT JOIN households h ON h.id = e.household_id
  LEFT JOIN buildings b ON b.id = h.building_id
  LEFT JOIN users us ON us.id = e.actor_id
 WHERE e.id > $1
 ORDER BY e.id
 LIMIT $2
