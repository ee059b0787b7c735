-- The raw counts behind a scope's gauges: a set of projects (one project, or every project in
-- a region's subtree), live or as they stood at the end of a day.
-- Parameters: $1 = project ids (bigint[]), $2 = as-of day (date; NULL = live), $3 = today
-- (date, Beijing). Live counts come from project_figures (trigger-maintained); as-of counts
-- sum daily_figures up to $2. Households, floor area, difficult flags and land area are
-- today's: the demo and imports create households with their project, not later. Cases: open
-- at the moment (now, or the day's end) and, of them, past their deadline then.
WITH chosen AS (
    SELECT unnest($1::bigint[]) AS id
), live AS (
    SELECT coalesce(sum(households), 0)::bigint AS households, coalesce(sum(floor_area), 0)::float8 AS floor_area,
           coalesce(sum(surveyed), 0)::bigint AS surveyed, coalesce(sum(signed), 0)::bigint AS signed,
           coalesce(sum(vacated), 0)::bigint AS vacated, coalesce(sum(demolished), 0)::bigint AS demolished,
           coalesce(sum(monetary), 0)::bigint AS monetary, coalesce(sum(difficult), 0)::bigint AS difficult,
           coalesce(sum(land_m2), 0)::float8 AS land_m2, coalesce(sum(land_acquired_m2), 0)::float8 AS land_acquired_m2,
           coalesce(sum(land_delivered_m2), 0)::float8 AS land_delivered_m2
      FROM project_figures WHERE project_id IN (SELECT id FROM chosen)
), history AS (
    SELECT coalesce(sum(surveyed), 0)::bigint AS surveyed, coalesce(sum(signed), 0)::bigint AS signed,
           coalesce(sum(vacated), 0)::bigint AS vacated, coalesce(sum(demolished), 0)::bigint AS demolished,
           coalesce(sum(monetary), 0)::bigint AS monetary, coalesce(sum(land_acquired_m2), 0)::float8 AS land_acquired_m2,
           coalesce(sum(land_delivered_m2), 0)::float8 AS land_delivered_m2
      FROM daily_figures WHERE $2::date IS NOT NULL AND project_id IN (SELECT id FROM chosen) AND day <= $2::date
), recent AS (
    SELECT coalesce(sum(signed), 0)::bigint AS signed_7d
      FROM daily_figures
     WHERE project_id IN (SELECT id FROM chosen)
       AND day > coalesce($2::date, $3::date) - 7 AND day <= coalesce($2::date, $3::date)
), funds AS (
    -- budget; allocations and paid batches as they stood (received by, paid before the day's end)
    SELECT coalesce(sum(p.budget_yuan), 0)::float8 AS budget_yuan,
           coalesce(sum(CASE WHEN $2::date IS NULL THEN f.allocated_yuan
                             ELSE (SELECT coalesce(sum(a.yuan), 0) FROM fund_allocations a
                                    WHERE a.project_id = p.id AND a.received_on <= $2::date) END), 0)::float8 AS allocated_yuan,
           coalesce(sum(CASE WHEN $2::date IS NULL THEN f.paid_yuan
                             ELSE (SELECT coalesce(sum(b.yuan), 0) FROM payment_batches b
                                    WHERE b.project_id = p.id AND b.status = 'paid'
                                      AND b.paid_at < ($2::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai') END), 0)::float8 AS paid_yuan
      FROM projects p JOIN project_funds f ON f.project_id = p.id
     WHERE p.id IN (SELECT id FROM chosen)
), last_move AS (
    -- the last day anything happened: kept per project for live figures; for a past day,
    -- one index probe per project
    SELECT CASE WHEN $2::date IS NULL
                THEN (SELECT max(last_day) FROM project_activity WHERE project_id IN (SELECT id FROM chosen))
                ELSE (SELECT max(m.day) FROM chosen, LATERAL (SELECT max(day) AS day FROM daily_figures d
                                                               WHERE d.project_id = chosen.id AND d.day <= $2::date) m)
           END AS last_day
), case_counts AS (
    SELECT count(*)::bigint AS open_cases, count(*) FILTER (WHERE c.due_at <= m.at)::bigint AS overdue_cases
      FROM (SELECT CASE WHEN $2::date IS NULL THEN now()
                        ELSE ($2::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai' END AS at) m
      JOIN cases c ON c.opened_at < m.at AND (c.closed_at IS NULL OR c.closed_at >= m.at)
     WHERE c.project_id IN (SELECT id FROM chosen)
)
SELECT live.households, live.floor_area, live.difficult, live.land_m2,
       CASE WHEN $2::date IS NULL THEN live.surveyed ELSE history.surveyed END AS surveyed,
       CASE WHEN $2::date IS NULL THEN live.signed ELSE history.signed END AS signed,
       CASE WHEN $2::date IS NULL THEN live.vacated ELSE history.vacated END AS vacated,
       CASE WHEN $2::date IS NULL THEN live.demolished ELSE history.demolished END AS demolished,
       CASE WHEN $2::date IS NULL THEN live.monetary ELSE history.monetary END AS monetary,
       CASE WHEN $2::date IS NULL THEN live.land_acquired_m2 ELSE history.land_acquired_m2 END AS land_acquired_m2,
       CASE WHEN $2::date IS NULL THEN live.land_delivered_m2 ELSE history.land_delivered_m2 END AS land_delivered_m2,
       recent.signed_7d,
       last_move.last_day,
       funds.budget_yuan, funds.allocated_yuan, funds.paid_yuan,
       case_counts.open_cases, case_counts.overdue_cases
  FROM live, history, recent, last_move, funds, case_counts
