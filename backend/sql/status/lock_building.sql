-- Locks a building for a status write; status, version, region lineage. $1 = building id.
SELECT b.status::text AS status, b.version, r.lineage
  FROM buildings b
  JOIN projects p ON p.id = b.project_id
  JOIN regions r ON r.id = p.region_id
 WHERE b.id = $1
   FOR UPDATE OF b
