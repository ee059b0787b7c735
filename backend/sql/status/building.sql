-- A building's status and version with its households' (codes, no personal data), each with
-- the last event that moved it (who, when, from what, why): what a writer reads before a
-- status write, and what a stale write shows. $1 = building id; no row when there is none.
SELECT json_build_object(
         'id', b.id, 'code', b.code, 'status', b.status, 'version', b.version,
         'project_id', b.project_id, 'project_code', p.code, 'project_name', p.name,
         'households', (SELECT json_agg(json_build_object('id', h.id, 'code', h.code, 'status', h.status,
                                                          'version', h.version, 'last_event', last.event) ORDER BY h.id)
                          FROM households h
                          LEFT JOIN LATERAL (
                              SELECT json_build_object('id', e.id, 'from', e.from_status, 'to', e.to_status,
                                                       'actor', e.actor, 'at', e.at, 'reason', e.reason) AS event
                                FROM status_events e
                               WHERE e.household_id = h.id
                               ORDER BY e.id DESC
                               LIMIT 1) last ON true
                         WHERE h.building_id = b.id))
  FROM buildings b
  JOIN projects p ON p.id = b.project_id
 WHERE b.id = $1
