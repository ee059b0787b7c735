-- Everything the report says about the staged rows: ($1 project id, $2 repairing?, $3 the
-- CRS the file was read in, $4 buildings?). `action` is repaired (written as repaired) or
-- rejected (the import writes nothing).
WITH project AS (SELECT code, geom, geom::geography AS g FROM projects WHERE id = $1),
measured AS (
    SELECT i.*, ST_Area(i.geom::geography) AS area_m2, ST_Perimeter(i.geom::geography) AS perimeter_m,
           -- inside the project costs one prepared intersection; only the rest pay for a distance
           CASE WHEN ST_Intersects(i.geom, (SELECT geom FROM project)) THEN 0
                ELSE ST_Distance(i.geom::geography, (SELECT g FROM project)) END AS away_m
      FROM import_rows i
),
issues (row, code, problem, action) AS (
    SELECT row, code, 'no geometry', 'rejected' FROM measured WHERE wkb IS NULL
    UNION ALL
    SELECT row, code, format('a %s, not a polygon', kind), 'rejected' FROM measured WHERE kind NOT IN ('polygon', 'closed polyline')
    UNION ALL
    SELECT row, code, 'a closed polyline, read as a polygon', 'repaired' FROM measured WHERE kind = 'closed polyline'
    UNION ALL
    SELECT row, code, note, 'repaired' FROM measured, unnest(notes) AS note
    UNION ALL
    SELECT row, code, invalid || CASE WHEN NOT $2 THEN '' WHEN geom IS NULL THEN ': nothing left after repair' ELSE ': made valid' END,
           CASE WHEN $2 AND geom IS NOT NULL THEN 'repaired' ELSE 'rejected' END
      FROM measured WHERE invalid IS NOT NULL
    UNION ALL
    SELECT row, code, format('area %s m²: zero or a sliver', round(area_m2::numeric, 2)), 'rejected'
      FROM measured WHERE geom IS NOT NULL AND (area_m2 < 1 OR 4 * pi() * area_m2 / (perimeter_m * perimeter_m) < 0.01)
    UNION ALL
    SELECT row, code, format('lies %s km from project %s: is the CRS right? (read as %s)', round((away_m / 1000)::numeric, 1), (SELECT code FROM project), $3), 'rejected'
      FROM measured WHERE geom IS NOT NULL AND away_m > 2000
    UNION ALL
    SELECT row, code, 'no code (编码)', 'rejected' FROM measured WHERE coalesce(trim(code), '') = ''
    UNION ALL
    SELECT row, code, format('code %s is also in rows %s', code, (SELECT string_agg(o.row::text, ', ' ORDER BY o.row) FROM import_rows o WHERE o.code = m.code AND o.row <> m.row)), 'rejected'
      FROM measured m WHERE EXISTS (SELECT 1 FROM import_rows o WHERE o.code = m.code AND o.row <> m.row)
    UNION ALL
    SELECT row, code, format('outside every parcel of project %s', (SELECT code FROM project)), 'rejected'
      FROM measured WHERE $4 AND geom IS NOT NULL AND parcel_id IS NULL AND away_m <= 2000
    UNION ALL
    SELECT row, code, format('code %s belongs to project %s', code, owner), 'rejected' FROM measured WHERE owner IS NOT NULL
    UNION ALL
    SELECT row, code, format('a new building needs %s', concat_ws(' and ', CASE WHEN floors IS NULL THEN 'floors (层数)' END,
                                                                  CASE WHEN floor_area IS NULL THEN 'floor_area (建筑面积)' END)), 'rejected'
      FROM measured m WHERE $4 AND (floors IS NULL OR floor_area IS NULL) AND NOT EXISTS (SELECT 1 FROM buildings b WHERE b.code = m.code)
    UNION ALL
    SELECT row, code, 'a new parcel needs land_use (地类)', 'rejected'
      FROM measured m WHERE NOT $4 AND land_use IS NULL AND NOT EXISTS (SELECT 1 FROM parcels pa WHERE pa.code = m.code)
)
SELECT row, code, problem, action FROM issues ORDER BY row, action, problem
