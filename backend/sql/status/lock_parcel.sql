-- Locks a parcel for a status write; land status, version, region lineage. $1 = parcel id.
SELECT pa.land_status::text AS status, pa.version, r.lineage
  FROM parcels pa
  JOIN projects p ON p.id = pa.project_id
  JOIN regions r ON r.id = p.region_id
 WHERE pa.id = $1
   FOR UPDATE OF pa
