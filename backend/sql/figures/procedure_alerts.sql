-- Procedure alerts: steps overdue (due_on passed, not done or waived) and legal windows open
-- and closing within $3 days; now, or as things stood at the end of a past day, city-wide or
-- within one region's subtree. As project_steps_due computes them, but as of day $1: a step
-- counts done or waived if its actual_end is on or before $1, started if its actual_start is;
-- planned dates are today's (their changes are not kept) and a step reopened since $1 shows
-- undone (step_events would tell, but the stage and figures read the dates the same way).
-- Parameters: $1 = the day (date, Beijing), $2 = region id (integer; NULL = the whole city),
-- $3 = window days (integer).
WITH steps AS (
    SELECT p.id AS project_id, p.code AS project_code, p.name AS project_name, r.code AS region_code,
           ps.key, ts.name AS step_name, ts.seq, ts.is_window, ts.max_period, ts.period_unit, ps.planned_end,
           (ps.state IN ('done', 'waived') AND ps.actual_end <= $1) AS finished,
           CASE WHEN ts.clock_from IS NULL THEN (CASE WHEN ps.actual_start <= $1 THEN ps.actual_start END)
                ELSE (SELECT c.actual_end FROM project_steps c
                       WHERE c.project_id = ps.project_id AND c.key = ts.clock_from AND c.state = 'done'
                         AND c.actual_end <= $1) END AS clock_start
      FROM projects p
      JOIN regions r ON r.id = p.region_id
      JOIN project_procedures pp ON pp.project_id = p.id
      JOIN procedure_template_steps ts ON ts.template_id = pp.template_id
      JOIN project_steps ps ON ps.project_id = p.id AND ps.key = ts.key
     WHERE $2::integer IS NULL OR $2::integer = ANY (r.lineage)
), dated AS (
    SELECT s.*, period_end(s.clock_start, s.max_period, s.period_unit) AS legal_due FROM steps s
)
SELECT 'step_overdue' AS kind, project_id, project_code, project_name, region_code, key AS step_key, step_name,
       least(legal_due, planned_end) AS day, ($1 - least(legal_due, planned_end))::integer AS days
  FROM dated
 WHERE NOT is_window AND NOT finished AND least(legal_due, planned_end) < $1
UNION ALL
SELECT 'window_closing', project_id, project_code, project_name, region_code, key, step_name,
       legal_due, (legal_due - $1)::integer
  FROM dated
 WHERE is_window AND clock_start IS NOT NULL AND legal_due BETWEEN $1 AND $1 + $3
 ORDER BY 1, 9 DESC, 2, 7
