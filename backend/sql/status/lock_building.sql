-- Locks a building for a status write; status, version, region lineage. $1 = building id.
-- It first joins the writers' queue (the event lock, see status::apply): the lock is taken
-- before the row lock, in the same round trip.
SELECT b.status::text AS status, b.version, r.lineage
  FROM buildings b
  CROSS JOIN (SELECT pg_advisory_xact_lock(writers_queue_lock())) AS writers_queue
  JOIN projects p ON p.id = b.project_id
  JOIN regions r ON r.id = p.region_id
 WHERE b.id = $1
   FOR UPDATE OF b
