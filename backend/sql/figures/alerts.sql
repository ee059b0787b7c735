-- Projects that need a leader's attention: no progress for $1 days (stalled), or a 7-day
-- signing pace that cannot finish by the target date (behind_target); now, or as things stood
-- at the end of a past day, city-wide or within one region's subtree.
-- Parameters: $1 = stalled after this many days (integer), $2 = the day (date, Beijing: today,
-- or the past day), $3 = history (boolean: $2 is a past day, so signed and the last active
-- day are read from daily_figures up to it), $4 = region id (integer; NULL = the whole city).
-- Finished projects (every household signed) raise neither.
WITH state AS (
    SELECT p.id, p.name, p.target_date, r.code AS region_code, f.households, h.signed,
           h.last_day, coalesce(w.signed_7d, 0) AS signed_7d
      FROM projects p JOIN regions r ON r.id = p.region_id JOIN project_figures f ON f.project_id = p.id
      LEFT JOIN project_activity a ON a.project_id = p.id
      LEFT JOIN (SELECT project_id, sum(signed) AS signed_7d FROM daily_figures
                  WHERE day > $2 - 7 AND day <= $2 GROUP BY project_id) w ON w.project_id = p.id
      CROSS JOIN LATERAL (
          SELECT CASE WHEN $3 THEN (SELECT coalesce(sum(d.signed), 0) FROM daily_figures d
                                     WHERE d.project_id = p.id AND d.day <= $2) ELSE f.signed END AS signed,
                 CASE WHEN $3 THEN (SELECT max(d.day) FROM daily_figures d
                                     WHERE d.project_id = p.id AND d.day <= $2) ELSE a.last_day END AS last_day) h
     WHERE ($4::integer IS NULL OR $4::integer = ANY (r.lineage))
)
SELECT 'stalled' AS kind, id, name, region_code, last_day AS since, NULL::date AS projected, target_date
  FROM state WHERE signed < households AND (last_day IS NULL OR last_day <= $2 - $1)
UNION ALL
SELECT 'behind_target', id, name, region_code, NULL, CASE WHEN signed_7d > 0
           THEN $2 + ceil((households - signed) * 7.0 / signed_7d)::integer END, target_date
  FROM state
 WHERE signed < households
   AND (signed_7d = 0 AND target_date >= $2 AND last_day > $2 - $1
        OR signed_7d > 0 AND $2 + ceil((households - signed) * 7.0 / signed_7d)::integer > target_date)
ORDER BY 1, 2
