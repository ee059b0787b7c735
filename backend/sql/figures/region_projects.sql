-- The projects in a region's subtree with their figures and boxes (lon/lat), for drill-down.
-- Parameters: $1 = region id (integer).
SELECT p.id, p.code, p.name, p.kind::text AS kind, f.households::bigint, f.signed::bigint,
       sign_rate(f.signed, f.households)::float8 AS sign_rate,
       p.target_date,
       ARRAY[ST_XMin(p.geom), ST_YMin(p.geom), ST_XMax(p.geom), ST_YMax(p.geom)] AS bbox
  FROM projects p JOIN regions r ON r.id = p.region_id JOIN project_figures f ON f.project_id = p.id
 WHERE $1 = ANY (r.lineage)
 ORDER BY f.signed::float / greatest(f.households, 1), p.id
