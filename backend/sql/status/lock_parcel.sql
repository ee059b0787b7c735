-- Locks a parcel for a status write; land status, version, region lineage. $1 = parcel id.
-- It first joins the writers' queue (the event lock, see status::apply): the lock is taken
-- before the row lock, in the same round trip.
SELECT pa.land_status::text AS status, pa.version, r.lineage
  FROM parcels pa
  CROSS JOIN (SELECT pg_advisory_xact_lock(writers_queue_lock())) AS writers_queue
  JOIN projects p ON p.id = pa.project_id
  JOIN regions r ON r.id = p.region_id
 WHERE pa.id = $1
   FOR UPDATE OF pa
