-- Everything the report says about the staged rows: ($1 project id, $2 repairing?, $3 the
-- CRS the file was read in, $4 buildings?). `action` is repaired (written as repaired) or
-- rejected (the import writes nothing); `reason` is the error code (backend/src/error/codes.rs)
-- the pages word, with the values of its slots.
WITH project AS (SELECT code, geom, geom::geography AS g FROM projects WHERE id = $1),
measured AS (
    SELECT i.*, ST_Area(i.geom::geography) AS area_m2, ST_Perimeter(i.geom::geography) AS perimeter_m,
           -- inside the project costs one prepared intersection; only the rest pay for a distance
           CASE WHEN ST_Intersects(i.geom, (SELECT geom FROM project)) THEN 0
                ELSE ST_Distance(i.geom::geography, (SELECT g FROM project)) END AS away_m
      FROM import_rows i
),
issues (row, code, problem, action, reason, vals) AS (
    SELECT row, code, 'no geometry', 'rejected', 'row_no_geometry', '{}'::jsonb FROM measured WHERE wkb IS NULL
    UNION ALL
    SELECT row, code, format('a %s, not a polygon', kind), 'rejected', 'row_not_polygon', jsonb_build_object('kind', kind)
      FROM measured WHERE kind NOT IN ('polygon', 'closed polyline')
    UNION ALL
    SELECT row, code, 'a closed polyline, read as a polygon', 'repaired', 'row_closed_polyline', '{}' FROM measured WHERE kind = 'closed polyline'
    UNION ALL
    SELECT row, code, note, 'repaired', CASE WHEN note = 'unclosed ring closed' THEN 'row_ring_closed' ELSE 'import_row' END, '{}'
      FROM measured, unnest(notes) AS note
    UNION ALL
    -- PostGIS's reason is English ("Self-intersection[120.1 30.2]"): the pages get its place only
    SELECT row, code, invalid || CASE WHEN NOT $2 THEN '' WHEN geom IS NULL THEN ': nothing left after repair' ELSE ': made valid' END,
           CASE WHEN $2 AND geom IS NOT NULL THEN 'repaired' ELSE 'rejected' END,
           CASE WHEN NOT $2 THEN 'row_invalid_geometry' WHEN geom IS NULL THEN 'row_nothing_left' ELSE 'row_repaired' END,
           jsonb_build_object('at', coalesce(substring(invalid FROM '\[(.*)\]'), '—'))
      FROM measured WHERE invalid IS NOT NULL
    UNION ALL
    SELECT row, code, format('area %s m²: zero or a sliver', round(area_m2::numeric, 2)), 'rejected',
           'row_sliver', jsonb_build_object('area', round(area_m2::numeric, 2))
      FROM measured WHERE geom IS NOT NULL AND (area_m2 < 1 OR 4 * pi() * area_m2 / (perimeter_m * perimeter_m) < 0.01)
    UNION ALL
    SELECT row, code, format('lies %s km from project %s: is the CRS right? (read as %s)', round((away_m / 1000)::numeric, 1), (SELECT code FROM project), $3), 'rejected',
           'row_far_away', jsonb_build_object('km', round((away_m / 1000)::numeric, 1), 'project', (SELECT code FROM project), 'crs', $3)
      FROM measured WHERE geom IS NOT NULL AND away_m > 2000
    UNION ALL
    SELECT row, code, 'no code (编码)', 'rejected', 'row_no_code', '{}' FROM measured WHERE coalesce(trim(code), '') = ''
    UNION ALL
    SELECT row, code, format('code %s is also in rows %s', code, others), 'rejected', 'row_code_repeated', jsonb_build_object('code', code, 'rows', others)
      FROM (SELECT * FROM measured m WHERE EXISTS (SELECT 1 FROM import_rows o WHERE o.code = m.code AND o.row <> m.row)) m,
           LATERAL (SELECT string_agg(o.row::text, ', ' ORDER BY o.row) AS others FROM import_rows o WHERE o.code = m.code AND o.row <> m.row) x
    UNION ALL
    SELECT row, code, format('outside every parcel of project %s', (SELECT code FROM project)), 'rejected',
           'row_outside_parcels', jsonb_build_object('project', (SELECT code FROM project))
      FROM measured WHERE $4 AND geom IS NOT NULL AND parcel_id IS NULL AND away_m <= 2000
    UNION ALL
    SELECT row, code, format('code %s belongs to project %s', code, owner), 'rejected',
           'row_code_other_project', jsonb_build_object('code', code, 'project', owner) FROM measured WHERE owner IS NOT NULL
    UNION ALL
    SELECT row, code, format('a new building needs %s', concat_ws(' and ', CASE WHEN floors IS NULL THEN 'floors (层数)' END,
                                                                  CASE WHEN floor_area IS NULL THEN 'floor_area (建筑面积)' END)), 'rejected',
           'row_building_needs', jsonb_build_object('fields', concat_ws('、', CASE WHEN floors IS NULL THEN '层数' END,
                                                                        CASE WHEN floor_area IS NULL THEN '建筑面积' END))
      FROM measured m WHERE $4 AND (floors IS NULL OR floor_area IS NULL) AND NOT EXISTS (SELECT 1 FROM buildings b WHERE b.code = m.code)
    UNION ALL
    SELECT row, code, 'a new parcel needs land_use (地类)', 'rejected', 'row_parcel_needs_land_use', '{}'
      FROM measured m WHERE NOT $4 AND land_use IS NULL AND NOT EXISTS (SELECT 1 FROM parcels pa WHERE pa.code = m.code)
)
SELECT row, code, problem, action, reason, vals || jsonb_build_object('row', row) FROM issues ORDER BY row, action, problem
