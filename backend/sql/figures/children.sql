-- A region's children (the next level down) with their figures, for drill-down, live or as
-- they stood at the end of a past day (counts by stage are added in figures/regions.rs).
-- Parameters: $1 = region id (integer), $2 = as-of day (date; NULL = live). Live signed is the
-- kept region_figures; as of a day it is daily_figures summed up to it over the projects below
-- each child (households are today's, as in backend/sql/figures/scope.sql).
SELECT r.id, r.code, r.name, r.level::text AS level, f.households::bigint, s.signed,
       sign_rate(s.signed, f.households)::float8 AS sign_rate,
       f.projects::bigint
  FROM regions r JOIN region_figures f ON f.region_id = r.id
  CROSS JOIN LATERAL (
      SELECT CASE WHEN $2::date IS NULL THEN f.signed::bigint
                  ELSE (SELECT coalesce(sum(d.signed), 0)::bigint
                          FROM projects p JOIN regions pr ON pr.id = p.region_id
                          JOIN daily_figures d ON d.project_id = p.id AND d.day <= $2::date
                         WHERE r.id = ANY (pr.lineage)) END AS signed) s
 WHERE r.parent_id = $1
 ORDER BY r.code
