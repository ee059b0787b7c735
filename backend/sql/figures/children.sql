-- A region's children (the next level down) with their figures, for drill-down.
-- Parameters: $1 = region id (integer).
SELECT r.code, r.name, r.level::text AS level, f.households::bigint, f.signed::bigint,
       sign_rate(f.signed, f.households)::float8 AS sign_rate,
       f.projects::bigint
  FROM regions r JOIN region_figures f ON f.region_id = r.id
 WHERE r.parent_id = $1
 ORDER BY r.code
