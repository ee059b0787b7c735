-- The household a 补偿决定 is about ($1 = household id), held against status writes while the
-- decision is made: its code and status, its project and the project's 补偿决定 gate.
SELECT h.id, h.code, h.status::text AS status, h.status >= 'signed' AS signed, p.code AS project_code, p.name AS project_name,
       g.open, g.step_key, g.step_name, coalesce(g.step_state, 'not_started')::text AS step_state
  FROM households h
  JOIN buildings b ON b.id = h.building_id
  JOIN projects p ON p.id = b.project_id
 CROSS JOIN LATERAL gate_state(p.id, 'compensation_decision') g
 WHERE h.id = $1
   FOR SHARE OF h
