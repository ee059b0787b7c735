-- Rankings of work groups over a period by the gains of the households they held: each status
-- event counts for the group that held its household at the event's time (the assignment
-- history), on the event's Beijing day, so a household handed on keeps its earlier events with
-- its earlier group. Parameters: $1 = from, $2 = to (dates, inclusive), $3 = previous from,
-- $4 = previous to, $5 = project id (bigint; NULL = every project), $6 = region id (integer;
-- NULL = the whole city): the projects whose region lies in that subtree.
-- Ranks as rankings.sql: by the period's signed gain, ties share a rank, a previous rank only
-- where the previous period signed anyone. The sign rate is that of the households the group
-- holds now, as it stood at the end of $2 (their signing since then taken back).
WITH groups AS (
    SELECT g.id, p.name || ' · ' || g.name AS name, p.code AS project, g.project_id
      FROM work_groups g JOIN projects p ON p.id = g.project_id JOIN regions r ON r.id = p.region_id
     WHERE ($5::bigint IS NULL OR g.project_id = $5) AND ($6::integer IS NULL OR $6::integer = ANY (r.lineage))
), sums AS (
    -- the kept daily gains (group_daily_figures: each event on its Beijing day, with the group
    -- that held its household then), both periods' rows in one read, summed per group first
    SELECT f.group_id,
           sum(f.surveyed) FILTER (WHERE f.day BETWEEN $1 AND $2) AS gain_surveyed,
           sum(f.signed) FILTER (WHERE f.day BETWEEN $1 AND $2) AS gain_signed,
           sum(f.vacated) FILTER (WHERE f.day BETWEEN $1 AND $2) AS gain_vacated,
           sum(f.demolished) FILTER (WHERE f.day BETWEEN $1 AND $2) AS gain_demolished,
           sum(f.signed) FILTER (WHERE f.day BETWEEN $3 AND $4) AS previous_signed
      FROM group_daily_figures f
     WHERE f.group_id IN (SELECT id FROM groups) AND f.day BETWEEN least($1::date, $3::date) AND greatest($2::date, $4::date)
     GROUP BY f.group_id
), gains AS (
    SELECT g.id, g.name, g.project,
           coalesce(s.gain_surveyed, 0)::bigint AS gain_surveyed, coalesce(s.gain_signed, 0)::bigint AS gain_signed,
           coalesce(s.gain_vacated, 0)::bigint AS gain_vacated, coalesce(s.gain_demolished, 0)::bigint AS gain_demolished,
           coalesce(s.previous_signed, 0)::bigint AS previous_signed
      FROM groups g LEFT JOIN sums s ON s.group_id = g.id
), signed_since AS (
    -- the signing since the period's end of the households each group holds now, taken back
    -- from the kept counts of now (group_holdings)
    SELECT h.group_id, sum(stage_delta(e.from_status, e.to_status, 'signed'))::bigint AS signed
      FROM status_events e JOIN households h ON h.id = e.household_id JOIN groups g ON g.id = h.group_id
     WHERE e.at >= ($2::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'
     GROUP BY h.group_id
)
SELECT rank() OVER (ORDER BY g.gain_signed DESC)::integer AS rank,
       CASE WHEN g.previous_signed > 0
            THEN rank() OVER (ORDER BY g.previous_signed DESC)::integer END AS previous_rank,
       -- the rows are the groups asked for: their ranks there are the ones the answer calls city-wide
       rank() OVER (ORDER BY g.gain_signed DESC)::integer AS city_rank,
       CASE WHEN g.previous_signed > 0
            THEN rank() OVER (ORDER BY g.previous_signed DESC)::integer END AS city_previous_rank,
       g.id::text AS key, g.name, g.project, g.gain_surveyed, g.gain_signed, g.gain_vacated, g.gain_demolished,
       g.previous_signed,
       sign_rate(n.signed - coalesce(s.signed, 0), n.households)::float8 AS sign_rate, NULL::text AS stage
  FROM gains g LEFT JOIN group_holdings n ON n.group_id = g.id LEFT JOIN signed_since s ON s.group_id = g.id
 ORDER BY rank, g.id
