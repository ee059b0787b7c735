-- Live counts of every project, for the all-project gauges: the kept figures, the 7-day
-- signing (the last 7 days of daily_figures, by the day index) and the last day anything
-- happened (project_activity); the stage (projects.stage); budget, allocations and payments (project_funds);
-- open cases and, of them, those past their deadline now (from the open-case indexes).
-- Parameters: $1 = today (date, Beijing).
SELECT p.id, p.code, p.name, r.code AS region_code, p.target_date, p.stage::text AS stage,
       f.households::bigint, f.floor_area::float8, f.difficult::bigint, f.land_m2,
       f.surveyed::bigint, f.signed::bigint, f.vacated::bigint, f.demolished::bigint, f.monetary::bigint,
       f.land_acquired_m2, f.land_delivered_m2,
       coalesce(w.signed_7d, 0)::bigint AS signed_7d, m.last_day,
       p.budget_yuan::float8, fu.allocated_yuan::float8, fu.paid_yuan::float8,
       coalesce(k.open_cases, 0)::bigint AS open_cases, coalesce(k.overdue_cases, 0)::bigint AS overdue_cases
  FROM projects p
  JOIN project_funds fu ON fu.project_id = p.id
  JOIN regions r ON r.id = p.region_id
  JOIN project_figures f ON f.project_id = p.id
  LEFT JOIN (SELECT project_id, sum(signed) AS signed_7d FROM daily_figures
              WHERE day > $1::date - 7 AND day <= $1::date GROUP BY project_id) w ON w.project_id = p.id
  LEFT JOIN project_activity m ON m.project_id = p.id
  LEFT JOIN (SELECT project_id, count(*) AS open_cases, count(*) FILTER (WHERE due_at <= now()) AS overdue_cases
               FROM cases WHERE state = 'open' GROUP BY project_id) k ON k.project_id = p.id
 ORDER BY p.id
