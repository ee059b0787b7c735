-- The projects of the kept figure lists (figures/kept.rs): as all_projects.sql, plus what the
-- region roll-up sums in memory (region id and lineage, money in fen to add exactly) and the
-- deadlines of the open cases (overdue is counted as the clock passes them).
-- Parameters: $1 = today (date, Beijing), $2 = project ids (bigint[]; NULL = every project).
SELECT p.id, p.code, p.name, r.code AS region_code, r.lineage, p.target_date, p.stage::text AS stage,
       f.households::bigint, f.floor_area::float8, f.difficult::bigint, f.land_m2,
       f.surveyed::bigint, f.signed::bigint, f.vacated::bigint, f.demolished::bigint, f.monetary::bigint,
       f.land_acquired_m2, f.land_delivered_m2,
       coalesce(w.signed_7d, 0)::bigint AS signed_7d, m.last_day,
       p.budget_yuan::float8, fu.allocated_yuan::float8, fu.paid_yuan::float8,
       (p.budget_yuan * 100)::bigint AS budget_fen, (fu.allocated_yuan * 100)::bigint AS allocated_fen,
       (fu.paid_yuan * 100)::bigint AS paid_fen,
       coalesce(k.due, '{}') AS open_due
  FROM projects p
  JOIN project_funds fu ON fu.project_id = p.id
  JOIN regions r ON r.id = p.region_id
  JOIN project_figures f ON f.project_id = p.id
  LEFT JOIN (SELECT project_id, sum(signed) AS signed_7d FROM daily_figures
              WHERE day > $1::date - 7 AND day <= $1::date AND ($2::bigint[] IS NULL OR project_id = ANY ($2::bigint[]))
              GROUP BY project_id) w ON w.project_id = p.id
  LEFT JOIN project_activity m ON m.project_id = p.id
  LEFT JOIN (SELECT project_id, array_agg(due_at ORDER BY due_at) AS due FROM cases
              WHERE state = 'open' AND ($2::bigint[] IS NULL OR project_id = ANY ($2::bigint[]))
              GROUP BY project_id) k ON k.project_id = p.id
 WHERE $2::bigint[] IS NULL OR p.id = ANY ($2::bigint[])
 ORDER BY p.id
