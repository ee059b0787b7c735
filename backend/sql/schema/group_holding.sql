-- The group holding a household at a time: the household's latest assignment row at or before
-- it (ties by id), none when no row is or the row unassigns. Returns the row too, so a change of
-- the history can find the events a row credits. A SQL table function: inlined where used.
CREATE OR REPLACE FUNCTION group_holding(household bigint, at timestamptz)
RETURNS TABLE (group_id integer, held_since timestamptz, assignment_id bigint)
LANGUAGE sql STABLE AS $$
    SELECT w.group_id, w.from_at, w.id FROM work_group_assignments w
     WHERE w.household_id = household AND w.from_at <= at
     ORDER BY w.from_at DESC, w.id DESC
     LIMIT 1
$$;
