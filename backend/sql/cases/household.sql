-- The household a new case is opened for, by its code, locked against a second case opened at
-- the same moment: its project, group and region lineage.
-- Parameters: $1 household code.
SELECT h.id, h.code, b.project_id, h.group_id, r.lineage
  FROM households h
  JOIN buildings b ON b.id = h.building_id
  JOIN projects p ON p.id = b.project_id
  JOIN regions r ON r.id = p.region_id
 WHERE h.code = $1
   FOR UPDATE OF h
