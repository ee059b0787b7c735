-- Calls the first household waiting (by place) to clerk $2; SKIP LOCKED: two clerks calling at
-- once get two households. $1 day id.
UPDATE selection_queue q SET state = 'called', called_by = $2, called_at = now()
 WHERE (q.day_id, q.household_id) = (
        SELECT w.day_id, w.household_id FROM selection_queue w
         WHERE w.day_id = $1 AND w.state = 'waiting' AND w.position IS NOT NULL
         ORDER BY w.position LIMIT 1 FOR UPDATE SKIP LOCKED)
RETURNING q.household_id
