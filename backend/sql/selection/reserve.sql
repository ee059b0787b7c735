-- Reserves the units $1 that are still available, locking them in id order (two clerks choosing
-- overlapping sets cannot deadlock); returns the ids reserved. A unit's status is changed only
-- here and in confirm/release, so the inventory's trigger records each change.
WITH locked AS (
    SELECT id, status FROM estate_units WHERE id = ANY($1) ORDER BY id FOR UPDATE
)
UPDATE estate_units u SET status = 'reserved', status_at = now()
  FROM locked l
 WHERE u.id = l.id AND l.status = 'available'
RETURNING u.id
