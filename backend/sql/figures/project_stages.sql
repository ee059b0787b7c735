-- Each project's stage (live, or at the end of a past day) with its households and its region
-- lineage, for the counts by stage of regions (backend/src/figures/stages.rs).
-- Parameters: $1 = project ids (bigint[]; NULL = every project), $2 = as-of day (date; NULL =
-- live: projects.stage, kept by project_steps_keep). Households are today's, as in scope.sql.
SELECT p.id, r.lineage,
       (CASE WHEN $2::date IS NULL THEN p.stage ELSE procedure_stage(p.id, $2::date) END)::text AS stage,
       coalesce(f.households, 0)::bigint AS households
  FROM projects p
  JOIN regions r ON r.id = p.region_id
  LEFT JOIN project_figures f ON f.project_id = p.id
 WHERE $1::bigint[] IS NULL OR p.id = ANY ($1::bigint[])
 ORDER BY p.id
