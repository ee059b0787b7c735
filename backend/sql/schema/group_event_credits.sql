-- Each household event with the group it counts for (group_holding at the event's time; NULL
-- when none held the household) and what it adds on its Beijing day: what the triggers add to
-- and move between groups' rows of group_daily_figures (one index probe per event).
CREATE OR REPLACE VIEW group_event_credits (event_id, household_id, at, group_id, held_since, assignment_id, day,
    surveyed, signed, vacated, demolished) AS
    SELECT e.id, e.household_id, e.at, held.group_id, held.held_since, held.assignment_id,
           (e.at AT TIME ZONE 'Asia/Shanghai')::date,
           stage_delta(e.from_status, e.to_status, 'surveyed'), stage_delta(e.from_status, e.to_status, 'signed'),
           stage_delta(e.from_status, e.to_status, 'vacated'), stage_delta(e.from_status, e.to_status, 'demolished')
      FROM status_events e
      LEFT JOIN LATERAL group_holding(e.household_id, e.at) held ON true
     WHERE e.household_id IS NOT NULL;
