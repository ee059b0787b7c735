-- Rankings of a period (一周一通报): streets or projects by the period's signed gain, with the
-- previous period of the same length beside it.
-- Parameters: $1 = level ('street' or 'project'), $2 = from (date), $3 = to (date, inclusive),
-- $4 = previous from, $5 = previous to. Gains are sums of daily_figures over the days.
-- Every street (or project) is ranked, those with no gain too; ties share a rank.
WITH units AS (
    SELECT s.code AS key, s.name, p.id AS project_id
      FROM projects p JOIN regions r ON r.id = p.region_id JOIN regions s ON s.id = ANY (r.lineage) AND s.level = 'street'
     WHERE $1 = 'street'
    UNION ALL
    SELECT p.id::text, p.name, p.id FROM projects p WHERE $1 = 'project'
), gains AS (
    SELECT u.key, u.name,
           coalesce(sum(d.signed) FILTER (WHERE d.day BETWEEN $2 AND $3), 0)::bigint AS gain_signed,
           coalesce(sum(d.vacated) FILTER (WHERE d.day BETWEEN $2 AND $3), 0)::bigint AS gain_vacated,
           coalesce(sum(d.demolished) FILTER (WHERE d.day BETWEEN $2 AND $3), 0)::bigint AS gain_demolished,
           coalesce(sum(d.signed) FILTER (WHERE d.day BETWEEN $4 AND $5), 0)::bigint AS previous_signed
      FROM units u LEFT JOIN daily_figures d ON d.project_id = u.project_id AND d.day BETWEEN $4 AND $3
     GROUP BY u.key, u.name
), totals AS (
    SELECT u.key, sum(f.households)::bigint AS households, sum(f.signed)::bigint AS signed
      FROM units u JOIN project_figures f ON f.project_id = u.project_id GROUP BY u.key
)
SELECT rank() OVER (ORDER BY g.gain_signed DESC)::integer AS rank,
       rank() OVER (ORDER BY g.previous_signed DESC)::integer AS previous_rank,
       g.key, g.name, g.gain_signed, g.gain_vacated, g.gain_demolished, g.previous_signed,
       sign_rate(t.signed, t.households)::float8 AS sign_rate
  FROM gains g LEFT JOIN totals t ON t.key = g.key
 ORDER BY rank, g.key
