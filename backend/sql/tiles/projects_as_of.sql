-- Tile features of the `projects` layer as they stood at the end of a past day ($4, Beijing):
-- the stage then (procedure_stage: a step counts as done on its actual_end) and the households
-- signed, vacated and demolished by then (daily_figures up to the day, as all_projects_as_of.sql);
-- households and floor area are today's, as in every as-of figure.
-- Parameters: $1 = z, $2 = x, $3 = y, $4 = the day (date); CTE `tile` as in regions.sql.
SELECT p.id,
       p.code,
       p.name,
       p.kind::text AS kind,
       procedure_stage(p.id, $4::date)::text AS stage,
       r.code AS region_code,
       coalesce(f.households, 0) AS households,
       coalesce(h.signed, 0)::int AS signed,
       coalesce(h.vacated, 0)::int AS vacated,
       coalesce(h.demolished, 0)::int AS demolished,
       sign_rate(coalesce(h.signed, 0)::int, f.households)::float8 AS sign_rate,
       coalesce(f.floor_area, 0)::float8 AS floor_area,
       p.start_date::text AS start_date,
       p.target_date::text AS target_date,
       p.geom_3857
  FROM projects p
  JOIN tile ON p.geom_3857 && tile.search
  JOIN regions r ON r.id = p.region_id
  LEFT JOIN project_figures f ON f.project_id = p.id
  LEFT JOIN LATERAL (SELECT sum(d.signed) AS signed, sum(d.vacated) AS vacated, sum(d.demolished) AS demolished
                       FROM daily_figures d WHERE d.project_id = p.id AND d.day <= $4::date) h ON true
