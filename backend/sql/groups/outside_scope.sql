-- The code of the first of households $2 (bigint[]) not held by a work group that user $1
-- leads or belongs to; no row when every one is held by one of theirs.
SELECT h.code
  FROM households h
 WHERE h.id = ANY ($2)
   AND NOT EXISTS (SELECT 1 FROM work_groups g
                    WHERE g.id = h.group_id
                      AND (g.leader_id = $1 OR EXISTS (SELECT 1 FROM work_group_members m
                                                        WHERE m.group_id = g.id AND m.user_id = $1)))
 ORDER BY h.code
 LIMIT 1
