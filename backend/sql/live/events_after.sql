-- Status events after an id, each with what the live feed and the tile caches need: the
-- subject's new state, its building or parcel now, the figures of its project and regions,
-- and the EPSG:3857 boxes of the features whose tiles it changed.
-- Parameters: $1 = the last event id already handled (bigint), $2 = at most this many rows.
-- Boxes are float8[] of xmin, ymin, xmax, ymax; region_boxes holds 4 numbers per region.
SELECT e.id,
       p.id AS project_id,
       (SELECT array_agg(rr.code ORDER BY rr.id) FROM regions rr WHERE rr.id = ANY (r.lineage)) AS region_codes,
       -- json_strip_nulls drops absent parts and prints compactly (200 clients get every byte)
       json_strip_nulls(json_build_object(
           'event_id', e.id,
           'at', e.at,
           'subject', CASE WHEN e.household_id IS NOT NULL THEN 'household' ELSE 'parcel' END,
           'household_id', e.household_id,
           'parcel_id', e.parcel_id,
           'from', e.from_status,
           'to', e.to_status,
           'version', e.version,
           'reason', e.reason,
           'actor', e.actor,
           'project_id', p.id,
           -- the ticker names the project and the building or parcel by code (no personal data)
           'project_name', p.name,
           'building', CASE WHEN b.id IS NOT NULL THEN json_build_object('id', b.id, 'code', b.code, 'status', b.status, 'version', b.version) END,
           'parcel', CASE WHEN e.parcel_id IS NOT NULL THEN json_build_object('id', pa.id, 'code', pa.code, 'land_status', pa.land_status, 'version', pa.version) END,
           'figures', json_build_object(
               'project', (SELECT json_build_object('id', f.project_id, 'households', f.households, 'signed', f.signed,
                                                    'vacated', f.vacated, 'demolished', f.demolished,
                                                    'sign_rate', sign_rate(f.signed, f.households))
                             FROM project_figures f WHERE f.project_id = p.id),
               'regions', (SELECT json_agg(json_build_object('code', rr.code, 'level', rr.level, 'households', rf.households,
                                                             'signed', rf.signed, 'vacated', rf.vacated, 'demolished', rf.demolished,
                                                             'sign_rate', sign_rate(rf.signed, rf.households))
                                           ORDER BY rr.id DESC)
                             FROM regions rr JOIN region_figures rf ON rf.region_id = rr.id
                            WHERE rr.id = ANY (r.lineage)))
       ))::text AS payload,
       CASE WHEN b.id IS NOT NULL THEN ARRAY[ST_XMin(b.geom_3857), ST_YMin(b.geom_3857), ST_XMax(b.geom_3857), ST_YMax(b.geom_3857)] END AS building_box,
       CASE WHEN e.parcel_id IS NOT NULL THEN ARRAY[ST_XMin(pa.geom_3857), ST_YMin(pa.geom_3857), ST_XMax(pa.geom_3857), ST_YMax(pa.geom_3857)] END AS parcel_box,
       ARRAY[ST_XMin(p.geom_3857), ST_YMin(p.geom_3857), ST_XMax(p.geom_3857), ST_YMax(p.geom_3857)] AS project_box,
       (SELECT array_agg(v ORDER BY rr.id, i)
          FROM regions rr,
               unnest(ARRAY[ST_XMin(rr.geom_3857), ST_YMin(rr.geom_3857), ST_XMax(rr.geom_3857), ST_YMax(rr.geom_3857)]) WITH ORDINALITY AS u(v, i)
         WHERE rr.id = ANY (r.lineage)) AS region_boxes
  FROM status_events e
  LEFT JOIN households h ON h.id = e.household_id
  LEFT JOIN buildings b ON b.id = h.building_id
  LEFT JOIN parcels pa ON pa.id = e.parcel_id
  JOIN projects p ON p.id = coalesce(b.project_id, pa.project_id)
  JOIN regions r ON r.id = p.region_id
 WHERE e.id > $1
 ORDER BY e.id
 LIMIT $2
