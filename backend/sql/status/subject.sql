-- A status write's subject as it is now, without locks (status::one_statement checks a change
-- against it; the write itself rechecks status and version under the writers' queue): status,
-- version and the lineage of its project's region. $1 = 'household' | 'building' | 'parcel', $2 = id.
SELECT h.status::text AS status, h.version, r.lineage
  FROM households h
  JOIN buildings b ON b.id = h.building_id
  JOIN projects p ON p.id = b.project_id
  JOIN regions r ON r.id = p.region_id
 WHERE $1 = 'household' AND h.id = $2
 UNION ALL
SELECT b.status::text, b.version, r.lineage
  FROM buildings b
  JOIN projects p ON p.id = b.project_id
  JOIN regions r ON r.id = p.region_id
 WHERE $1 = 'building' AND b.id = $2
 UNION ALL
SELECT pa.land_status::text, pa.version, r.lineage
  FROM parcels pa
  JOIN projects p ON p.id = pa.project_id
  JOIN regions r ON r.id = p.region_id
 WHERE $1 = 'parcel' AND pa.id = $2
