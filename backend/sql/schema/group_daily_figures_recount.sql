-- The groups' daily net gains counted from the events and the assignment history in bulk:
-- each assignment row holds its household from its time to the next row's (ties by id, as
-- group_holding() decides), and an event counts for the span it falls in. recount_group_figures()
-- copies it into the kept table; a test compares the kept table with it.
CREATE OR REPLACE VIEW group_daily_figures_recount (group_id, day, surveyed, signed, vacated, demolished) AS
    SELECT s.group_id, (e.at AT TIME ZONE 'Asia/Shanghai')::date,
           sum(stage_delta(e.from_status, e.to_status, 'surveyed'))::integer,
           sum(stage_delta(e.from_status, e.to_status, 'signed'))::integer,
           sum(stage_delta(e.from_status, e.to_status, 'vacated'))::integer,
           sum(stage_delta(e.from_status, e.to_status, 'demolished'))::integer
      FROM status_events e
      JOIN (SELECT w.household_id, w.group_id, w.from_at AS since,
                   lead(w.from_at) OVER (PARTITION BY w.household_id ORDER BY w.from_at, w.id) AS until
              FROM work_group_assignments w) s
        ON s.household_id = e.household_id AND e.at >= s.since AND (s.until IS NULL OR e.at < s.until)
     WHERE s.group_id IS NOT NULL
     GROUP BY s.group_id, (e.at AT TIME ZONE 'Asia/Shanghai')::date;
