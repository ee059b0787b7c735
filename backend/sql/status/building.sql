-- A building's status and version with its households' (no personal data): what a writer
-- reads before a status write. $1 = building id; no row when there is no such building.
SELECT json_build_object(
         'id', b.id, 'status', b.status, 'version', b.version, 'project_id', b.project_id,
         'households', (SELECT json_agg(json_build_object('id', h.id, 'status', h.status,
                                                          'version', h.version) ORDER BY h.id)
                          FROM households h WHERE h.building_id = b.id))
  FROM buildings b
 WHERE b.id = $1
