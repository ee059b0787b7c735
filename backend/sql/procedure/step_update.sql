-- Writes a step's new values (version + 1) and appends the change to step_events, in the
-- caller's transaction. Parameters: $1 project id, $2 key, $3 state (text), $4 planned_start,
-- $5 planned_end, $6 actual_start, $7 actual_end, $8 responsible (user id), $9 note,
-- $10 waive_reason, $11 the user, $12 from state (text), $13 the event's reason.
WITH changed AS (
    UPDATE project_steps
       SET state = $3::step_state, planned_start = $4, planned_end = $5, actual_start = $6, actual_end = $7,
           responsible = $8, note = $9, waive_reason = $10, version = version + 1, updated_by = $11, updated_at = now()
     WHERE project_id = $1 AND key = $2
 RETURNING project_id, key, state, actual_start, actual_end, version
)
INSERT INTO step_events (project_id, key, from_state, to_state, actual_start, actual_end, reason, user_id)
SELECT project_id, key, $12::step_state, state, actual_start, actual_end, $13, $11 FROM changed
RETURNING (SELECT version FROM changed)
