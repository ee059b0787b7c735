-- The projects in a region's subtree with their figures and boxes (lon/lat), for drill-down,
-- live or as they stood at the end of a past day.
-- Parameters: $1 = region id (integer), $2 = as-of day (date; NULL = live): signed is then
-- daily_figures summed up to that day, and the stage procedure_stage(project, day).
SELECT p.id, p.code, p.name, p.kind::text AS kind,
       (CASE WHEN $2::date IS NULL THEN p.stage ELSE procedure_stage(p.id, $2::date) END)::text AS stage,
       f.households::bigint, s.signed,
       sign_rate(s.signed, f.households)::float8 AS sign_rate,
       p.target_date,
       ARRAY[ST_XMin(p.geom), ST_YMin(p.geom), ST_XMax(p.geom), ST_YMax(p.geom)] AS bbox
  FROM projects p JOIN regions r ON r.id = p.region_id JOIN project_figures f ON f.project_id = p.id
  CROSS JOIN LATERAL (
      SELECT CASE WHEN $2::date IS NULL THEN f.signed::bigint
                  ELSE (SELECT coalesce(sum(d.signed), 0)::bigint FROM daily_figures d
                         WHERE d.project_id = p.id AND d.day <= $2::date) END AS signed) s
 WHERE $1 = ANY (r.lineage)
 ORDER BY s.signed::float / greatest(f.households, 1), p.id
