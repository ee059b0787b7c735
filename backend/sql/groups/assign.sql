-- Gives households $2 (bigint[]) to group $1 (integer; NULL = to no group), by user $3, and
-- keeps the assignment history; answers, per group they came from, how many moved (a NULL
-- group_id: they were held by none). Households already where they are asked to be are left.
WITH target AS (
    SELECT h.id, h.group_id AS old
      FROM households h
     WHERE h.id = ANY ($2) AND h.group_id IS DISTINCT FROM $1::integer
       FOR UPDATE
), moved AS (
    UPDATE households h SET group_id = $1 FROM target t WHERE h.id = t.id RETURNING h.id, t.old
), logged AS (
    INSERT INTO work_group_assignments (household_id, group_id, user_id)
    SELECT id, $1, $3 FROM moved ORDER BY id
)
SELECT m.old AS group_id, g.name, count(*)::bigint AS households
  FROM moved m LEFT JOIN work_groups g ON g.id = m.old
 GROUP BY m.old, g.name
 ORDER BY m.old NULLS FIRST
