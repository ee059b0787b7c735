-- Daily gains of a set of projects over the last $2 days up to $3 (zeros on quiet days).
-- Parameters: $1 = project ids (bigint[]), $2 = days (integer), $3 = last day (date, Beijing).
SELECT g.day::date AS day,
       coalesce(sum(d.signed), 0)::bigint AS signed,
       coalesce(sum(d.vacated), 0)::bigint AS vacated,
       coalesce(sum(d.demolished), 0)::bigint AS demolished
  FROM generate_series($3::date - ($2 - 1), $3::date, interval '1 day') g(day)
  LEFT JOIN daily_figures d ON d.day = g.day::date AND d.project_id = ANY ($1::bigint[])
 GROUP BY g.day
 ORDER BY g.day
