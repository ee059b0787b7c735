-- Locks a household for a status write and returns its status, version and the lineage of
-- its project's region (for the operator's region check). $1 = household id.
-- It first joins the writers' queue (the event lock, see status::apply): the lock is taken
-- before the row lock, in the same round trip.
SELECT h.status::text AS status, h.version, r.lineage
  FROM households h
  CROSS JOIN (SELECT pg_advisory_xact_lock(writers_queue_lock())) AS writers_queue
  JOIN buildings b ON b.id = h.building_id
  JOIN projects p ON p.id = b.project_id
  JOIN regions r ON r.id = p.region_id
 WHERE h.id = $1
   FOR UPDATE OF h
