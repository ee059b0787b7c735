-- Each project step with its template's rules and the dates they give (docs/procedure.md):
-- clock_start (the step's start, or the day the step it counts from was done), earliest_end
-- (min period: not done before), legal_due (max period), due_on (the earlier of the legal due
-- day and the planned end), and shown_state: a step's state or 'overdue' once due_on has passed
-- undone (Beijing today); a window's 'not_started', 'open' or 'closed'.
CREATE OR REPLACE VIEW project_steps_due AS
WITH today AS (SELECT (now() AT TIME ZONE 'Asia/Shanghai')::date AS day),
steps AS (
    SELECT ps.*, ts.seq, ts.name, ts.stage, ts.legal_basis, ts.produces, ts.min_period, ts.max_period, ts.period_unit,
           ts.clock_from, ts.is_window, ts.prerequisites, ts.published, ts.publishes, ts.opens, pp.template_id,
           CASE WHEN ts.clock_from IS NULL THEN ps.actual_start
                ELSE (SELECT c.actual_end FROM project_steps c
                       WHERE c.project_id = ps.project_id AND c.key = ts.clock_from AND c.state = 'done') END AS clock_start
      FROM project_steps ps
      JOIN project_procedures pp ON pp.project_id = ps.project_id
      JOIN procedure_template_steps ts ON ts.template_id = pp.template_id AND ts.key = ps.key
), dated AS (
    SELECT s.*, period_end(s.clock_start, s.min_period, s.period_unit) AS earliest_end,
           period_end(s.clock_start, s.max_period, s.period_unit) AS legal_due
      FROM steps s
)
SELECT d.*, least(d.legal_due, d.planned_end) AS due_on,
       CASE WHEN d.is_window THEN
                CASE WHEN d.clock_start IS NULL THEN 'not_started'
                     WHEN d.legal_due >= t.day THEN 'open' ELSE 'closed' END
            WHEN d.state IN ('done', 'waived') THEN d.state::text
            WHEN least(d.legal_due, d.planned_end) < t.day THEN 'overdue'
            ELSE d.state::text END AS shown_state
  FROM dated d, today t;
