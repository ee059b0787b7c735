-- Projects whose cases pile up (alert `cases_piling`): more open cases than $2, or $3 or more
-- opened than closed over the last 24 hours. Within region $1's subtree when given.
-- Parameters: $1 region id (NULL: everywhere), $2 open threshold, $3 growth threshold, $4 now.
SELECT p.id AS project_id, p.code AS project_code, p.name AS project_name, r.code AS region_code,
       k.open, k.opened - k.closed AS growth
  FROM (SELECT project_id,
               count(*) FILTER (WHERE state = 'open') AS open,
               count(*) FILTER (WHERE opened_at > $4 - interval '1 day') AS opened,
               count(*) FILTER (WHERE closed_at > $4 - interval '1 day') AS closed
          FROM cases
         WHERE state = 'open' OR closed_at > $4 - interval '1 day'
         GROUP BY project_id) k
  JOIN projects p ON p.id = k.project_id
  JOIN regions r ON r.id = p.region_id
 WHERE ($1::integer IS NULL OR $1 = ANY (r.lineage))
   AND (k.open > $2 OR k.opened - k.closed >= $3)
 ORDER BY k.open DESC, p.id
