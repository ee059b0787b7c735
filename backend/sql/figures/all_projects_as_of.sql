-- Counts of every project as they stood at the end of a past day, in the shape of
-- all_projects.sql plus the project's region lineage (to roll regions up from projects).
-- Parameters: $1 = the day (date, Beijing). Stages and land from daily_figures up to the day;
-- households, floor area, difficult flags and land area are today's (as in scope.sql);
-- allocations received by the day and batches paid before its end; the stage at the day's end;
-- the cases open at the day's end, and of them those past their deadline then.
SELECT p.id, p.code, p.name, r.code AS region_code, r.lineage, p.target_date,
       procedure_stage(p.id, $1::date)::text AS stage,
       f.households::bigint, f.floor_area::float8, f.difficult::bigint, f.land_m2,
       coalesce(h.surveyed, 0)::bigint AS surveyed, coalesce(h.signed, 0)::bigint AS signed,
       coalesce(h.vacated, 0)::bigint AS vacated, coalesce(h.demolished, 0)::bigint AS demolished,
       coalesce(h.monetary, 0)::bigint AS monetary,
       coalesce(h.land_acquired_m2, 0)::float8 AS land_acquired_m2, coalesce(h.land_delivered_m2, 0)::float8 AS land_delivered_m2,
       coalesce(h.signed_7d, 0)::bigint AS signed_7d, h.last_day,
       p.budget_yuan::float8,
       (SELECT coalesce(sum(a.yuan), 0) FROM fund_allocations a
         WHERE a.project_id = p.id AND a.received_on <= $1::date)::float8 AS allocated_yuan,
       (SELECT coalesce(sum(b.yuan), 0) FROM payment_batches b
         WHERE b.project_id = p.id AND b.status = 'paid'
           AND b.paid_at < ($1::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')::float8 AS paid_yuan,
       coalesce(k.open_cases, 0)::bigint AS open_cases, coalesce(k.overdue_cases, 0)::bigint AS overdue_cases
  FROM projects p
  JOIN regions r ON r.id = p.region_id
  JOIN project_figures f ON f.project_id = p.id
  LEFT JOIN (SELECT project_id, sum(surveyed) AS surveyed, sum(signed) AS signed, sum(vacated) AS vacated,
                    sum(demolished) AS demolished, sum(monetary) AS monetary,
                    sum(land_acquired_m2) AS land_acquired_m2, sum(land_delivered_m2) AS land_delivered_m2,
                    sum(signed) FILTER (WHERE day > $1::date - 7) AS signed_7d, max(day) AS last_day
               FROM daily_figures WHERE day <= $1::date GROUP BY project_id) h ON h.project_id = p.id
  LEFT JOIN (SELECT c.project_id, count(*) AS open_cases, count(*) FILTER (WHERE c.due_at <= e.at) AS overdue_cases
               FROM (SELECT ($1::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai' AS at) e
               JOIN cases c ON c.opened_at < e.at AND (c.closed_at IS NULL OR c.closed_at >= e.at)
              GROUP BY c.project_id) k ON k.project_id = p.id
 ORDER BY p.id
