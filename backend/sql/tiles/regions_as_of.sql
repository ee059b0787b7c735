-- Tile features of the `regions` layer with their roll-ups as they stood at the end of a past
-- day: signed households summed from daily_figures up to $4 over the projects below each
-- region (households are today's, as in the as-of gauges, backend/sql/figures/scope.sql).
-- Parameters: $1 = z, $2 = x, $3 = y, $4 = the day (date); CTE `tile` as in regions.sql.
SELECT r.id,
       r.code,
       r.name,
       r.level::text AS level,
       parent.code AS parent_code,
       coalesce(f.households, 0) AS households,
       coalesce(h.signed, 0) AS signed,
       sign_rate(coalesce(h.signed, 0), f.households)::float8 AS sign_rate,
       coalesce(f.projects, 0) AS projects,
       r.geom_3857
  FROM regions r
  JOIN tile ON r.geom_3857 && tile.search
  LEFT JOIN regions parent ON parent.id = r.parent_id
  LEFT JOIN region_figures f ON f.region_id = r.id
  LEFT JOIN LATERAL (
      SELECT sum(d.signed)::bigint AS signed
        FROM projects p JOIN regions pr ON pr.id = p.region_id
        JOIN daily_figures d ON d.project_id = p.id AND d.day <= $4::date
       WHERE r.id = ANY (pr.lineage)) h ON true
 WHERE $1 >= 10 OR r.level <> 'community'
