-- The first day a step may be done when it started on $4: its min period counted from its clock
-- start, as project_steps_due counts it (its own start, or the day its clock_from step was done).
-- Parameters: $1 = project id, $2 = clock_from key (NULL: the step's own start), $3 = min period
-- (NULL: none), $4 = the step's start day, $5 = period unit (text).
SELECT period_end(CASE WHEN $2::text IS NULL THEN $4::date
                       ELSE (SELECT c.actual_end FROM project_steps c
                              WHERE c.project_id = $1 AND c.key = $2 AND c.state = 'done') END,
                  $3::integer, $5::period_unit)
