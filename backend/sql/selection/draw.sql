-- The lottery's draw: places by sha256(seed ‖ ":" ‖ code) ascending, ties by code (bytewise).
-- $1 day id.
WITH ranked AS (
    SELECT household_id, row_number() OVER (ORDER BY lottery_key COLLATE "C", code COLLATE "C") AS place
      FROM selection_queue WHERE day_id = $1
)
UPDATE selection_queue q SET position = r.place FROM ranked r
 WHERE q.day_id = $1 AND q.household_id = r.household_id
