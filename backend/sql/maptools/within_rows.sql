-- The buildings a drawn boundary holds, one row each by code, for the XLSX download (the same
-- rule as within.sql: the building's point on its surface lies inside).
-- Parameters: $1 the boundary as GeoJSON (EPSG:4326, checked by boundary.sql), $2 most rows.
WITH boundary AS (
    SELECT g AS geom, ST_Transform(g, 3857) AS geom_3857 FROM (SELECT ST_SetSRID(ST_GeomFromGeoJSON($1), 4326) AS g) s
)
SELECT b.code, p.code, p.name, b.status::text, b.households, b.floor_area::float8, b.floors, b.use, b.legality
  FROM buildings b JOIN projects p ON p.id = b.project_id, boundary
 WHERE b.geom_3857 && boundary.geom_3857 AND ST_Intersects(boundary.geom, ST_PointOnSurface(b.geom))
 ORDER BY b.code
 LIMIT $2
