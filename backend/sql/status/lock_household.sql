-- Locks a household for a status write and returns its status, version and the lineage of
-- its project's region (for the operator's region check). $1 = household id.
SELECT h.status::text AS status, h.version, r.lineage
  FROM households h
  JOIN buildings b ON b.id = h.building_id
  JOIN projects p ON p.id = b.project_id
  JOIN regions r ON r.id = p.region_id
 WHERE h.id = $1
   FOR UPDATE OF h
