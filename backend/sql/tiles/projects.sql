-- Tile features of the `projects` layer: project outlines with their gauge figures.
-- Parameters: $1 = z, $2 = x, $3 = y; CTE `tile` as in regions.sql; geometry EPSG:3857.
-- Figures come from project_figures (trigger-maintained), never from counting households here;
-- the stage from projects.stage (kept by project_steps_keep; a step event evicts the tiles).
SELECT p.id,
       p.code,
       p.name,
       p.kind::text AS kind,
       p.stage::text AS stage,
       r.code AS region_code,
       coalesce(f.households, 0) AS households,
       coalesce(f.signed, 0) AS signed,
       coalesce(f.vacated, 0) AS vacated,
       coalesce(f.demolished, 0) AS demolished,
       sign_rate(f.signed, f.households)::float8 AS sign_rate,
       coalesce(f.floor_area, 0)::float8 AS floor_area,
       p.start_date::text AS start_date,
       p.target_date::text AS target_date,
       p.geom_3857
  FROM projects p
  JOIN tile ON p.geom_3857 && tile.search
  JOIN regions r ON r.id = p.region_id
  LEFT JOIN project_figures f ON f.project_id = p.id
