-- Everything the report says about the staged rows: ($1 project id, $2 repairing?, $3 the
-- CRS the file was read in, $4 buildings?). `action` is repaired (written as repaired),
-- warning (written; the report says what looks odd) or rejected (the row is not written; nor
-- is anything else unless the import accepts the valid rows); `reason` is the error code
-- (backend/src/error/codes.rs) the pages word, with the values of its slots.
WITH project AS (SELECT code, geom, geom::geography AS g, ST_Area(geom::geography) AS m2 FROM projects WHERE id = $1),
-- a projected CRS's EPSG code, for the feet-or-metres check
source AS (SELECT CASE WHEN $3 ~ '^EPSG:[0-9]+$' THEN substring($3 FROM 6)::int END AS srid),
projected AS (
    SELECT s.srid FROM source s JOIN spatial_ref_sys r ON r.srid = s.srid WHERE r.proj4text LIKE '%+proj=%' AND r.proj4text NOT LIKE '%+proj=longlat%'
),
measured AS (
    SELECT i.*, ST_Area(i.geom::geography) AS area_m2, ST_Perimeter(i.geom::geography) AS perimeter_m,
           -- inside the project costs one prepared intersection; only the rest pay for a distance
           CASE WHEN ST_Intersects(i.geom, (SELECT geom FROM project)) THEN 0
                ELSE ST_Distance(i.geom::geography, (SELECT g FROM project)) END AS away_m
      FROM import_rows i
),
-- what a far row would be if its coordinates were swapped, or feet read as metres (or the reverse)
far AS (
    SELECT m.row,
           CASE WHEN ST_DWithin(ST_FlipCoordinates(m.geom)::geography, (SELECT g FROM project), 2000) THEN 'swapped'
                WHEN EXISTS (SELECT 1 FROM projected pr, unnest(ARRAY[0.3048, 1 / 0.3048]) AS f
                              WHERE ST_DWithin(ST_Scale(ST_Transform(m.geom, pr.srid), f, f), ST_Transform((SELECT geom FROM project), pr.srid), 2000))
                     THEN 'feet' END AS hint
      FROM measured m WHERE m.geom IS NOT NULL AND m.away_m > 2000
),
-- the file's typical area, for rows far from it
typical AS (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY area_m2) AS m2, count(*) AS n FROM measured WHERE geom IS NOT NULL),
-- the first row of each outline (within 1e-8°, about 1 mm; any start vertex or ring direction)
outline AS (
    SELECT row, min(row) OVER (PARTITION BY md5(ST_AsBinary(ST_Normalize(ST_SnapToGrid(geom, 1e-8))))) AS first
      FROM measured WHERE geom IS NOT NULL
),
-- parcels: how much of each lies in other projects' parcels (index on geom_3857)
overlap AS (
    SELECT m.row, m.area_m2, o.m2, o.projects
      FROM measured m,
           LATERAL (SELECT sum(ST_Area(ST_Intersection(pa.geom, m.geom)::geography)) AS m2, string_agg(DISTINCT p.code, ', ') AS projects
                      FROM parcels pa JOIN projects p ON p.id = pa.project_id
                     WHERE pa.project_id <> $1 AND pa.geom_3857 && ST_Transform(m.geom, 3857) AND ST_Intersects(pa.geom, m.geom)) o
     WHERE NOT $4 AND m.geom IS NOT NULL AND m.away_m <= 2000 AND o.m2 >= 1
),
-- buildings: how much of each lies outside the parcel its point on surface is in
crossing AS (
    SELECT m.row, m.area_m2, ST_Area(ST_Difference(m.geom, pa.geom)::geography) AS m2
      FROM measured m JOIN parcels pa ON pa.id = m.parcel_id
     WHERE $4 AND NOT ST_Covers(pa.geom, m.geom)
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
      FROM measured m WHERE geom IS NOT NULL AND away_m > 2000 AND NOT EXISTS (SELECT 1 FROM far f WHERE f.row = m.row AND f.hint IS NOT NULL)
    UNION ALL
    SELECT m.row, m.code, 'latitude and longitude look swapped: x is the longitude (经度), y the latitude', 'rejected', 'row_axes_swapped', '{}'
      FROM measured m JOIN far f ON f.row = m.row AND f.hint = 'swapped'
    UNION ALL
    SELECT m.row, m.code, format('lies %s km from project %s, but feet read as metres (or metres as feet) would put it there (read as %s)',
                                 round((away_m / 1000)::numeric, 1), (SELECT code FROM project), $3), 'rejected',
           'row_units_feet', jsonb_build_object('crs', $3)
      FROM measured m JOIN far f ON f.row = m.row AND f.hint = 'feet'
    UNION ALL
    SELECT row, code, format('area %s m² is larger than all of project %s (%s m²)', round(area_m2::numeric), (SELECT code FROM project), round((SELECT m2 FROM project)::numeric)),
           'rejected', 'row_larger_than_project',
           jsonb_build_object('area', round(area_m2::numeric), 'project', (SELECT code FROM project), 'project_area', round((SELECT m2 FROM project)::numeric))
      FROM measured WHERE geom IS NOT NULL AND area_m2 > (SELECT m2 FROM project)
    UNION ALL
    -- 50 times the file's median either way: a district among houses, a fence post among parcels
    SELECT row, code, format('area %s m² is unlike the file''s (median %s m²)', round(area_m2::numeric), round(t.m2::numeric)), 'warning',
           'row_area_unlike_file', jsonb_build_object('area', round(area_m2::numeric), 'median', round(t.m2::numeric))
      FROM measured, typical t
     WHERE geom IS NOT NULL AND t.n >= 10 AND (area_m2 > 50 * t.m2 OR area_m2 * 50 < t.m2)
       AND area_m2 >= 1 AND area_m2 <= (SELECT m2 FROM project)
    UNION ALL
    SELECT m.row, m.code, format('the same outline as row %s', o.first), 'rejected', 'row_duplicate_geometry', jsonb_build_object('rows', o.first)
      FROM measured m JOIN outline o ON o.row = m.row AND o.first <> m.row
    UNION ALL
    -- a tenth of the parcel in another project's would count its land twice: rejected; less, a drawing's slack: a warning
    SELECT m.row, m.code, format('%s m² (%s%%) lies in parcels of project %s', round(o.m2::numeric), round((100 * o.m2 / o.area_m2)::numeric), o.projects),
           CASE WHEN o.m2 >= 0.1 * o.area_m2 THEN 'rejected' ELSE 'warning' END, 'row_overlaps_other_project',
           jsonb_build_object('area', round(o.m2::numeric), 'share', round((100 * o.m2 / o.area_m2)::numeric), 'projects', o.projects)
      FROM measured m JOIN overlap o ON o.row = m.row
    UNION ALL
    SELECT m.row, m.code, format('%s m² (%s%%) lies outside its parcel', round(c.m2::numeric), round((100 * c.m2 / c.area_m2)::numeric)), 'warning',
           'row_crosses_parcel', jsonb_build_object('area', round(c.m2::numeric), 'share', round((100 * c.m2 / c.area_m2)::numeric))
      FROM measured m JOIN crossing c ON c.row = m.row WHERE c.m2 >= 1 AND c.m2 >= 0.05 * c.area_m2
    UNION ALL
    -- 建筑面积 about 10.76 times the footprint on every floor: square feet, not square metres
    SELECT row, code, format('floor area %s is %s times the footprint on each of its %s floors: square feet?', floor_area, round((floor_area / (area_m2 * floors))::numeric, 1), floors),
           'warning', 'row_floor_area_square_feet', jsonb_build_object('ratio', round((floor_area / (area_m2 * floors))::numeric, 1))
      FROM measured WHERE $4 AND geom IS NOT NULL AND area_m2 >= 1 AND floors IS NOT NULL AND floor_area IS NOT NULL
       AND floor_area / (area_m2 * floors) BETWEEN 8 AND 14
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
    -- a value refused (层数 3.5) is reported as such, not again as missing
    SELECT row, code, format('a new building needs %s', concat_ws(' and ', CASE WHEN floors_missing THEN 'floors (层数)' END,
                                                                  CASE WHEN area_missing THEN 'floor_area (建筑面积)' END)), 'rejected',
           'row_building_needs', jsonb_build_object('fields', concat_ws('、', CASE WHEN floors_missing THEN '层数' END,
                                                                        CASE WHEN area_missing THEN '建筑面积' END))
      FROM (SELECT m.*, floors IS NULL AND NOT 'floors' = ANY(refused) AS floors_missing,
                   floor_area IS NULL AND NOT 'floor_area' = ANY(refused) AS area_missing FROM measured m) m
     WHERE $4 AND (floors_missing OR area_missing) AND NOT EXISTS (SELECT 1 FROM buildings b WHERE b.code = m.code)
    UNION ALL
    SELECT row, code, 'a new parcel needs land_use (地类)', 'rejected', 'row_parcel_needs_land_use', '{}'
      FROM measured m WHERE NOT $4 AND land_use IS NULL AND NOT 'land_use' = ANY(refused)
       AND NOT EXISTS (SELECT 1 FROM parcels pa WHERE pa.code = m.code)
)
SELECT row, code, problem, action, reason, vals || jsonb_build_object('row', row) FROM issues ORDER BY row, action, problem
