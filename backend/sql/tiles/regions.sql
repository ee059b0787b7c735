-- Tile features of the `regions` layer: the region tree with its roll-up figures.
-- Parameters: $1 = z, $2 = x, $3 = y. Runs inside the tile wrapper (backend/src/tiles/query.rs),
-- which defines the CTE `tile` (envelope = the tile in EPSG:3857, search = envelope plus the
-- 64/4096 buffer). Output columns: id, the layer's fields, geom_3857 (EPSG:3857).
-- Communities only from z10: below that they are specks and would only add bytes.
SELECT r.id,
       r.code,
       r.name,
       r.level::text AS level,
       parent.code AS parent_code,
       coalesce(f.households, 0) AS households,
       coalesce(f.signed, 0) AS signed,
       sign_rate(f.signed, f.households)::float8 AS sign_rate,
       coalesce(f.projects, 0) AS projects,
       r.geom_3857
  FROM regions r
  JOIN tile ON r.geom_3857 && tile.search
  LEFT JOIN regions parent ON parent.id = r.parent_id
  LEFT JOIN region_figures f ON f.region_id = r.id
 WHERE $1 >= 10 OR r.level <> 'community'
