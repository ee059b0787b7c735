-- Each collection's extent in CRS84 (id, west, south, east, north; NULLs when it is empty),
-- cheap at any scale: the small tables (regions, projects, estates) exactly; parcels and buildings from
-- the planner's statistics (a box a little larger than the data) joined with the outlines of
-- the projects holding them, so features imported since the last ANALYZE stay inside; exactly
-- while a table has no statistics yet.
WITH estimated AS (
    SELECT ST_EstimatedExtent('parcels', 'geom')::geometry AS parcels,
           ST_EstimatedExtent('buildings', 'geom')::geometry AS buildings
), boxes AS (
    SELECT 'regions' AS id, (SELECT ST_Extent(geom) FROM regions)::geometry AS e
    UNION ALL
    SELECT 'projects', (SELECT ST_Extent(geom) FROM projects)::geometry
    UNION ALL
    SELECT 'estates', (SELECT ST_Extent(geom) FROM estates)::geometry
    UNION ALL
    SELECT 'parcels', CASE WHEN estimated.parcels IS NULL THEN (SELECT ST_Extent(geom) FROM parcels)::geometry
        ELSE (SELECT ST_Extent(b) FROM (SELECT estimated.parcels AS b UNION ALL
                SELECT p.geom FROM projects p WHERE EXISTS (SELECT 1 FROM parcels x WHERE x.project_id = p.id)) s)::geometry END
      FROM estimated
    UNION ALL
    SELECT 'buildings', CASE WHEN estimated.buildings IS NULL THEN (SELECT ST_Extent(geom) FROM buildings)::geometry
        ELSE (SELECT ST_Extent(b) FROM (SELECT estimated.buildings AS b UNION ALL
                SELECT p.geom FROM projects p WHERE EXISTS (SELECT 1 FROM buildings x WHERE x.project_id = p.id)) s)::geometry END
      FROM estimated
)
SELECT id, ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM boxes
