-- Rankings of a period (一周一通报): streets or projects by the period's signed gain, with the
-- previous period of the same length beside it, city-wide or within one region's subtree.
-- Parameters: $1 = level ('street' or 'project'), $2 = from (date), $3 = to (date, inclusive),
-- $4 = previous from, $5 = previous to, $6 = region id (integer; NULL = the whole city).
-- Gains are sums of daily_figures over the days; the sign rate, and a project's procedure
-- stage, are as they stood at the end of $3.
-- Every street (or project) is ranked, those with no gain too; ties share a rank. Ranks are
-- taken city-wide first (city_rank), then again among the region's rows (rank). A previous
-- rank exists only where the previous period signed anyone: a tie of zeros is no rank.
WITH units AS (
    SELECT s.code AS key, s.name, p.id AS project_id, $6::integer IS NULL OR $6::integer = ANY (r.lineage) AS inside
      FROM projects p JOIN regions r ON r.id = p.region_id JOIN regions s ON s.id = ANY (r.lineage) AND s.level = 'street'
     WHERE $1 = 'street'
    UNION ALL
    SELECT p.id::text, p.name, p.id, $6::integer IS NULL OR $6::integer = ANY (r.lineage)
      FROM projects p JOIN regions r ON r.id = p.region_id WHERE $1 = 'project'
), gains AS (
    SELECT u.key, u.name, bool_or(u.inside) AS inside,
           coalesce(sum(d.surveyed) FILTER (WHERE d.day BETWEEN $2 AND $3), 0)::bigint AS gain_surveyed,
           coalesce(sum(d.signed) FILTER (WHERE d.day BETWEEN $2 AND $3), 0)::bigint AS gain_signed,
           coalesce(sum(d.vacated) FILTER (WHERE d.day BETWEEN $2 AND $3), 0)::bigint AS gain_vacated,
           coalesce(sum(d.demolished) FILTER (WHERE d.day BETWEEN $2 AND $3), 0)::bigint AS gain_demolished,
           coalesce(sum(d.signed) FILTER (WHERE d.day BETWEEN $4 AND $5), 0)::bigint AS previous_signed
      FROM units u LEFT JOIN daily_figures d ON d.project_id = u.project_id AND d.day BETWEEN $4 AND $3
     GROUP BY u.key, u.name
), signed_by_then AS (
    SELECT project_id, sum(signed) AS signed FROM daily_figures WHERE day <= $3 GROUP BY project_id
), totals AS (
    SELECT u.key, sum(f.households)::bigint AS households, coalesce(sum(s.signed), 0)::bigint AS signed
      FROM units u JOIN project_figures f ON f.project_id = u.project_id
      LEFT JOIN signed_by_then s ON s.project_id = u.project_id
     GROUP BY u.key
), city AS (
    SELECT g.*,
           rank() OVER (ORDER BY g.gain_signed DESC)::integer AS city_rank,
           CASE WHEN g.previous_signed > 0
                THEN rank() OVER (ORDER BY g.previous_signed DESC)::integer END AS city_previous_rank
      FROM gains g
)
SELECT rank() OVER (ORDER BY c.gain_signed DESC)::integer AS rank,
       CASE WHEN c.previous_signed > 0
            THEN rank() OVER (ORDER BY c.previous_signed DESC)::integer END AS previous_rank,
       c.city_rank, c.city_previous_rank,
       c.key, c.name, NULL::text AS project, c.gain_surveyed, c.gain_signed, c.gain_vacated, c.gain_demolished, c.previous_signed,
       sign_rate(t.signed, t.households)::float8 AS sign_rate,
       CASE WHEN $1 = 'project' THEN procedure_stage(c.key::bigint, $3)::text END AS stage
  FROM city c LEFT JOIN totals t ON t.key = c.key
 WHERE c.inside
 ORDER BY rank, c.key
