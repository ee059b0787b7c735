-- Live counts of every region (the full roll-up): kept region figures, the 7-day signing of
-- the projects below each region, the last day anything happened below it, and its open and
-- overdue cases (counted now).
-- Parameters: $1 = today (date, Beijing).
WITH open_cases AS (
    SELECT project_id, count(*) AS open_cases, count(*) FILTER (WHERE due_at <= now()) AS overdue_cases
      FROM cases WHERE state = 'open' GROUP BY project_id
), week AS (
    SELECT project_id, sum(signed) AS signed_7d FROM daily_figures
     WHERE day > $1::date - 7 AND day <= $1::date GROUP BY project_id
), per_region AS (
    SELECT x AS region_id, sum(w.signed_7d)::bigint AS signed_7d, max(a.last_day) AS last_day,
           sum(p.budget_yuan)::float8 AS budget_yuan, sum(fu.allocated_yuan)::float8 AS allocated_yuan,
           sum(fu.paid_yuan)::float8 AS paid_yuan,
           sum(k.open_cases)::bigint AS open_cases, sum(k.overdue_cases)::bigint AS overdue_cases
      FROM projects p JOIN regions r ON r.id = p.region_id
      JOIN project_funds fu ON fu.project_id = p.id
      LEFT JOIN week w ON w.project_id = p.id
      LEFT JOIN project_activity a ON a.project_id = p.id
      LEFT JOIN open_cases k ON k.project_id = p.id,
      unnest(r.lineage) x
     GROUP BY x
)
SELECT r.id, r.code, r.name, r.level::text AS level, parent.code AS parent_code,
       f.households::bigint, f.floor_area::float8, f.difficult::bigint, f.land_m2,
       f.surveyed::bigint, f.signed::bigint, f.vacated::bigint, f.demolished::bigint, f.monetary::bigint,
       f.land_acquired_m2, f.land_delivered_m2,
       coalesce(pr.signed_7d, 0)::bigint AS signed_7d, pr.last_day,
       coalesce(pr.budget_yuan, 0) AS budget_yuan, coalesce(pr.allocated_yuan, 0) AS allocated_yuan,
       coalesce(pr.paid_yuan, 0) AS paid_yuan,
       coalesce(pr.open_cases, 0)::bigint AS open_cases, coalesce(pr.overdue_cases, 0)::bigint AS overdue_cases
  FROM regions r
  JOIN region_figures f ON f.region_id = r.id
  LEFT JOIN regions parent ON parent.id = r.parent_id
  LEFT JOIN per_region pr ON pr.region_id = r.id
 ORDER BY r.level, r.code
